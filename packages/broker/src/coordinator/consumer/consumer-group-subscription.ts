/**
 * What a consumer group subscribes to, as Kafka's ConsumerGroup computes it: the metadata of every topic some member
 * subscribes to (the group epoch is bumped when it changes: a topic created, deleted or grown), and the server
 * assignor the members prefer.
 */
import type { MetadataImage } from '@kactor/protocol';
import type { ConsumerGroupMember, SubscribedTopicMetadata } from './consumer-group-data.js';

/** The cluster's topics by name, as the group needs them, from the broker's metadata image. */
export function topicsOfImage(image: MetadataImage): Map<string, SubscribedTopicMetadata> {
  return new Map(image.topics.map((topic) => [topic.name, { topicId: topic.topicId, numPartitions: topic.partitions.length }]));
}

/**
 * Kafka's computeSubscriptionMetadata: each subscribed topic that exists, by name, with its id and partition count.
 * Names in sorted order, so that equal metadata compares equal.
 */
export function subscribedTopicMetadataOf(members: Iterable<ConsumerGroupMember>, topics: ReadonlyMap<string, SubscribedTopicMetadata>): Record<string, SubscribedTopicMetadata> {
  const names = new Set<string>();
  for (const member of members) for (const name of member.subscribedTopicNames) names.add(name);
  const result: Record<string, SubscribedTopicMetadata> = {};
  for (const name of [...names].sort()) {
    const topic = topics.get(name);
    if (topic !== undefined) result[name] = { topicId: topic.topicId, numPartitions: topic.numPartitions };
  }
  return result;
}

export function topicMetadataEqual(a: Record<string, SubscribedTopicMetadata>, b: Record<string, SubscribedTopicMetadata>): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => {
    const left = a[name];
    const right = b[name];
    return left !== undefined && right !== undefined && left.topicId === right.topicId && left.numPartitions === right.numPartitions;
  });
}

/**
 * Kafka's computePreferredServerAssignor: the assignor most members ask for; a tie goes to the one listed first in
 * group.consumer.assignors, so the choice does not depend on map order. Null when no member asks for one.
 */
export function preferredServerAssignor(members: Iterable<ConsumerGroupMember>, configuredOrder: readonly string[]): string | null {
  const votes = new Map<string, number>();
  for (const member of members) if (member.serverAssignor !== null) votes.set(member.serverAssignor, (votes.get(member.serverAssignor) ?? 0) + 1);
  let best: string | null = null;
  const rank = (name: string) => {
    const index = configuredOrder.indexOf(name);
    return index === -1 ? configuredOrder.length : index;
  };
  for (const [name, count] of votes) {
    const bestCount = best === null ? 0 : (votes.get(best) ?? 0);
    if (best === null || count > bestCount || (count === bestCount && (rank(name) < rank(best) || (rank(name) === rank(best) && name < best)))) best = name;
  }
  return best;
}
