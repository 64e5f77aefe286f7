/**
 * The userData the sticky assignors put in a member's subscription, byte for byte as Kafka writes it.
 *
 * `StickyAssignor` (eager, KIP-54) cannot rely on `ownedPartitions`: an eager member revokes everything
 * before it rejoins, so it reports its last assignment and generation here instead, in Kafka's
 * `StickyAssignorUserData` schema. Version 1 (KIP-341 added the generation, so the leader can tell a
 * stale claim from a current one): `previous_assignment: [topic: string, partitions: [int32]],
 * generation: int32`; version 0 lacks the generation. Kafka's leader reads version 1 and falls back to
 * version 0; if neither parses it ignores the member's claims (no partitions, generation -1).
 *
 * `CooperativeStickyAssignor` (KIP-429) reads owned partitions and generation from the subscription's
 * own fields (v2+), and only sends `generation: int32` as userData for leaders reading an older
 * subscription version.
 *
 * Kafka groups the partitions by topic with `HashMap.computeIfAbsent`, so topics are written in that
 * map's order (`javaComputeIfAbsentOrder`), partitions in the order given.
 */
import { javaComputeIfAbsentOrder } from './java-hash-order.js';
import type { TopicPartitions } from './types.js';

/** Kafka's `AbstractStickyAssignor.DEFAULT_GENERATION`: no generation known. */
export const DEFAULT_GENERATION = -1;

/** What a member's sticky userData says: its previous assignment and, from version 1, its generation. */
export interface StickyMemberData {
  readonly partitions: readonly TopicPartitions[];
  /** Absent in version 0 data. */
  readonly generation?: number;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Kafka's `StickyAssignor.serializeTopicPartitionAssignment`: version 1 (version 0 without a generation). */
export function encodeStickyAssignorUserData(memberData: StickyMemberData): Uint8Array {
  // Merge entries of the same topic as Kafka's groupPartitionsByTopic does, keeping partition order.
  const byTopic = new Map<string, number[]>();
  const calls: string[] = [];
  for (const { topic, partitions } of memberData.partitions) {
    const list = byTopic.get(topic) ?? [];
    list.push(...partitions);
    byTopic.set(topic, list);
    for (let i = 0; i < partitions.length; i++) calls.push(topic);
  }
  const topics = javaComputeIfAbsentOrder(calls);
  const names = topics.map((topic) => utf8.encode(topic));
  let size = 4 + (memberData.generation === undefined ? 0 : 4);
  topics.forEach((topic, i) => (size += 2 + names[i]!.length + 4 + 4 * byTopic.get(topic)!.length));
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  view.setInt32(offset, topics.length);
  offset += 4;
  for (let i = 0; i < topics.length; i++) {
    const name = names[i]!;
    view.setInt16(offset, name.length);
    bytes.set(name, offset + 2);
    offset += 2 + name.length;
    const partitions = byTopic.get(topics[i]!)!;
    view.setInt32(offset, partitions.length);
    offset += 4;
    for (const partition of partitions) {
      view.setInt32(offset, partition);
      offset += 4;
    }
  }
  if (memberData.generation !== undefined) view.setInt32(offset, memberData.generation);
  return bytes;
}

/**
 * Partitions grouped by topic in flat arrays: topic `i` holds `partitions[partitionStart[i] ..
 * partitionStart[i + 1])`. The leader decodes 2,000 members' userData at Kafka's scale bar into these
 * rather than into a million small objects.
 */
export interface CompactPartitions {
  readonly topics: readonly string[];
  readonly partitionStart: Int32Array;
  readonly partitions: Int32Array;
}

const NO_PARTITIONS: CompactPartitions = { topics: [], partitionStart: new Int32Array(1), partitions: new Int32Array(0) };

/**
 * Kafka's `StickyAssignor.memberData` for userData: version 1, else version 0, else no claims at
 * generation -1. No userData (or none left) means no claims and no generation.
 */
export function decodeStickyAssignorUserData(userData: Uint8Array | null | undefined): StickyMemberData {
  const { claimed, generation } = decodeStickyAssignorUserDataCompact(userData);
  const partitions = claimed.topics.map((topic, i) => ({
    topic,
    partitions: Array.from(claimed.partitions.subarray(claimed.partitionStart[i]!, claimed.partitionStart[i + 1]!)),
  }));
  return generation === undefined ? { partitions } : { partitions, generation };
}

/**
 * Topic names already decoded, by a hash of their UTF-8 bytes: the 2,000 members of a group send the
 * same few hundred names, and decoding a million short strings costs more than looking them up.
 */
export class TopicNameCache {
  private readonly byHash = new Map<number, { bytes: Uint8Array; name: string }[]>();

