/**
 * Group coordinator failover with real processes (issue 11): three brokers, `__consumer_offsets` with three replicas,
 * a topic with replication factor 3 and min.insync.replicas 2, and a group of three `kactor consume` members committing
 * (auto-commit every second). The broker coordinating the group (broker 1 or 2, which may be the active controller too) is
 * killed with SIGKILL through `kactor cluster kill`: the leader of the group's `__consumer_offsets` partition moves,
 * the new leader loads the group from the replicated log, the members find it and carry on. The group is Stable again
 * under the new coordinator, every offset committed before the kill is still there, and every record is read.
 */
import { groupCoordinatorPartition } from '@kactor/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, jsonLines, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';
import { startCommand, type RunningCommand } from './support/processes.js';

interface TopicLine {
  topic: string;
  partitions: Array<{ partition: number; leader: number; replicas: number[]; isr: number[] }>;
}

interface GroupState {
  coordinator: number | null;
  state: string;
  memberCount: number;
}

interface GroupOffsets {
  state: string;
  partitions: Array<{ partition: number; committedOffset: number; lag: number }>;
}

const offsetsPartitions = 3;
const fastGroup = ['--session-timeout-ms', '6000', '--heartbeat-interval-ms', '1000', '--consumer-property', 'auto.commit.interval.ms=1000'];
const lines = (from: number, count: number) => Array.from({ length: count }, (_, index) => `key-${from + index}:value-${from + index}`).join('\n');
const keysRead = (consumers: RunningCommand[]) => new Set(consumers.flatMap((consumer) => consumer.lines().filter((line) => line.type === 'record').map((line) => String(line.key))));

describe('group coordinator failover with real processes', { timeout: 240_000 }, () => {
  const dataDir = temporaryDirectory('e2e-coordinator-failover');
  let cluster: RunningCluster;
  const consumers: RunningCommand[] = [];
  const run = (args: string[], input?: string) => kactor([...args, '--bootstrap-server', cluster.bootstrap], { input, timeoutMs: 90_000 });
  const describeTopic = async (topic: string) => jsonLines<TopicLine>((await run(['topics', 'describe', topic, '--json'])).stdout)[0];
  const describeGroup = async <T>(group: string, view: string[] = []): Promise<T | undefined> => {
    const result = await run(['groups', 'describe', group, ...view, '--json']);
    return result.code === 0 ? (JSON.parse(result.stdout) as T) : undefined;
  };

  beforeAll(async () => {
    // Three offsets partitions keep the topic small; a killed broker is fenced after 3 s instead of Kafka's 9 s.
    cluster = await startCluster({
      brokers: 3,
      dataDir: dataDir.path,
      extraArgs: [
        '--override',
        `offsets.topic.num.partitions=${offsetsPartitions}`,
        '--override',
        'broker.session.timeout.ms=3000',
        '--override',
        'broker.heartbeat.interval.ms=500',
      ],
    });
    const created = await run(['topics', 'create', 'orders', '--partitions', '6', '--replication-factor', '3', '--config', 'min.insync.replicas=2']);
    expect(created.code, created.stderr).toBe(0);
    const produced = await run(['produce', 'orders', '--key-separator', ':', '--acks', 'all'], lines(1, 1_000));
    expect(produced.code, produced.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop('SIGKILL');
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('the coordinator’s broker is killed: the group is Stable again under a new coordinator, no committed offset goes back and no record is lost', async () => {
    // The first FindCoordinator creates __consumer_offsets, with cluster up's replication factor: one per broker, 3.
    await describeGroup('probe', ['--state']);
    const offsetsTopic = await eventually(
      async () => {
        const topic = await describeTopic('__consumer_offsets');
        return topic?.partitions.length === offsetsPartitions && topic.partitions.every((partition) => partition.isr.length === 3) ? topic : undefined;
      },
      60_000,
      '__consumer_offsets created with 3 in-sync replicas per partition',
    );
    expect(offsetsTopic.partitions.map((partition) => partition.replicas.length)).toEqual([3, 3, 3]);
    // A group coordinated outside broker 0, as before the quorum (issue 12); the node killed may be the active controller, which the quorum replaces.
    const leaderOf = (groupId: string) => offsetsTopic.partitions[groupCoordinatorPartition(groupId, offsetsPartitions)]?.leader ?? -1;
    const group = Array.from({ length: 50 }, (_, n) => `failover-${n}`).find((groupId) => leaderOf(groupId) > 0);
    if (group === undefined) throw new Error('every __consumer_offsets partition is led by broker 0');
    const coordinator = leaderOf(group);

    for (let index = 0; index < 3; index += 1) {
      consumers.push(startCommand(['consume', 'orders', '--group', group, '--from-beginning', '--json', '--events', ...fastGroup, '--bootstrap-server', cluster.bootstrap]));
    }
    await eventually(async () => (keysRead(consumers).size === 1_000 ? true : undefined), 90_000, 'the group reads the first 1,000 records');
    const before = await eventually(
      async () => {
        const offsets = await describeGroup<GroupOffsets>(group);
        return offsets?.state === 'Stable' && offsets.partitions.length === 6 && offsets.partitions.every((partition) => partition.lag === 0) ? offsets : undefined;
      },
      60_000,
      'every offset committed (lag 0)',
    );
    expect(before.partitions.reduce((sum, partition) => sum + partition.committedOffset, 0)).toBe(1_000);
    expect((await describeGroup<GroupState>(group, ['--state']))?.coordinator).toBe(coordinator);

    const killed = await kactor(['cluster', 'kill', String(coordinator), '--data-dir', dataDir.path], { timeoutMs: 60_000 });
    expect(killed.code, killed.stderr).toBe(0);
    const produced = await run(['produce', 'orders', '--key-separator', ':', '--acks', 'all'], lines(1_001, 1_000));
    expect(produced.code, produced.stderr).toBe(0);

    await eventually(async () => (keysRead(consumers).size === 2_000 ? true : undefined), 90_000, 'the group reads all 2,000 records after the failover');
    const state = await eventually(
      async () => {
        const current = await describeGroup<GroupState>(group, ['--state']);
        return current !== undefined && current.coordinator !== null && current.coordinator !== coordinator && current.state === 'Stable' && current.memberCount === 3 ? current : undefined;
      },
      60_000,
      'the group Stable with its 3 members under a new coordinator',
    );
    expect(state.coordinator).not.toBe(coordinator);
    const after = await eventually(
      async () => {
        const offsets = await describeGroup<GroupOffsets>(group);
        return offsets?.partitions.length === 6 && offsets.partitions.every((partition) => partition.lag === 0) ? offsets : undefined;
      },
      60_000,
      'every new offset committed under the new coordinator (lag 0)',
    );
    expect(after.partitions.reduce((sum, partition) => sum + partition.committedOffset, 0)).toBe(2_000);
    for (const committed of before.partitions) {
      expect(after.partitions.find((partition) => partition.partition === committed.partition)?.committedOffset).toBeGreaterThanOrEqual(committed.committedOffset);
    }
    // Every member stayed up and in the group: none exited.
    expect(consumers.map((consumer) => consumer.process.exitCode)).toEqual([null, null, null]);
  });
});
