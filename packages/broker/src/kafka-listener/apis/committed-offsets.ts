/** The committed offsets OffsetCommit and TxnOffsetCommit carry, in kactor's shape (Kafka's int64 offsets as safe integers). */
import { int64ToNumber } from './int64-to-number.js';

interface KafkaCommittedPartition {
  readonly partitionIndex: number;
  readonly committedOffset: bigint;
  readonly committedLeaderEpoch: number;
  readonly committedMetadata: string | null;
}

export function committedOffsets(topics: readonly { readonly name: string; readonly partitions: readonly KafkaCommittedPartition[] }[]) {
  return topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((partition) => ({
      partitionIndex: partition.partitionIndex,
      committedOffset: int64ToNumber(partition.committedOffset),
      // Kafka sends leader epochs from OffsetCommit v6 and TxnOffsetCommit v2; earlier versions decode as -1 (unknown).
      committedLeaderEpoch: partition.committedLeaderEpoch,
      committedMetadata: partition.committedMetadata,
    })),
  }));
}
