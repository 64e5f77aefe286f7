/**
 * Eager against cooperative rebalancing with real consumers on a real cluster: a Stable group of
 * `members` consumers on one topic, then one member joins, then one member leaves. For each of the two
 * rebalances: its total time (from the trigger reaching the coordinator until the group is Stable with no
 * revocation outstanding: the coordinator's own rebalance record, `groups rebalances`), the longest and
 * the average pause per member (time holding no partition although it held some, from the consumers' own
 * records; KIP-429's promise is that members whose partitions do not move never pause), and the
 * partitions that changed owner.
 */
import { Admin, Consumer, systemClientRuntime, type RebalanceRecord, type TopicPartition } from '@kactor/client';
import { startBenchCluster } from './cluster-process.js';

export interface RebalanceScenarioResult {
  scenario: 'join' | 'leave';
  totalMs: number;
  longestPauseMs: number;
  averagePauseMs: number;
  /** The longest pause of a member that neither lost nor gained a partition's ownership to another member. */
  longestPauseOfUnmovedMs: number;
  unmovedMembers: number;
  partitionsMoved: number;
}

export interface RebalanceComparisonOptions {
  bootstrap: string;
  topic: string;
  assignor: string;
  members: number;
  timeoutMs: number;
  consumerConfig: Record<string, string | number>;
}

const key = (tp: TopicPartition) => `${tp.topic}-${tp.partition}`;

interface Member {
  consumer: Consumer;
  polling: Promise<void>;
  stopped: boolean;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitForAsync<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The group is settled when every member is stable in one generation and none has a rebalance open. */
function settled(members: readonly Member[], partitions: number): boolean {
  const memberships = members.map((member) => member.consumer.groupMembership());
  const generation = memberships[0]?.generationId;
  if (memberships.some((membership) => membership === null || membership.state !== 'stable' || membership.generationId !== generation)) return false;
  const owned = members.flatMap((member) => member.consumer.assignment().map(key));
  return owned.length === partitions && new Set(owned).size === partitions;
}

function owners(members: readonly Member[]): Map<string, Consumer> {
  return new Map(members.flatMap((member) => member.consumer.assignment().map((tp) => [key(tp), member.consumer] as const)));
}

export async function compareRebalance(admin: Admin, options: RebalanceComparisonOptions & { partitions: number; groupId: string }): Promise<RebalanceScenarioResult[]> {
  const runtime = systemClientRuntime();
  const start = (): Member => {
    const consumer = Consumer.create(
      { 'bootstrap.servers': options.bootstrap, 'group.id': options.groupId, 'partition.assignment.strategy': options.assignor, 'auto.offset.reset': 'earliest', ...options.consumerConfig },
      runtime,
    );
    consumer.subscribe([options.topic]);
    const member: Member = { consumer, stopped: false, polling: Promise.resolve() };
    member.polling = (async () => {
      while (!member.stopped) await consumer.poll(50);
    })();
    return member;
  };
  const members = Array.from({ length: options.members }, start);
  const results: RebalanceScenarioResult[] = [];
  try {
    await waitFor('the group to form', options.timeoutMs, () => (settled(members, options.partitions) ? true : undefined));
    const measure = async (scenario: 'join' | 'leave', change: () => Promise<void>, survivors: () => Member[]) => {
      const before = owners(members);
      const coordinatorRecordsBefore = Math.max(0, ...(await admin.describeRebalances(options.groupId)).map((record) => record.sequence));
      const recordsBefore = new Map(members.map((member) => [member.consumer, member.consumer.rebalances().length]));
      await change();
      const after = await waitFor(`the group to settle after a ${scenario}`, options.timeoutMs, () => {
        const live = survivors();
        if (!settled(live, options.partitions)) return undefined;
        // Every member that took part has closed its record of this rebalance.
        const records = live.map((member) => member.consumer.rebalances().slice(recordsBefore.get(member.consumer) ?? 0));
        if (records.some((list) => list.length === 0)) return undefined;
        return { live, records };
      });
      const ownersAfter = owners(after.live);
      const moved = [...ownersAfter].filter(([partition, owner]) => before.get(partition) !== owner).length;
      const unmoved = after.live.filter((member) => {
        const consumer = member.consumer;
        const had = [...before].filter(([, owner]) => owner === consumer).map(([partition]) => partition);
        const has = consumer.assignment().map(key);
        return had.length > 0 && had.length === has.length && had.every((partition) => has.includes(partition));
      });
      const pauseOf = (records: readonly RebalanceRecord[]) => records.reduce((sum, record) => sum + record.pausedMs, 0);
      const pauses = after.records.map(pauseOf);
      // The coordinator closes its record once the group is Stable with no revocation outstanding.
      const coordinatorRecords = await waitForAsync('the coordinator to record the rebalance', options.timeoutMs, async () => {
        const records = (await admin.describeRebalances(options.groupId)).filter((record) => record.sequence > coordinatorRecordsBefore);
        return records.length > 0 ? records : undefined;
      });
      results.push({
        scenario,
        totalMs: Math.max(...coordinatorRecords.map((record) => record.endMs)) - Math.min(...coordinatorRecords.map((record) => record.startMs)),
        longestPauseMs: Math.max(...pauses),
        averagePauseMs: pauses.reduce((sum, pause) => sum + pause, 0) / pauses.length,
        longestPauseOfUnmovedMs: Math.max(0, ...unmoved.map((member) => pauseOf(after.records[after.live.indexOf(member)] ?? []))),
        unmovedMembers: unmoved.length,
        partitionsMoved: moved,
      });
    };
    await measure('join', async () => void members.push(start()), () => members);
    const leaving = members.shift() as Member;
    await measure(
      'leave',
      async () => {
        leaving.stopped = true;
        await leaving.polling;
        await leaving.consumer.close();
      },
      () => members,
    );
    return results;
  } finally {
    for (const member of members) member.stopped = true;
    await Promise.all(members.map((member) => member.polling));
    await Promise.all(members.map((member) => member.consumer.close()));
  }
}

export interface RebalanceComparisonRow extends RebalanceScenarioResult {
  protocol: string;
}

/** Both protocols on one cluster, each with its own group on its own 100-partition topic. */
export async function measureRebalanceComparison(options: { basePort: number; members: number; partitions: number; consumerConfig: Record<string, string | number> }): Promise<RebalanceComparisonRow[]> {
  const cluster = await startBenchCluster(options.basePort, ['group.initial.rebalance.delay.ms=0']);
  const admin = Admin.create({ 'bootstrap.servers': cluster.bootstrap }, systemClientRuntime());
  try {
    const rows: RebalanceComparisonRow[] = [];
    for (const [protocol, assignor] of [
      ['eager / range', 'range'],
      ['cooperative / cooperative-sticky', 'cooperative-sticky'],
    ] as const) {
      const topic = `bench-rebalance-${assignor}`;
      const [created] = await admin.createTopics([{ name: topic, numPartitions: options.partitions }]);
      if (created?.error) throw created.error;
      const results = await compareRebalance(admin, { bootstrap: cluster.bootstrap, topic, assignor, members: options.members, partitions: options.partitions, groupId: `bench-${assignor}`, timeoutMs: 120_000, consumerConfig: options.consumerConfig });
      rows.push(...results.map((result) => ({ protocol, ...result })));
    }
    return rows;
  } finally {
    admin.close();
    await cluster.stop();
  }
}
