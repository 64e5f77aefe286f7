/**
 * The pure logic of incremental cooperative rebalancing (KIP-429,
 * https://cwiki.apache.org/confluence/display/KAFKA/KIP-429%3A+Kafka+Consumer+Incremental+Rebalance+Protocol)
 * as Kafka's `ConsumerCoordinator` does it: which protocol a member runs, what it gives up before a
 * rejoin, what changed when an assignment arrives, and the leader's check that a cooperative assignor
 * kept its promise. No state, no clock: the machine and the consumer call these.
 */
import type { RebalanceProtocol } from '@kactor/assignors';
import type { ConsumerProtocolTopicPartitions } from '@kactor/protocol';
import type { TopicPartition } from '../../topic-partition.js';
import { NoCommonRebalanceProtocolError } from './group-errors.js';

export type { RebalanceProtocol } from '@kactor/assignors';
export { CooperativeAssignmentViolationError, NoCommonRebalanceProtocolError } from './group-errors.js';

/**
 * The protocol a member runs: the highest one every configured assignor supports (Kafka's
 * `ConsumerCoordinator` constructor). So COOPERATIVE needs every listed assignor to support it; Kafka's
 * default [range, cooperative-sticky] runs EAGER, and a list whose first assignor is cooperative-sticky
 * followed by range runs EAGER too, even when the group picks cooperative-sticky: the member then
 * revokes everything before each rejoin, which is always safe, only slower. To upgrade a group to
 * COOPERATIVE, Kafka's two rolling bounces apply: first list cooperative-sticky first, then drop range.
 */
export function rebalanceProtocolOf(assignors: ReadonlyArray<{ name: string; supportedProtocols: readonly RebalanceProtocol[] }>): RebalanceProtocol {
  if (assignors.length === 0) throw new NoCommonRebalanceProtocolError('no assignor is configured (partition.assignment.strategy)');
  const common = (['COOPERATIVE', 'EAGER'] as const).filter((protocol) => assignors.every((assignor) => assignor.supportedProtocols.includes(protocol)));
  const highest = common[0];
  if (highest === undefined) {
    throw new NoCommonRebalanceProtocolError(`the assignors ${assignors.map((assignor) => assignor.name).join(', ')} have no rebalance protocol in common (partition.assignment.strategy)`);
  }
  return highest;
}

const keyOf = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;

/** Partitions in `a` that are not in `b`, in `a`'s order. */
export function partitionsMinus(a: readonly TopicPartition[], b: readonly TopicPartition[]): TopicPartition[] {
  const removed = new Set(b.map(keyOf));
  return a.filter((tp) => !removed.has(keyOf(tp)));
}

/** Partitions in `a` that are also in `b`, in `a`'s order. */
export function partitionsWithin(a: readonly TopicPartition[], b: readonly TopicPartition[]): TopicPartition[] {
  const kept = new Set(b.map(keyOf));
  return a.filter((tp) => kept.has(keyOf(tp)));
}

/** What an assignment changes for a member: Kafka's onJoinComplete `addedPartitions` / `revokedPartitions`. */
export interface AssignmentChange {
  readonly added: TopicPartition[];
  readonly revoked: TopicPartition[];
  readonly kept: TopicPartition[];
}

export function assignmentChange(owned: readonly TopicPartition[], assigned: readonly TopicPartition[]): AssignmentChange {
  const revoked = partitionsMinus(owned, assigned);
  return { added: partitionsMinus(assigned, owned), revoked, kept: partitionsMinus(owned, revoked) };
}

/** COOPERATIVE onJoinPrepare: before a rejoin, a member gives up only the partitions of topics it no longer subscribes to. */
export function partitionsOfUnsubscribedTopics(owned: readonly TopicPartition[], subscription: readonly string[]): TopicPartition[] {
  const topics = new Set(subscription);
  return owned.filter((tp) => !topics.has(tp.topic));
}

/** Flat partitions as the consumer protocol carries them: one entry per topic, partitions ascending. */
export function toTopicPartitions(partitions: readonly TopicPartition[]): ConsumerProtocolTopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const tp of partitions) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  return [...byTopic].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([topic, list]) => ({ topic, partitions: [...new Set(list)].sort((x, y) => x - y) }));
}

export function fromTopicPartitions(entries: readonly ConsumerProtocolTopicPartitions[]): TopicPartition[] {
  return entries.flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition })));
}

/**
 * Kafka's `validateCooperativeAssignment`: the union of what members lose must not meet the union of
 * what members gain. Returns the partitions that break it (empty: the assignment is valid).
 */
export function cooperativeViolations(members: ReadonlyArray<{ owned: readonly TopicPartition[]; assigned: readonly TopicPartition[] }>): TopicPartition[] {
  const revoked = new Set<string>();
  const added = new Map<string, TopicPartition>();
  for (const { owned, assigned } of members) {
    const change = assignmentChange(owned, assigned);
    for (const tp of change.revoked) revoked.add(keyOf(tp));
    for (const tp of change.added) added.set(keyOf(tp), tp);
  }
  return [...added].filter(([key]) => revoked.has(key)).map(([, tp]) => tp);
}
