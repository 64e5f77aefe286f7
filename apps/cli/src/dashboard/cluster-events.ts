/**
 * The cluster timeline: what changed between two successive views of the cluster (the dashboard's polls of
 * Metadata). Kafka's controller records each change as a PartitionChangeRecord (leader, ISR, leader epoch) or
 * a broker (un)fencing; Metadata shows only the current state, so the dashboard derives the changes by
 * comparing what it saw last with what it sees now. A pure function: the caller keeps the previous view,
 * the clock and the bound (`maxClusterEvents`).
 *
 * A leader change in Kafka always bumps the leader epoch (KIP-101), so a bumped epoch with the same leader
 * (the broker was re-elected after a restart between two polls) is a leader change too. An ISR change alone
 * bumps only the partition epoch, which Metadata does not carry: it is told by the ISR itself.
 */

export type PartitionEventKind = 'leader-change' | 'isr-shrink' | 'isr-expand' | 'offline' | 'online';
export type BrokerEventKind = 'broker-fenced' | 'broker-unfenced';

export interface PartitionEvent {
  atMs: number;
  topic: string;
  partition: number;
  kind: PartitionEventKind;
  /** Leaders (-1: none) for leader-change, offline and online; ISRs for isr-shrink and isr-expand. */
  from: number | number[];
  to: number | number[];
  /** The leader epoch after the change (-1 when Metadata did not give one). */
  leaderEpoch: number;
}

/** A broker that left Metadata (fenced by the controller after broker.session.timeout.ms, or shut down) or came back. */
export interface BrokerEvent {
  atMs: number;
  kind: BrokerEventKind;
  broker: number;
}

export type ClusterEvent = PartitionEvent | BrokerEvent;

export interface PartitionView {
  partition: number;
  /** -1 without a leader. */
  leader: number;
  leaderEpoch: number;
  isr: readonly number[];
}

export interface ClusterView {
  /** The brokers Metadata lists (registered and not fenced). */
  liveBrokers: readonly number[];
  topics: ReadonlyArray<{ name: string; partitions: readonly PartitionView[] }>;
}

/** The bound on the kept timeline is not a positive whole number. */
export class ClusterEventsBoundError extends Error {
  override readonly name = 'ClusterEventsBoundError';
}

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

function leaderEvents(topic: string, before: PartitionView, after: PartitionView, atMs: number): PartitionEvent[] {
  const base = { atMs, topic, partition: after.partition, from: before.leader, to: after.leader, leaderEpoch: after.leaderEpoch };
  if (before.leader !== -1 && after.leader === -1) return [{ ...base, kind: 'offline' }];
  if (before.leader === -1 && after.leader !== -1) return [{ ...base, kind: 'online' }];
  if (after.leader !== -1 && (after.leader !== before.leader || after.leaderEpoch > before.leaderEpoch)) return [{ ...base, kind: 'leader-change' }];
  return [];
}

/** Members that left are a shrink, members that joined an expansion; both between two polls give both, shrink first. */
function isrEvents(topic: string, before: PartitionView, after: PartitionView, atMs: number): PartitionEvent[] {
  const now = new Set(after.isr);
  const was = new Set(before.isr);
  const kept = before.isr.filter((replica) => now.has(replica));
  const joined = after.isr.filter((replica) => !was.has(replica));
  const base = { atMs, topic, partition: after.partition, leaderEpoch: after.leaderEpoch };
  const events: PartitionEvent[] = [];
  if (kept.length < before.isr.length) events.push({ ...base, kind: 'isr-shrink', from: [...before.isr], to: joined.length === 0 ? [...after.isr] : kept });
  if (joined.length > 0) events.push({ ...base, kind: 'isr-expand', from: kept.length < before.isr.length ? kept : [...before.isr], to: [...after.isr] });
  return events;
}

/**
 * The events that lead from `before` to `after`, brokers first, then partitions in `after`'s order. A partition
 * or topic seen for the first time (created, or first poll) and one that disappeared (deleted) give none.
 */
export function deriveClusterEvents(before: ClusterView, after: ClusterView, atMs: number): ClusterEvent[] {
  const events: ClusterEvent[] = [];
  const wasLive = new Set(before.liveBrokers);
  const isLive = new Set(after.liveBrokers);
  for (const broker of before.liveBrokers) if (!isLive.has(broker)) events.push({ atMs, kind: 'broker-fenced', broker });
  for (const broker of after.liveBrokers) if (!wasLive.has(broker)) events.push({ atMs, kind: 'broker-unfenced', broker });
  const previous = new Map<string, PartitionView>();
  for (const topic of before.topics) for (const partition of topic.partitions) previous.set(partitionKey(topic.name, partition.partition), partition);
  for (const topic of after.topics) {
    for (const partition of topic.partitions) {
      const earlier = previous.get(partitionKey(topic.name, partition.partition));
      if (earlier === undefined) continue;
      events.push(...leaderEvents(topic.name, earlier, partition, atMs), ...isrEvents(topic.name, earlier, partition, atMs));
    }
  }
  return events;
}

/** The timeline the dashboard keeps: each new view's events appended, only the newest `maxEvents` kept (oldest first). */
export function createClusterTimeline(maxEvents: number) {
  if (!Number.isInteger(maxEvents) || maxEvents < 1) throw new ClusterEventsBoundError(`maxClusterEvents must be a positive whole number, got ${maxEvents}`);
  let last: ClusterView | null = null;
  let events: ClusterEvent[] = [];
  return {
    /** Records a new view; the first one is the baseline and gives no events. */
    observe(view: ClusterView, atMs: number): void {
      if (last !== null) events.push(...deriveClusterEvents(last, view, atMs));
      if (events.length > maxEvents) events = events.slice(events.length - maxEvents);
      last = view;
    },
    /** Oldest first. */
    events(): ClusterEvent[] {
      return [...events];
    },
  };
}

export type ClusterTimeline = ReturnType<typeof createClusterTimeline>;
