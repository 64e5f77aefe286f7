/**
 * Consumer groups with real processes, as the issue describes them: three `analytics` consumers share a
 * 6-partition topic while a `billing` consumer reads everything on its own; killing one member hands its
 * partitions to the others without losing a record (at-least-once); `groups describe` converges to the
 * survivors and lag 0; a consumer restarted after a clean stop resumes from the committed offsets; a fourth
 * consumer on a 3-partition topic sits idle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { startCommand, type RunningCommand } from './support/processes.js';

interface RecordLine {
  type: 'record';
  partition: number;
  offset: number;
  key: string;
  value: string;
}

interface GroupDescription {
  group: string;
  state: string;
  members: Array<{ memberId: string; assignment: Array<{ topic: string; partition: number }> }>;
  partitions: Array<{ topic: string; partition: number; committedOffset: number; logEndOffset: number; lag: number; memberId: string | null }>;
}

const fastGroup = ['--session-timeout-ms', '6000', '--heartbeat-interval-ms', '1000', '--consumer-property', 'auto.commit.interval.ms=1000'];

const records = (command: RunningCommand) => command.lines().filter((line): line is RecordLine & Record<string, unknown> => line.type === 'record') as unknown as RecordLine[];
const recordKey = (record: RecordLine) => `${record.partition}/${record.offset}`;

function lines(from: number, count: number): string {
  return Array.from({ length: count }, (_, index) => `key-${from + index}:value-${from + index}`).join('\n');
}

describe('consumer groups with real processes', { timeout: 240_000 }, () => {
  const dataDir = temporaryDirectory('e2e-groups');
  let cluster: RunningCluster;
  const consumers: RunningCommand[] = [];

  const consume = (group: string, topic: string, extra: string[] = []) => {
    const command = startCommand(['consume', topic, '--group', group, '--from-beginning', '--json', '--events', ...fastGroup, ...extra, '--bootstrap-server', cluster.bootstrap]);
    consumers.push(command);
    return command;
  };
  const describeGroup = async (group: string): Promise<GroupDescription> => {
    const result = await kactor(['groups', 'describe', group, '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as GroupDescription;
  };

  beforeAll(async () => {
    cluster = await startCluster({ dataDir: dataDir.path });
    expect((await kactor(['topics', 'create', 'orders', '--partitions', '6', '--bootstrap-server', cluster.bootstrap])).code).toBe(0);
    const produced = await kactor(['produce', 'orders', '--key-separator', ':', '--bootstrap-server', cluster.bootstrap], { input: lines(1, 6_000), timeoutMs: 90_000 });
    expect(produced.code, produced.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop('SIGKILL');
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('three analytics consumers split the partitions and read every record exactly once; billing reads everything on its own', async () => {
    const analytics = [consume('analytics', 'orders'), consume('analytics', 'orders'), consume('analytics', 'orders')];
    const billing = consume('billing', 'orders');
    await eventually(async () => (new Set(analytics.flatMap(records).map(recordKey)).size === 6_000 ? true : undefined), 60_000, 'analytics reads all 6,000 records');
    await eventually(async () => (new Set(records(billing).map(recordKey)).size === 6_000 ? true : undefined), 60_000, 'billing reads all 6,000 records');
    const all = analytics.flatMap(records);
    expect(all).toHaveLength(6_000);
    const partitionsPerConsumer = analytics.map((consumer) => new Set(records(consumer).map((record) => record.partition)).size);
    expect(partitionsPerConsumer.sort()).toEqual([2, 2, 2]);
    expect(records(billing)).toHaveLength(6_000);
    const described = await eventually(async () => {
      const description = await describeGroup('analytics');
      return description.state === 'Stable' && description.members.length === 3 ? description : undefined;
    }, 30_000, 'analytics described Stable with 3 members');
    expect(described.members.flatMap((member) => member.assignment.map((tp) => tp.partition)).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const consumer of analytics) {
      const events = consumer.lines().filter((line) => line.type === 'state');
      expect(events.some((line) => line.to === 'stable')).toBe(true);
    }
  });

  it('a killed member hands its partitions to the others: nothing is lost, and describe converges to 2 members and lag 0', async () => {
    const analytics = consumers.slice(0, 3);
    const [victim, ...survivors] = analytics as [RunningCommand, RunningCommand, RunningCommand];
    await victim.stop('SIGKILL');
    const produced = await kactor(['produce', 'orders', '--key-separator', ':', '--bootstrap-server', cluster.bootstrap], { input: lines(6_001, 3_000), timeoutMs: 90_000 });
    expect(produced.code, produced.stderr).toBe(0);
    await eventually(
      async () => (new Set([...records(victim), ...survivors.flatMap(records)].map((record) => record.key)).size === 9_000 ? true : undefined),
      90_000,
      'every one of the 9,000 records read by some analytics member (at-least-once)',
    );
    const description = await eventually(
      async () => {
        const current = await describeGroup('analytics');
        return current.members.length === 2 && current.partitions.length === 6 && current.partitions.every((partition) => partition.lag === 0) ? current : undefined;
      },
      60_000,
      'describe shows 2 members and lag 0',
    );
    expect(description.partitions.reduce((sum, partition) => sum + partition.committedOffset, 0)).toBe(9_000);
    for (const survivor of survivors) expect(survivor.lines().some((line) => line.type === 'assigned')).toBe(true);
  });

  it('a consumer stopped cleanly and started again resumes from the committed offsets', async () => {
    const billing = consumers[3] as RunningCommand;
    await eventually(async () => (new Set(records(billing).map((record) => record.key)).size === 9_000 ? true : undefined), 60_000, 'billing caught up');
    expect(await billing.stop('SIGINT')).toBe(0);
    const restarted = consume('billing', 'orders');
    await eventually(async () => (restarted.lines().some((line) => line.type === 'assigned') ? true : undefined), 60_000, 'restarted billing consumer assigned');
    const produced = await kactor(['produce', 'orders', '--key-separator', ':', '--bootstrap-server', cluster.bootstrap], { input: lines(9_001, 60), timeoutMs: 60_000 });
    expect(produced.code).toBe(0);
    await eventually(async () => (records(restarted).length >= 60 ? true : undefined), 60_000, 'restarted billing reads the new records');
    // position == committed: nothing before the commit is read again.
    expect(records(restarted).map((record) => Number(record.key.slice(4))).every((key) => key > 9_000)).toBe(true);
  });

  it('a fourth consumer on a 3-partition topic sits idle with nothing assigned', async () => {
    expect((await kactor(['topics', 'create', 'small', '--partitions', '3', '--bootstrap-server', cluster.bootstrap])).code).toBe(0);
    for (let index = 0; index < 4; index += 1) consume('idle-check', 'small');
    const description = await eventually(
      async () => {
        const current = await describeGroup('idle-check');
        return current.state === 'Stable' && current.members.length === 4 ? current : undefined;
      },
      60_000,
      'idle-check Stable with 4 members',
    );
    const sizes = description.members.map((member) => member.assignment.length).sort();
    expect(sizes).toEqual([0, 1, 1, 1]);
  });

  it('groups list shows every group', async () => {
    const result = await kactor(['groups', 'list', '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(result.code, result.stderr).toBe(0);
    const listed = JSON.stringify(JSON.parse(result.stdout));
    for (const group of ['analytics', 'billing', 'idle-check']) expect(listed).toContain(group);
  });
});

