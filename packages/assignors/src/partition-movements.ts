/**
 * The record of partition moves Kafka's general sticky builder keeps while it rebalances
 * (`AbstractStickyAssignor.PartitionMovements`, KIP-54). Its one effect on the result: when a partition
 * of a topic is about to move from consumer A to B while an earlier move of the same topic went from B
 * to A, that earlier partition goes back instead, so partitions do not swap between two consumers.
 *
 * Which earlier partition is taken is the first of a Java `HashSet<TopicPartition>`, so the sets here
 * remember insertion order and their table capacity, and pick the first by Java's bucket order
 * (`java-hash-order.ts`).
 */
import { javaBucket, javaStringHashCode, javaTopicPartitionHashCode } from './java-hash-order.js';
import type { StickyGroup } from './sticky-group.js';

/** A `HashSet<TopicPartition>`'s membership and iteration order. */
class MovedPartitions {
  readonly partitions: number[] = [];
  readonly insertionOrder: number[] = [];
  private capacity = 16;

  add(partition: number, sequence: number): void {
    this.partitions.push(partition);
    this.insertionOrder.push(sequence);
    if (this.partitions.length > this.capacity * 0.75) this.capacity *= 2;
  }

  remove(partition: number): void {
    const i = this.partitions.indexOf(partition);
    this.partitions.splice(i, 1);
    this.insertionOrder.splice(i, 1);
  }

  /** The partition `iterator().next()` returns. */
  first(hashCode: (partition: number) => number): number {
    let best = 0;
    let bestBucket = Infinity;
    for (let i = 0; i < this.partitions.length; i++) {
      const bucket = javaBucket(hashCode(this.partitions[i]!), this.capacity);
      if (bucket < bestBucket || (bucket === bestBucket && this.insertionOrder[i]! < this.insertionOrder[best]!)) {
        best = i;
        bestBucket = bucket;
      }
    }
    return this.partitions[best]!;
  }
}

export class PartitionMovements {
  /** For a moved partition, where it was at the start of the rebalance and where it is now; -1 when unmoved. */
  private readonly source: Int32Array;
  private readonly destination: Int32Array;
  /** Per topic, per (source, destination) pair, the partitions that made that move. */
  private readonly byTopic = new Map<number, Map<number, MovedPartitions>>();
  private readonly topicHashCodes: Int32Array;
  private sequence = 0;

  constructor(
    private readonly group: StickyGroup,
    private readonly topicOf: Int32Array,
  ) {
    this.source = new Int32Array(group.partitionCount).fill(-1);
    this.destination = new Int32Array(group.partitionCount).fill(-1);
    this.topicHashCodes = Int32Array.from(group.topics, ({ topic }) => javaStringHashCode(topic));
  }

  private pairKey(source: number, destination: number): number {
    return source * this.group.members.length + destination;
  }

  private readonly hashCode = (partition: number): number => {
    const t = this.topicOf[partition]!;
    return javaTopicPartitionHashCode(this.topicHashCodes[t]!, partition - this.group.topicOffset[t]!);
  };

  private removeRecord(partition: number): number {
    const source = this.source[partition]!;
    const topic = this.topicOf[partition]!;
    const pairs = this.byTopic.get(topic)!;
    const key = this.pairKey(source, this.destination[partition]!);
    const moved = pairs.get(key)!;
    moved.remove(partition);
    if (moved.partitions.length === 0) pairs.delete(key);
    if (pairs.size === 0) this.byTopic.delete(topic);
    this.source[partition] = -1;
    this.destination[partition] = -1;
    return source;
  }

  private addRecord(partition: number, source: number, destination: number): void {
    this.source[partition] = source;
    this.destination[partition] = destination;
    const topic = this.topicOf[partition]!;
    let pairs = this.byTopic.get(topic);
    if (pairs === undefined) this.byTopic.set(topic, (pairs = new Map()));
    const key = this.pairKey(source, destination);
    let moved = pairs.get(key);
    if (moved === undefined) pairs.set(key, (moved = new MovedPartitions()));
    moved.add(partition, this.sequence++);
  }

  /** Records a move; a partition moving back to where it started is no longer moved. */
  movePartition(partition: number, oldOwner: number, newOwner: number): void {
    if (this.source[partition] !== -1) {
      const source = this.removeRecord(partition);
      if (source !== newOwner) this.addRecord(partition, source, newOwner);
    } else {
      this.addRecord(partition, oldOwner, newOwner);
    }
  }

  /** The partition to move from `oldOwner` to `newOwner` in place of `partition`. */
  partitionToMove(partition: number, oldOwner: number, newOwner: number): number {
    const pairs = this.byTopic.get(this.topicOf[partition]!);
    if (pairs === undefined) return partition;
    const from = this.source[partition] !== -1 ? this.source[partition]! : oldOwner;
    const reverse = pairs.get(this.pairKey(newOwner, from));
    return reverse === undefined ? partition : reverse.first(this.hashCode);
  }
}
