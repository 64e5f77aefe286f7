/**
 * Kafka's default partitioner hash: MurmurHash2 (32-bit) with Kafka's seed, as in `Utils.murmur2`.
 * A keyed record goes to `toPositive(murmur2(keyBytes)) % numPartitions`, so kactor places keys on the
 * same partitions as every Kafka client that uses the default partitioner.
 */

const seed = 0x9747b28c;
const multiplier = 0x5bd1e995;
const shift = 24;

/** MurmurHash2 of `bytes` as Kafka computes it: a signed 32-bit integer. */
export function murmur2(bytes: Uint8Array): number {
  const length = bytes.length;
  let hash = (seed ^ length) | 0;
  const wholeWordBytes = length - (length % 4);

  // Kafka reads each 4-byte group little-endian; Math.imul keeps every product in int32 like Java.
  for (let offset = 0; offset < wholeWordBytes; offset += 4) {
    let word =
      (bytes[offset] as number) |
      ((bytes[offset + 1] as number) << 8) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 24);
    word = Math.imul(word, multiplier);
    word ^= word >>> shift;
    word = Math.imul(word, multiplier);
    hash = Math.imul(hash, multiplier) ^ word;
  }

  // The 1 to 3 trailing bytes are mixed in from the highest down, then multiplied once.
  const remaining = length - wholeWordBytes;
  if (remaining > 0) {
    if (remaining === 3) hash ^= (bytes[wholeWordBytes + 2] as number) << 16;
    if (remaining >= 2) hash ^= (bytes[wholeWordBytes + 1] as number) << 8;
    hash ^= bytes[wholeWordBytes] as number;
    hash = Math.imul(hash, multiplier);
  }

  hash ^= hash >>> 13;
  hash = Math.imul(hash, multiplier);
  hash ^= hash >>> 15;
  return hash | 0;
}

/**
 * Kafka's `Utils.toPositive`: clears the sign bit. Unlike `Math.abs` it maps every int32 to 0..2^31-1
 * (Integer.MIN_VALUE becomes 0), which is what the partitioner relies on.
 */
export function toPositive(value: number): number {
  return value & 0x7fffffff;
}

/** The partition Kafka's default partitioner picks for a record with a (non-null) key. */
export function partitionForKey(keyBytes: Uint8Array, numPartitions: number): number {
  assertPartitionCount(numPartitions);
  return toPositive(murmur2(keyBytes)) % numPartitions;
}

/** A partition count is a positive int32; anything else is a programming error, not an input error. */
export function assertPartitionCount(numPartitions: number): void {
  if (!Number.isInteger(numPartitions) || numPartitions < 1 || numPartitions > 0x7fffffff) {
    throw new RangeError(`numPartitions must be a positive 32-bit integer, got ${numPartitions}`);
  }
}
