/**
 * The per-partition error answers that OffsetCommit, TxnOffsetCommit and OffsetDelete share: a list of topics,
 * each with its partitions' error codes. Kafka's error response for those requests puts the request's error on
 * every partition asked for.
 */

interface TopicPartitions<P> {
  readonly name: string;
  readonly partitions: readonly P[];
}

export interface PartitionErrors {
  name: string;
  partitions: { partitionIndex: number; errorCode: number }[];
}

/** kactor's per-partition answers in Kafka's shape (kactor's bodies carry more per partition in some APIs). */
export function partitionErrors(topics: readonly TopicPartitions<{ readonly partitionIndex: number; readonly errorCode: number }>[]): PartitionErrors[] {
  return topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((partition) => ({ partitionIndex: partition.partitionIndex, errorCode: partition.errorCode })),
  }));
}

/** Every partition a request asked for, answered with one error code (Kafka's `getErrorResponse` for these APIs). */
export function everyPartitionFailed(topics: readonly TopicPartitions<{ readonly partitionIndex: number }>[], errorCode: number): PartitionErrors[] {
  return topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((partition) => ({ partitionIndex: partition.partitionIndex, errorCode })),
  }));
}
