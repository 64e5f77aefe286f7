/**
 * `kactor groups` as Kafka's kafka-consumer-groups.sh: reset-offsets prints its plan unless --execute is
 * given (and then applies it), with --shift-by, --to-datetime, --by-duration and --all-topics; it is refused
 * while the group is active; describe --members / --state / --offsets / --all-groups; delete-offsets
 * (OffsetDelete, KIP-496) deletes an inactive group's offsets and refuses a topic an active group reads.
 * One single-broker cluster for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { startCommand, type RunningCommand } from './support/processes.js';

interface OffsetsJson {
  group: string;
  state: string;
  partitions: Array<{ topic: string; partition: number; committedOffset: number | null; logEndOffset: number | null }>;
}
type PlanJson = Array<{ group: string; topic: string; partition: number; offset: number }>;

/**
 * Ten records per partition of `orders` stamped from `baseMs`, then five stamped from `baseMs + 1000`
 * (produce --json with explicit CreateTime timestamps), so a time between the two is exact.
 */
function records(baseMs: number): string {
  const batch = (partition: number, count: number, fromMs: number) =>
    Array.from({ length: count }, (_, index) => JSON.stringify({ value: `v${partition}-${fromMs}-${index}`, partition, timestamp: fromMs + index }));
  return [0, 1].flatMap((partition) => [...batch(partition, 10, baseMs), ...batch(partition, 5, baseMs + 1_000)]).join('\n');
}

