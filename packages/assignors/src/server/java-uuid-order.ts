/**
 * Java's order of topic ids, where Kafka's server-side assignors depend on it. Topic ids are Kafka Uuids
 * (16 bytes as 22 characters of URL-safe base64; packages/protocol's kafka-uuid.ts). Two places matter:
 *
 * - The homogeneous `uniform` builder copies the subscribed topic ids into a `HashSet<Uuid>` and queues the
 *   unassigned partitions topic by topic in that set's iteration order, so which member gets which topic
 *   follows it. Kafka's own test cases (and any user comparing with Kafka) see that order.
 * - The heterogeneous builder breaks ties between topics with `Uuid.compareTo` (signed most significant
 *   long, then signed least significant long).
 *
 * A topic id that is not a Kafka Uuid (a topic made by an older kactor) falls back to `String.hashCode()`
 * and string order: still deterministic, just not comparable with Kafka.
 */
import { javaBucket, javaStringHashCode } from '../java-hash-order.js';

const UUID_TEXT = /^[A-Za-z0-9_-]{22}$/;

/**
 * The Uuid's four 32-bit words, most significant first, or undefined when the id is not a Kafka Uuid. Like
 * `Uuid.fromString`, the last character's four padding bits are ignored (Kafka's own tests use such ids).
 */
function uuidWords(id: string): Int32Array | undefined {
  if (!UUID_TEXT.test(id)) return undefined;
  const bytes = Buffer.from(id, 'base64url');
  return Int32Array.of(bytes.readInt32BE(0), bytes.readInt32BE(4), bytes.readInt32BE(8), bytes.readInt32BE(12));
}

/** `Uuid.hashCode()`: the two halves of `msb ^ lsb` xored, in int32. */
export function javaUuidHashCode(id: string): number {
  const words = uuidWords(id);
  if (words === undefined) return javaStringHashCode(id);
  return (words[0]! ^ words[2]! ^ words[1]! ^ words[3]!) | 0;
}

/** `Uuid.compareTo`: signed most significant long, then signed least significant long. */
export function compareTopicIds(a: string, b: string): number {
  const left = uuidWords(a);
  const right = uuidWords(b);
  if (left === undefined || right === undefined) return a < b ? -1 : a > b ? 1 : 0;
  for (let word = 0; word < 4; word++) {
    // The high word of each long compares signed, the low word unsigned.
    const x = word % 2 === 0 ? left[word]! : left[word]! >>> 0;
    const y = word % 2 === 0 ? right[word]! : right[word]! >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Java's `HashMap.tableSizeFor`: the smallest power of two at least `capacity`. */
function tableSizeFor(capacity: number): number {
  let size = 1;
  while (size < capacity) size *= 2;
  return size;
}

/**
 * The iteration order of `new HashSet<>(topicIds)`: the table holds `max(n / 0.75 + 1, 16)` rounded up to a
 * power of two, iterated bucket by bucket; ids sharing a bucket keep the order they were added in (the
 * order given). (A bucket of 8 or more ids in a table of 64 or more becomes a tree with its own order; with random
 * Uuids that takes 8 collisions in the low bits and is ignored, as java-hash-order.ts does for member ids.)
 */
export function javaHashSetCopyOrder(topicIds: readonly string[]): string[] {
  const capacity = tableSizeFor(Math.max(Math.trunc(topicIds.length / 0.75) + 1, 16));
  const buckets = topicIds.map((id) => javaBucket(javaUuidHashCode(id), capacity));
  return topicIds
    .map((_, position) => position)
    .sort((a, b) => buckets[a]! - buckets[b]! || a - b)
    .map((position) => topicIds[position]!);
}
