/**
 * Kafka's default partitioning (KIP-794), in two parts:
 * - `keyedPartition`: a keyed record goes to `toPositive(murmur2(key)) % numPartitions` over all partitions,
 *   so a key lands where every Kafka client puts it.
 * - `StickyPartitioner`: records without a key (or with `partitioner.ignore.keys`) stick to one partition
 *   per topic until about batch.size bytes went to it, then move to another partition chosen at random,
 *   preferring partitions that have a leader ("uniform sticky": KIP-480 stuck to a partition per batch,
 *   which gave slow partitions bigger batches and more records; KIP-794 counts bytes instead).
 *
 * Kafka also weights the choice by each broker's queue length (partitioner.adaptive.partitioning.enable);
 * kactor declares no such setting and chooses uniformly.
 */
import { partitionForKey } from '@kactor/protocol';
import type { Random } from '@kactor/runtime';

export function keyedPartition(keyBytes: Uint8Array, numPartitions: number): number {
  return partitionForKey(keyBytes, numPartitions);
}

interface StickyChoice {
  partition: number;
  /** Bytes appended to `partition` since it was chosen. */
  producedBytes: number;
}

export class StickyPartitioner {
  private readonly choices = new Map<string, StickyChoice>();

  /** `stickyBatchSize` is batch.size: how many bytes go to one partition before switching. */
  constructor(
    private readonly random: Random,
    private readonly stickyBatchSize: number,
  ) {}

  /** The topic's current sticky partition, choosing one when there is none or it no longer exists. */
  partition(topic: string, numPartitions: number, availablePartitions: readonly number[]): number {
    const choice = this.choices.get(topic);
    if (choice !== undefined && choice.partition < numPartitions) return choice.partition;
    return this.switchPartition(topic, numPartitions, availablePartitions);
  }

  /**
   * Counts `appendedBytes` against the sticky partition and moves on once batch.size bytes went to it and
   * its batch is complete (`batchFull`), or twice batch.size went to it in any case (a batch that keeps
   * being sent before it fills, with a short linger.ms, must not keep the partition forever).
   */
  onAppend(topic: string, partition: number, appendedBytes: number, batchFull: boolean, numPartitions: number, availablePartitions: readonly number[]): void {
    const choice = this.choices.get(topic);
    if (choice === undefined || choice.partition !== partition) return;
    choice.producedBytes += appendedBytes;
    const enough = choice.producedBytes >= this.stickyBatchSize;
    if ((enough && batchFull) || choice.producedBytes >= this.stickyBatchSize * 2) this.switchPartition(topic, numPartitions, availablePartitions);
  }

  private switchPartition(topic: string, numPartitions: number, availablePartitions: readonly number[]): number {
    const candidates = availablePartitions.filter((partition) => partition < numPartitions);
    const partition = candidates.length > 0 ? (candidates[this.random.nextInt(candidates.length)] as number) : this.random.nextInt(numPartitions);
    this.choices.set(topic, { partition, producedBytes: 0 });
    return partition;
  }
}
