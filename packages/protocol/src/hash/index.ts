/**
 * The hashes Kafka uses to place data, reproduced bit for bit.
 *
 * ```ts
 * partitionForKey(new TextEncoder().encode('foobar'), 12); // 6, as Kafka's default partitioner
 * groupCoordinatorPartition('my-group', 50);               // 12, the __consumer_offsets partition
 * ```
 */
export { murmur2, partitionForKey, toPositive } from './murmur2.js';
export { groupCoordinatorPartition, javaStringHashCode, kafkaAbs } from './java-hash.js';