  decode(bytes: Uint8Array): string {
    let hash = bytes.length;
    for (let i = 0; i < bytes.length; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
    let bucket = this.byHash.get(hash);
    if (bucket !== undefined) {
      for (const known of bucket) if (sameBytes(known.bytes, bytes)) return known.name;
    } else {
      this.byHash.set(hash, (bucket = []));
    }
    const name = utf8Decoder.decode(bytes);
    bucket.push({ bytes: bytes.slice(), name });
    return name;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `decodeStickyAssignorUserData` into flat arrays, names looked up in `names` when given. */
export function decodeStickyAssignorUserDataCompact(
  userData: Uint8Array | null | undefined,
  names?: TopicNameCache,
): { claimed: CompactPartitions; generation?: number } {
  if (userData === null || userData === undefined || userData.length === 0) return { claimed: NO_PARTITIONS };
  const view = new DataView(userData.buffer, userData.byteOffset, userData.byteLength);
  try {
    return readStickyUserData(view, userData, true, names);
  } catch {
    try {
      return readStickyUserData(view, userData, false, names);
    } catch {
      return { claimed: NO_PARTITIONS, generation: DEFAULT_GENERATION };
    }
  }
}

function readStickyUserData(
  view: DataView,
  bytes: Uint8Array,
  withGeneration: boolean,
  names: TopicNameCache | undefined,
): { claimed: CompactPartitions; generation?: number } {
  let offset = 0;
  const need = (count: number) => {
    if (offset + count > view.byteLength) throw new RangeError('userData ends early');
  };
  need(4);
  const topicCount = view.getInt32(offset);
  offset += 4;
  if (topicCount < 0) throw new RangeError('negative array length');
  // Each topic takes at least 6 bytes (a name length and a partition count): a count the bytes cannot hold is
  // refused before the arrays are sized by it, so a hostile member's userData costs the leader nothing (KAFKA-14063).
  if (topicCount > (view.byteLength - offset) / 6) throw new RangeError('userData declares more topics than its bytes hold');
  const topics: string[] = [];
  const partitionStart = new Int32Array(topicCount + 1);
  // At most this many partitions fit in the bytes: size the array once, trim at the end.
  const partitions = new Int32Array(Math.max(0, (view.byteLength - offset) >> 2));
  let n = 0;
  for (let t = 0; t < topicCount; t++) {
    need(2);
    const nameLength = view.getInt16(offset);
    offset += 2;
    if (nameLength < 0) throw new RangeError('null topic name');
    need(nameLength);
    const nameBytes = bytes.subarray(offset, offset + nameLength);
    topics.push(names === undefined ? utf8Decoder.decode(nameBytes) : names.decode(nameBytes));
    offset += nameLength;
    need(4);
    const count = view.getInt32(offset);
    offset += 4;
    if (count < 0) throw new RangeError('negative array length');
    need(4 * count);
    for (let i = 0; i < count; i++, offset += 4) {
      partitions[n++] = (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    }
    partitionStart[t + 1] = n;
  }
  const claimed = { topics, partitionStart, partitions: partitions.subarray(0, n) };
  if (!withGeneration) return { claimed };
  need(4);
  return { claimed, generation: view.getInt32(offset) };
}

/** Kafka's `CooperativeStickyAssignor.subscriptionUserData`: the member's generation as one int32. */
export function encodeCooperativeStickyAssignorUserData(generation: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, generation);
  return bytes;
}

/**
 * The generation in cooperative userData, as Kafka's `CooperativeStickyAssignor.memberData` reads it
 * when the subscription has no generation field: absent without userData, -1 when it does not parse.
 */
export function decodeCooperativeStickyAssignorUserData(userData: Uint8Array | null | undefined): number | undefined {
  if (userData === null || userData === undefined) return undefined;
  if (userData.length < 4) return DEFAULT_GENERATION;
  return new DataView(userData.buffer, userData.byteOffset, userData.byteLength).getInt32(0);
}
