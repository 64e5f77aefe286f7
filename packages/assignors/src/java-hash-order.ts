/**
 * The iteration order of Java's `HashMap<String, V>` and `HashSet<TopicPartition>`, computed instead of
 * stored. Kafka's sticky assignors walk `Map<String, Subscription>` and friends in that order at a few
 * points where the order changes the result (who keeps `maxQuota` partitions when more members could,
 * which of two claims in the same generation comes first, which stale owner a partition remembers). To
 * give Kafka's answers, those steps walk members in this order too.
 *
 * A `HashMap` built by puts into a default map (capacity 16, load factor 0.75) ends with the smallest
 * power-of-two capacity `c >= 16` such that `size <= 0.75 c`, and iterates bucket by bucket, where a
 * key's bucket is `(h ^ (h >>> 16)) & (c - 1)` of its `hashCode()`; keys sharing a bucket come in
 * insertion order (resizing keeps that order). Insertion order is the order the JoinGroup response
 * listed members, which the assignor's input does not carry, so keys sharing a bucket are ordered by
 * their UTF-16 value here: the one place this can differ from Kafka, and only for member ids whose
 * hashes collide in the low bits. (Buckets of 8+ keys in tables of 64+ become trees with their own
 * order; with member ids that needs 8 low-bit collisions and is ignored.)
 */

/** Java's `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, in int32. */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  return hash;
}

/** `TopicPartition.hashCode()`: `31 * (31 + partition) + topic.hashCode()`, in int32. */
export function javaTopicPartitionHashCode(topicHashCode: number, partition: number): number {
  return (Math.imul(31, 31 + partition) + topicHashCode) | 0;
}

/** The bucket `HashMap` puts a key with this `hashCode()` in, for a table of `capacity` (a power of two). */
export function javaBucket(hashCode: number, capacity: number): number {
  return ((hashCode ^ (hashCode >>> 16)) & (capacity - 1)) >>> 0;
}

/** The table capacity of a default `HashMap` after `size` puts of distinct keys. */
export function javaHashMapCapacity(size: number): number {
  let capacity = 16;
  while (size > capacity * 0.75) capacity *= 2;
  return capacity;
}

/**
 * Positions of `keys` (distinct strings) in the order a `HashMap` holding them iterates: by bucket,
 * then (standing in for insertion order) by UTF-16 value.
 */
export function javaHashMapOrder(keys: readonly string[]): number[] {
  const capacity = javaHashMapCapacity(keys.length);
  const buckets = keys.map((key) => javaBucket(javaStringHashCode(key), capacity));
  return keys
    .map((_, position) => position)
    .sort((a, b) => buckets[a]! - buckets[b]! || (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
}

/**
 * The keys of a `HashMap` filled by `computeIfAbsent(key, ...)` once per element of `calls`, in
 * iteration order. Unlike `put`, `computeIfAbsent` links a new key at the head of its bucket and
 * resizes before (not after) an insertion, at every call; Kafka's `StickyAssignor` groups partitions
 * by topic this way, so the topics of its userData come in this order. Simulated literally: buckets
 * of keys, split in order on resize.
 */
export function javaComputeIfAbsentOrder(calls: readonly string[]): string[] {
  let capacity = 0;
  let buckets: string[][] = [];
  let size = 0;
  const hashes = new Map<string, number>();
  for (const key of calls) {
    if (capacity === 0 || size > capacity * 0.75) {
      const grown = capacity === 0 ? 16 : capacity * 2;
      const next: string[][] = Array.from({ length: grown }, () => []);
      for (const bucket of buckets) for (const old of bucket) next[javaBucket(hashes.get(old)!, grown)]!.push(old);
      buckets = next;
      capacity = grown;
    }
    let hash = hashes.get(key);
    if (hash === undefined) {
      hash = javaStringHashCode(key);
      hashes.set(key, hash);
      buckets[javaBucket(hash, capacity)]!.unshift(key);
      size++;
    }
  }
  return buckets.flat();
}
