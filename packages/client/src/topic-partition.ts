/** A partition of a topic, as the public API names it (Kafka's `TopicPartition`). */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** `orders-3`, the way Kafka prints a partition. */
export function formatTopicPartition(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/**
 * A Map key for a partition. The separator cannot appear in a topic name on the wire (Kafka allows only
 * `[a-zA-Z0-9._-]`), so two partitions never share a key.
 */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** Checks a partition given by the application; a bad one is a programming error. */
export function assertTopicPartition(tp: TopicPartition, what = 'partition'): void {
  if (typeof tp !== 'object' || tp === null || typeof tp.topic !== 'string' || tp.topic === '') {
    throw new TypeError(`${what} needs a non-empty topic name`);
  }
  if (!Number.isInteger(tp.partition) || tp.partition < 0) {
    throw new RangeError(`${what} ${String(tp.topic)}: partition must be an integer >= 0, got ${String(tp.partition)}`);
  }
}
