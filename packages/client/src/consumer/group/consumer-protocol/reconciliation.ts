/**
 * Client-side reconciliation of KIP-848 (Kafka's `AbstractMembershipManager.maybeReconcile`), as pure
 * functions: the coordinator sends the member's target assignment by topic id; the member resolves the
 * ids to names from its metadata, gives up what it owns outside the target (revoked = owned - target) and
 * then takes what is new (added = target - owned). Target partitions of a topic id the metadata does not
 * know yet are left out until metadata names them (Kafka requests a metadata update and reconciles again),
 * while an owned partition is compared by topic id, so an unresolved target never revokes what the member
 * owns under that id.
 */
import type { RequestBody } from '@kactor/protocol';
import type { TopicPartition } from '../../../topic-partition.js';

/** A partition the member owns or is given: by topic id (what the coordinator speaks) and by name (what the consumer reads). */
export interface OwnedPartition {
  readonly topicId: string;
  readonly topic: string;
  readonly partition: number;
}

/** The wire shape of a member's partitions: a list of topic ids with their partition indexes. */
export type TopicIdPartitions = NonNullable<RequestBody<'consumerGroupHeartbeat'>['topicPartitions']>;

export interface ResolvedAssignment {
  /** The target partitions whose topic the metadata names, sorted by topic name then partition. */
  readonly resolved: OwnedPartition[];
  /** Topic ids the metadata does not know (yet), sorted. */
  readonly unresolvedTopicIds: string[];
}

export interface AssignmentChange {
  readonly revoked: OwnedPartition[];
  readonly added: OwnedPartition[];
  /** What the member owns after the change: owned partitions kept, then the added ones, sorted. */
  readonly assignment: OwnedPartition[];
}

const keyOf = (partition: { topicId: string; partition: number }): string => `${partition.topicId}:${partition.partition}`;

export function comparePartitions(a: OwnedPartition, b: OwnedPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

/** Resolves the target's topic ids through `topicName`. */
export function resolveAssignment(target: TopicIdPartitions, topicName: (topicId: string) => string | undefined): ResolvedAssignment {
  const resolved: OwnedPartition[] = [];
  const unresolved = new Set<string>();
  for (const { topicId, partitions } of target) {
    const topic = topicName(topicId);
    if (topic === undefined) {
      unresolved.add(topicId);
      continue;
    }
    for (const partition of new Set(partitions)) resolved.push({ topicId, topic, partition });
  }
  return { resolved: resolved.sort(comparePartitions), unresolvedTopicIds: [...unresolved].sort() };
}

/**
 * What changes to go from `owned` to the target: revoked are owned partitions the target does not hold
 * (an owned partition of an unresolved topic id the target still names is kept), added are resolved
 * target partitions not owned yet.
 */
export function assignmentChange(owned: readonly OwnedPartition[], target: TopicIdPartitions, resolved: readonly OwnedPartition[]): AssignmentChange {
  const targetKeys = new Set(target.flatMap(({ topicId, partitions }) => partitions.map((partition) => keyOf({ topicId, partition }))));
  const ownedKeys = new Set(owned.map(keyOf));
  const revoked = owned.filter((partition) => !targetKeys.has(keyOf(partition)));
  const kept = owned.filter((partition) => targetKeys.has(keyOf(partition)));
  const added = resolved.filter((partition) => !ownedKeys.has(keyOf(partition)));
  const assignment = [...kept, ...added].sort(comparePartitions);
  // Invariant: nothing is both given up and taken, and the result holds no partition twice.
  if (new Set(assignment.map(keyOf)).size !== assignment.length) throw new Error('reconciliation produced a partition twice');
  return { revoked: [...revoked].sort(comparePartitions), added, assignment };
}

/**
 * True when the member owns what it can of the target: nothing to revoke and nothing resolvable to add.
 * Partitions of topic ids the metadata does not name yet do not count: they wait for metadata.
 */
export function reconciledWith(owned: readonly OwnedPartition[], target: TopicIdPartitions, topicName: (topicId: string) => string | undefined): boolean {
  const change = assignmentChange(owned, target, resolveAssignment(target, topicName).resolved);
  return change.revoked.length === 0 && change.added.length === 0;
}

/** The same partitions by topic id, in any order. */
export function sameTarget(a: TopicIdPartitions | null, b: TopicIdPartitions | null): boolean {
  if (a === null || b === null) return a === b;
  const keys = (target: TopicIdPartitions) => target.flatMap(({ topicId, partitions }) => partitions.map((partition) => keyOf({ topicId, partition }))).sort().join(',');
  return keys(a) === keys(b);
}

/** The owned partitions in the request's shape: by topic id, ids sorted, partitions ascending. */
export function toTopicIdPartitions(owned: readonly OwnedPartition[]): TopicIdPartitions {
  const byTopic = new Map<string, number[]>();
  for (const { topicId, partition } of owned) {
    const partitions = byTopic.get(topicId) ?? [];
    partitions.push(partition);
    byTopic.set(topicId, partitions);
  }
  return [...byTopic.keys()].sort().map((topicId) => ({ topicId, partitions: (byTopic.get(topicId) ?? []).sort((a, b) => a - b) }));
}

/** The partitions by name, for the consumer. */
export function toTopicPartitions(partitions: readonly OwnedPartition[]): TopicPartition[] {
  return partitions.map(({ topic, partition }) => ({ topic, partition }));
}