describe('groups reset-offsets, describe views and delete-offsets (kafka-consumer-groups.sh)', { timeout: 180_000 }, () => {
  const dataDir = temporaryDirectory('e2e-group-tools');
  let cluster: RunningCluster;
  let live: RunningCommand | undefined;
  /** Ten minutes ago: every record is within --by-duration PT1H. */
  const baseMs = Date.now() - 600_000;

  const run = async (args: string[], expectedCode = 0) => {
    const result = await kactor([...args, '--bootstrap-server', cluster.bootstrap]);
    expect(result.code, `kactor ${args.join(' ')}\n${result.stderr}`).toBe(expectedCode);
    return result;
  };
  const committed = async (group: string) => {
    const json = JSON.parse((await run(['groups', 'describe', group, '--json'])).stdout) as OffsetsJson;
    return json.partitions.map((row) => `${row.topic}-${row.partition}=${row.committedOffset}`);
  };
  const plan = async (args: string[]) => (JSON.parse((await run(['groups', 'reset-offsets', ...args, '--json'])).stdout) as PlanJson).map((row) => `${row.topic}-${row.partition}=${row.offset}`);

  beforeAll(async () => {
    // The group `live` has one member: waiting group.initial.rebalance.delay.ms (3 s) for more would only delay it.
    cluster = await startCluster({ dataDir: dataDir.path, brokers: 1, extraArgs: ['--override', 'group.initial.rebalance.delay.ms=0'] });
    await run(['topics', 'create', 'orders', '--partitions', '2']);
    const produced = await kactor(['produce', 'orders', '--json', '--bootstrap-server', cluster.bootstrap], { input: records(baseMs) });
    expect(produced.code, produced.stderr).toBe(0);
    // The inactive group `idle` gets its offsets the way an operator would give them.
    await run(['groups', 'reset-offsets', 'idle', '--topic', 'orders', '--to-offset', '12', '--execute']);
  }, 120_000);

  afterAll(async () => {
    await live?.stop('SIGKILL');
    await cluster?.stop();
    dataDir.remove();
  });

  it('reset-offsets prints the plan and changes nothing without --execute (--dry-run is the default and still accepted)', async () => {
    // Two dry runs side by side; the committed offsets are read after both.
    const [result, latestPlan] = await Promise.all([run(['groups', 'reset-offsets', 'idle', '--topic', 'orders', '--to-earliest']), plan(['idle', '--topic', 'orders:1', '--to-latest', '--dry-run'])]);
    expect(result.stdout.split('\n')[0]).toMatch(/^GROUP\s+TOPIC\s+PARTITION\s+NEW-OFFSET$/);
    expect(result.stdout).toMatch(/idle\s+orders\s+0\s+0\n/);
    expect(result.stderr).toMatch(/--execute option is missing/);
    expect(latestPlan).toEqual(['orders-1=15']);
    expect(await committed('idle')).toEqual(['orders-0=12', 'orders-1=12']);
  });

  it('reset-offsets --execute applies the plan; --shift-by moves the committed offset, clamped into the log', async () => {
    expect(await plan(['idle', '--topic', 'orders', '--shift-by', '-5', '--execute'])).toEqual(['orders-0=7', 'orders-1=7']);
    expect(await committed('idle')).toEqual(['orders-0=7', 'orders-1=7']);
    expect(await plan(['idle', '--all-topics', '--shift-by', '100'])).toEqual(['orders-0=15', 'orders-1=15']);
  });

  it('reset-offsets --to-datetime finds the first record at or after the time; --by-duration counts back from now', async () => {
    // Kafka's format with a zone; between the batches the first record at or after it is each partition's 11th.
    const between = new Date(baseMs + 500).toISOString().replace('Z', '+00:00');
    // Three dry runs, side by side. The last is newer than every record: Kafka falls back to the log end, with a warning.
    const [betweenPlan, durationPlan, future] = await Promise.all([
      plan(['idle', '--all-topics', '--to-datetime', between]),
      plan(['idle', '--topic', 'orders', '--by-duration', 'PT1H']),
      run(['groups', 'reset-offsets', 'idle', '--topic', 'orders:0', '--to-datetime', '2999-01-01T00:00:00.000', '--json']),
    ]);
    expect(betweenPlan).toEqual(['orders-0=10', 'orders-1=10']);
    expect(durationPlan).toEqual(['orders-0=0', 'orders-1=0']);
    expect(JSON.parse(future.stdout)).toEqual([{ group: 'idle', topic: 'orders', partition: 0, offset: 15 }]);
    expect(future.stderr).toMatch(/Partition 0 from topic orders is empty. Falling back to latest known offset./);
  });

  it('an active group refuses reset-offsets; describe --members / --state / --offsets / --all-groups show it', async () => {
    live = startCommand(['consume', 'orders', '--group', 'live', '--from-beginning', '--json', '--session-timeout-ms', '6000', '--heartbeat-interval-ms', '1000', '--bootstrap-server', cluster.bootstrap]);
    const state = await eventually(
      async () => {
        const json = JSON.parse((await run(['groups', 'describe', 'live', '--state', '--json'])).stdout) as { state: string; memberCount: number; assignmentStrategy: string };
        return json.state === 'Stable' && json.memberCount === 1 ? json : undefined;
      },
      60_000,
      'group live becoming Stable',
    );
    expect(state.assignmentStrategy).not.toBe('');
    // The refused reset changes nothing, so it and the four views run side by side.
    const [refused, members, stateText, allGroups, offsets] = await Promise.all([
      run(['groups', 'reset-offsets', 'live', '--topic', 'orders', '--to-earliest', '--execute'], 1),
      run(['groups', 'describe', 'live', '--members', '--verbose']),
      run(['groups', 'describe', 'live', '--state']),
      run(['groups', 'describe', '--all-groups', '--offsets', '--json']),
      run(['groups', 'describe', 'idle', '--offsets']),
    ]);
    expect(refused.stderr).toContain("Assignments can only be reset if the group 'live' is inactive, but the current state is Stable.");

    expect(members.stdout.split('\n')[0]).toMatch(/^GROUP\s+CONSUMER-ID\s+HOST\s+CLIENT-ID\s+#PARTITIONS\s+ASSIGNMENT$/);
    expect(members.stdout).toMatch(/live\s+\S+\s+\S+\s+\S+\s+2\s+orders\(0,1\)/);
    expect(stateText.stdout).toMatch(/^GROUP\s+COORDINATOR \(ID\)\s+ASSIGNMENT-STRATEGY\s+STATE\s+#MEMBERS\nlive\s+127\.0\.0\.1:\d+\s+\(\d+\)\s+\S+\s+Stable\s+1$/m);
    const all = JSON.parse(allGroups.stdout) as OffsetsJson[];
    expect(all.map((group) => `${group.group}:${group.state}`).sort()).toEqual(['idle:Empty', 'live:Stable']);
    expect(all.find((group) => group.group === 'idle')?.partitions.map((row) => `${row.topic}-${row.partition}=${row.committedOffset}/${row.logEndOffset}`)).toEqual(['orders-0=7/15', 'orders-1=7/15']);
    const offsetsText = offsets.stdout;
    expect(offsetsText).toMatch(/GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG\s+CONSUMER-ID\s+HOST\s+CLIENT-ID\nidle\s+orders\s+0\s+7\s+15\s+8\s+-/);
  });

  it('delete-offsets deletes an inactive group\'s offsets, refuses a topic an active group reads, and names an unknown group', async () => {
    // Three groups, three independent requests side by side; idle's offsets are read after its deletion.
    const [deleted, subscribed, unknown] = await Promise.all([
      run(['groups', 'delete-offsets', 'idle', '--topic', 'orders:0']),
      run(['groups', 'delete-offsets', 'live', '--topic', 'orders'], 1),
      run(['groups', 'delete-offsets', 'nosuch', '--topic', 'orders'], 1),
    ]);
    expect(deleted.stdout).toMatch(/^Request succeed for deleting offsets with topic orders:0 group idle\n\nTOPIC\s+PARTITION\s+STATUS\norders\s+0\s+Successful$/m);
    expect(await committed('idle')).toEqual(['orders-1=7']);

    expect(subscribed.stderr).toContain('Error: Encounter some partition level error, see the follow-up details:');
    expect(subscribed.stdout).toMatch(/orders\s+0\s+Error: GROUP_SUBSCRIBED_TO_TOPIC/);

    expect(unknown.stderr).toContain("Error: 'nosuch' does not exist.");
  });
});
