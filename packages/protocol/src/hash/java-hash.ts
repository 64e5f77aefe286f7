import { assertPartitionCount } from './murmur2.js';

/**
 * Java's `String.hashCode`: `h = 31 * h + c` over UTF-16 code units in int32 arithmetic. JavaScript
 * strings are UTF-16 too, so characters outside the BMP contribute their two surrogates, as in Java.
 */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let index = 0; index < value.length; index += 1) {
    hash = (Math.imul(31, hash) + value.charCodeAt(index)) | 0;
  }
  return hash;
}

/**
 * Kafka's `Utils.abs`: the absolute value of an int32, except that Integer.MIN_VALUE (whose absolute
 * value does not fit) maps to 0 rather than staying negative.
 */
export function kafkaAbs(value: number): number {
  return value === -0x80000000 ? 0 : Math.abs(value | 0);
}

/**
 * The `__consumer_offsets` partition whose leader coordinates a group:
 * `Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions`. The transaction coordinator places
 * transactional ids on `__transaction_state` with the same formula.
 */
export function groupCoordinatorPartition(groupId: string, numPartitions: number): number {
  assertPartitionCount(numPartitions);
  return kafkaAbs(javaStringHashCode(groupId)) % numPartitions;
}
