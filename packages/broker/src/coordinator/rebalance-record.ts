/**
 * The pure rules behind the coordinator's rebalance records (DescribeRebalances): which rebalance protocol a
 * group runs, what triggered a rebalance, which partitions a member held, and how long it was paused.
 * The bookkeeping that applies them as the group moves lives in rebalance-log.ts.
 *
 * Everything is the coordinator's view: it sees JoinGroup and LeaveGroup requests (with their KIP-800
 * `reason`), session expiries, and the consumer protocol bytes members exchange through it (subscriptions
 * with their owned partitions in JoinGroup, assignments in SyncGroup). It never sees a member's poll loop.
 */
import type { GroupRebalanceTrigger, RequestBody } from '@kactor/protocol';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, wireLimits } from '@kactor/protocol';

export type RebalanceProtocol = 'EAGER' | 'COOPERATIVE';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** The assignor name of Kafka's CooperativeStickyAssignor, the one assignor that runs COOPERATIVE. */
export const COOPERATIVE_ASSIGNOR_NAME = 'cooperative-sticky';

/**
 * KIP-429 (https://cwiki.apache.org/confluence/x/vAclBg): a member runs COOPERATIVE only when the group's
 * selected classic protocol is `cooperative-sticky` (Kafka's consumer picks the protocol all its assignors
 * support, and the group votes on the assignor); every other assignor revokes everything first (EAGER).
 */
export function rebalanceProtocolOf(protocolName: string | null): RebalanceProtocol {
  return protocolName === COOPERATIVE_ASSIGNOR_NAME ? 'COOPERATIVE' : 'EAGER';
}

/** A member's partitions in its SyncGroup assignment bytes; nothing when they are not the consumer protocol or unreadable. */
export function assignedPartitions(protocolType: string | null, bytes: Uint8Array): TopicPartition[] {
  if (protocolType !== CONSUMER_PROTOCOL_TYPE || bytes.byteLength === 0) return [];
  const decoded = decodeAssignment(bytes);
  return decoded.ok ? flatten(decoded.value.assignedPartitions) : [];
}

/** The topics and owned partitions (v1+, KIP-429) a JoinGroup subscription declares, or null when unreadable. */
export function subscriptionOf(protocolType: string | null, bytes: Uint8Array): { topics: string[]; ownedPartitions: TopicPartition[] } | null {
  if (protocolType !== CONSUMER_PROTOCOL_TYPE || bytes.byteLength === 0) return null;
  const decoded = decodeSubscription(bytes);
  return decoded.ok ? { topics: [...decoded.value.topics].sort(), ownedPartitions: flatten(decoded.value.ownedPartitions) } : null;
}

/**
 * The distinct partitions the member's bytes name, sorted. The bytes are the member's own, so they may name
 * a partition twice or more topics and partitions than any answer may list: what a record keeps of them is
 * cut at the bounds of a DescribeRebalances answer (wireLimits.maxTopicsPerRequest topics of at most
 * maxPartitionsPerTopicInRequest partitions each), so one member's bytes cannot make its group's answer undecodable.
 */
function flatten(groups: ReadonlyArray<{ topic: string; partitions: readonly number[] }>): TopicPartition[] {
  const seen = new Set<string>();
  const distinct: TopicPartition[] = [];
  for (const group of groups) {
    for (const partition of group.partitions) {
      const tp = { topic: group.topic, partition };
      if (seen.has(partitionKey(tp))) continue;
      seen.add(partitionKey(tp));
      distinct.push(tp);
    }
  }
  const kept: TopicPartition[] = [];
  let topics = 0;
  let inTopic = 0;
  for (const tp of sortPartitions(distinct)) {
    if (kept.at(-1)?.topic !== tp.topic) {
      if (topics === wireLimits.maxTopicsPerRequest) break;
      topics += 1;
      inTopic = 0;
    }
    if (inTopic === wireLimits.maxPartitionsPerTopicInRequest) continue;
    inTopic += 1;
    kept.push(tp);
  }
  return kept;
}

