/**
 * The KIP-848 server-side assignors (`uniform`, `range`) in the shape of Kafka's JMH ServerSideAssignorBenchmark
 * (jmh-benchmarks/.../assignor/ServerSideAssignorBenchmark.java): members 100 to 10,000, 10 partitions per member,
 * 100 topics (so 1,000 to 100,000 partitions); FULL is a first assignment of every member, INCREMENTAL is the
 * assignment after one new member joins a group of `members - 1` that holds the previous answer. Homogeneous
 * subscriptions (every member on every topic), and at 10,000 members also Kafka's heterogeneous shape (five buckets
 * of members, each on its own fifth of the topics). Like JMH's AverageTime mode: 5 warm-up operations, then the
 * mean of 5 measured ones, in this process.
 *
 * Reference (another machine and JVM): Kafka's published JMH figures for `uniform`, homogeneous, 10,000 members x 10
 * partitions x 100 topics: FULL about 2.6-14 ms/op (apache/kafka#19677), INCREMENTAL about 20-28 ms/op
 * (apache/kafka#15883).
 */
import {
  rangeServerAssignor,
  uniformAssignor,
  type ServerAssignorGroupSpec,
  type ServerAssignorMember,
  type ServerPartitionAssignor,
  type SubscribedTopicDescriber,
} from '@kactor/assignors';

export type ServerAssignmentType = 'FULL' | 'INCREMENTAL';
export type ServerSubscription = 'HOMOGENEOUS' | 'HETEROGENEOUS';

/** Kafka's JMH figures (ms/op) for uniform, homogeneous, 10,000 members, where published. */
export const KAFKA_JMH_UNIFORM_10K_MS: Readonly<Record<ServerAssignmentType, string>> = { FULL: '2.6-14', INCREMENTAL: '20-28' };

export interface ServerAssignorScaleRow {
  assignor: string;
  subscription: ServerSubscription;
  assignmentType: ServerAssignmentType;
  members: number;
  partitions: number;
  meanMs: number;
  minMs: number;
  /** Mean CPU time (user + system, GC threads included) per operation: steadier than wall time on a shared machine. */
  meanCpuMs: number;
  /** Partitions that changed owner from the previous answer (INCREMENTAL; the new member's share is the least possible). */
  moved: number;
}

const TOPIC_COUNT = 100;
const PARTITIONS_PER_MEMBER = 10;
const BUCKETS = 5;
const WARMUP_OPERATIONS = 5;
const MEASURED_OPERATIONS = 5;

/** A Kafka Uuid for topic `index` (16 bytes, big-endian index in the last four, URL-safe base64). */
function topicIdOf(index: number): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32BE(0x6b616374, 0);
  bytes.writeUInt32BE(index + 1, 12);
  return bytes.toString('base64url');
}

function groupOf(memberCount: number, subscription: ServerSubscription, topicIds: readonly string[]): ServerAssignorMember[] {
  const bucketSize = Math.ceil(topicIds.length / BUCKETS);
  const buckets = Array.from({ length: BUCKETS }, (_, bucket) => new Set(topicIds.slice(bucket * bucketSize, (bucket + 1) * bucketSize)));
  const all = new Set(topicIds);
  return Array.from({ length: memberCount }, (_, index) => ({
    memberId: `member${index}`,
    instanceId: null,
    rackId: null,
    subscribedTopicIds: subscription === 'HOMOGENEOUS' ? all : buckets[index % BUCKETS]!,
    assignedPartitions: new Map(),
  }));
}

function caseInput(assignor: ServerPartitionAssignor, members: number, subscription: ServerSubscription, assignmentType: ServerAssignmentType) {
  const topicIds = Array.from({ length: TOPIC_COUNT }, (_, index) => topicIdOf(index));
  const perTopic = Math.floor((members * PARTITIONS_PER_MEMBER) / TOPIC_COUNT);
  const topics: SubscribedTopicDescriber = { numPartitions: () => perTopic, racksForPartition: () => new Set() };
  const first = groupOf(assignmentType === 'INCREMENTAL' ? members - 1 : members, subscription, topicIds);
  let group: ServerAssignorGroupSpec = { members: first, subscriptionType: subscription };
  let previous: ServerAssignorGroupSpec | undefined;
  if (assignmentType === 'INCREMENTAL') {
    const answer = assignor.assign(group, topics);
    const held = first.map((member) => ({ ...member, assignedPartitions: answer.members.get(member.memberId)! }));
    const newMember = { ...held[held.length - 1]!, memberId: 'newMember', assignedPartitions: new Map() };
    previous = { members: held, subscriptionType: subscription };
    group = { members: [...held, newMember], subscriptionType: subscription };
  }
  return { group, topics, previous, partitions: perTopic * TOPIC_COUNT };
}

function movedPartitions(previous: ServerAssignorGroupSpec | undefined, after: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<number>>>): number {
  let moved = 0;
  for (const member of previous?.members ?? []) {
    const now = after.get(member.memberId)!;
    for (const [topicId, partitions] of member.assignedPartitions) for (const partition of partitions) if (now.get(topicId)?.has(partition) !== true) moved++;
  }
  return moved;
}

function measure(assignor: ServerPartitionAssignor, members: number, subscription: ServerSubscription, assignmentType: ServerAssignmentType): ServerAssignorScaleRow {
  const { group, topics, previous, partitions } = caseInput(assignor, members, subscription, assignmentType);
  for (let run = 0; run < WARMUP_OPERATIONS; run++) assignor.assign(group, topics);
  const times: number[] = [];
  let result = assignor.assign(group, topics);
  const cpu = process.cpuUsage();
  for (let run = 0; run < MEASURED_OPERATIONS; run++) {
    const started = performance.now();
    result = assignor.assign(group, topics);
    times.push(performance.now() - started);
  }
  const cpuUsed = process.cpuUsage(cpu);
  return {
    assignor: assignor.name,
    subscription,
    assignmentType,
    members,
    partitions,
    meanMs: times.reduce((sum, time) => sum + time, 0) / times.length,
    minMs: Math.min(...times),
    meanCpuMs: (cpuUsed.user + cpuUsed.system) / 1000 / MEASURED_OPERATIONS,
    moved: movedPartitions(previous, result.members),
  };
}

export function measureServerAssignorScale(): ServerAssignorScaleRow[] {
  const rows: ServerAssignorScaleRow[] = [];
  for (const assignor of [uniformAssignor, rangeServerAssignor]) {
    for (const members of [100, 1_000, 10_000]) {
      for (const assignmentType of ['FULL', 'INCREMENTAL'] as const) rows.push(measure(assignor, members, 'HOMOGENEOUS', assignmentType));
    }
    for (const assignmentType of ['FULL', 'INCREMENTAL'] as const) rows.push(measure(assignor, 10_000, 'HETEROGENEOUS', assignmentType));
  }
  return rows;
}

if (process.argv[2] === 'run') console.table(measureServerAssignorScale());