export function sortPartitions(partitions: readonly TopicPartition[]): TopicPartition[] {
  return [...partitions].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

export const partitionKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/** Partitions of `a` that are not in `b`. */
export function minus(a: readonly TopicPartition[], b: readonly TopicPartition[]): TopicPartition[] {
  const other = new Set(b.map(partitionKey));
  return a.filter((tp) => !other.has(partitionKey(tp)));
}

/** The wire form: per topic (ascending), partition numbers ascending. */
export function groupByTopic(partitions: readonly TopicPartition[]): Array<{ topic: string; partitions: number[] }> {
  const byTopic = new Map<string, number[]>();
  for (const tp of sortPartitions(partitions)) {
    // Appended in place: copying the list per partition made a 100,000-partition member cost billions of copies.
    const numbers = byTopic.get(tp.topic);
    if (numbers === undefined) byTopic.set(tp.topic, [tp.partition]);
    else numbers.push(tp.partition);
  }
  return [...byTopic.entries()].map(([topic, numbers]) => ({ topic, partitions: numbers }));
}

/**
 * The reason strings the coordinator classifies (KIP-800 `reason`, free text). Kafka's Java consumer and
 * kactor's consumer send these words; the client side keeps them so the classification holds:
 * - LeaveGroup "consumer poll timeout has expired" (both) → poll-timeout;
 * - JoinGroup "the partition counts of subscribed topics changed" (kactor) / "cached metadata has changed" (Java) → partition-change;
 * - JoinGroup "the subscription changed" (kactor) / "subscription has changed" (Java) → subscription-change.
 */
export const reasonPatterns = {
  pollTimeout: /max\.poll\.interval\.ms|poll timeout/i,
  partitionChange: /partition counts?\b|number of partitions|metadata has changed/i,
  subscriptionChange: /subscription/i,
} as const;

/** LeaveGroup: an admin removing a static member by instance id (empty member id), a poll timeout, or a plain leave. */
export function leaveTrigger(memberId: string, reason: string | null): GroupRebalanceTrigger {
  if (memberId === '') return 'member-removed';
  return reason !== null && reasonPatterns.pollTimeout.test(reason) ? 'poll-timeout' : 'leave';
}

/**
 * A known member's JoinGroup that starts a rebalance: a changed subscription is seen in the bytes
 * themselves; a partition count change (which only the leader notices) only in the reason; anything else
 * is a plain rejoin.
 */
export function rejoinTrigger(reason: string | null, subscriptionChanged: boolean): GroupRebalanceTrigger {
  if (subscriptionChanged) return 'subscription-change';
  if (reason !== null && reasonPatterns.partitionChange.test(reason)) return 'partition-change';
  if (reason !== null && reasonPatterns.subscriptionChange.test(reason)) return 'subscription-change';
  return 'rejoin';
}

/** Whether a JoinGroup's subscription (for `protocolName`) names other topics than the member's current one. */
export function subscriptionChanged(protocolType: string | null, current: Uint8Array, request: RequestBody<'joinGroup'>, protocolName: string | null): boolean {
  const next = request.protocols.find((protocol) => protocol.name === protocolName) ?? request.protocols[0];
  const before = subscriptionOf(protocolType, current);
  const after = next === undefined ? null : subscriptionOf(protocolType, next.metadata);
  if (before === null || after === null) return false;
  return before.topics.join('\u0000') !== after.topics.join('\u0000');
}

/** When a member received an assignment during the rebalance, and what it was. */
export interface AssignmentReceipt {
  readonly atMs: number;
  readonly generationId: number;
  readonly partitions: readonly TopicPartition[];
}

export interface MemberTimeline {
  readonly protocol: RebalanceProtocol;
  /** Held when the rebalance started (its previous-generation assignment). */
  readonly owned: readonly TopicPartition[];
  /** COOPERATIVE: what its first JoinGroup of the rebalance said it still owned (it may have dropped unsubscribed topics first). */
  readonly declaredOwned: readonly TopicPartition[] | null;
  /** Its first JoinGroup of the rebalance, or null when it never sent one. */
  readonly joinMs: number | null;
  readonly receipts: readonly AssignmentReceipt[];
  /** False for a member that left (or was removed) before the end: it is not paused, it is gone. */
  readonly remained: boolean;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Paused time, the coordinator's view:
 * - EAGER: a member that owned partitions revoked all of them before sending its JoinGroup, so it is paused
 *   from that JoinGroup's arrival until the SyncGroup answer with its final assignment. partiallyPausedMs = 0.
 * - COOPERATIVE (KIP-429): a member keeps what it owns until a SyncGroup answer takes some away. It is
 *   paused only while it holds nothing although it owned something, and partially paused while it holds
 *   some but not all of what it owned (from the answer that took partitions away, to the end).
 * A member that owned nothing before, or that left, has 0 for both.
 */
export function memberPauses(timeline: MemberTimeline): { pausedMs: number; partiallyPausedMs: number } {
  const { owned, startMs, endMs } = timeline;
  if (!timeline.remained || owned.length === 0) return { pausedMs: 0, partiallyPausedMs: 0 };
  const receipts = [...timeline.receipts].sort((a, b) => a.atMs - b.atMs);
  if (timeline.protocol === 'EAGER') {
    const from = Math.max(startMs, timeline.joinMs ?? startMs);
    const until = Math.min(endMs, receipts.at(-1)?.atMs ?? endMs);
    return { pausedMs: Math.max(0, until - from), partiallyPausedMs: 0 };
  }
  const segments: Array<{ fromMs: number; held: readonly TopicPartition[] }> = [{ fromMs: startMs, held: owned }];
  if (timeline.joinMs !== null && timeline.declaredOwned !== null) segments.push({ fromMs: timeline.joinMs, held: timeline.declaredOwned });
  for (const receipt of receipts) segments.push({ fromMs: receipt.atMs, held: receipt.partitions });
  segments.sort((a, b) => a.fromMs - b.fromMs);
  let pausedMs = 0;
  let partiallyPausedMs = 0;
  segments.forEach((segment, index) => {
    const from = Math.max(startMs, segment.fromMs);
    const until = Math.min(endMs, segments[index + 1]?.fromMs ?? endMs);
    if (until <= from) return;
    if (segment.held.length === 0) pausedMs += until - from;
    else if (minus(owned, segment.held).length > 0) partiallyPausedMs += until - from;
  });
  return { pausedMs, partiallyPausedMs };
}

/** Partitions whose owner at the end is another member than their owner at the start. */
export function partitionsMoved(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): number {
  let moved = 0;
  for (const [partition, owner] of after) {
    const previous = before.get(partition);
    if (previous !== undefined && previous !== owner) moved += 1;
  }
  return moved;
}
