/**
 * The input of the sticky assignors, indexed once for both builders. Every partition of every topic to
 * assign gets an integer: topics sorted by name, partition `p` of the `t`-th topic is
 * `topicOffset[t] + p`, so ascending integers are Kafka's (topic, partition) order and a million
 * partitions are a few typed arrays, not a million objects.
 *
 * It also settles what each member still owns, as Kafka's `AbstractStickyAssignor.allSubscriptionsEqual`
 * does (KAFKA-12984): members are visited in Java hash order; a partition claimed by two members of the
 * same generation is taken from both and marked (KIP-429: neither may keep it, and in the cooperative
 * protocol neither has revoked it yet); between different generations the higher one keeps it. A
 * claimant's generation is its own member data's; the holder it is compared with is read from its
 * subscription's generation field, as Kafka does (they differ only for the eager assignor's old
 * subscription versions).
 */
import { javaHashMapOrder } from './java-hash-order.js';
import { prepareGroup, type PreparedTopic } from './prepared-group.js';
import { DEFAULT_GENERATION, type CompactPartitions } from './sticky-user-data.js';
import type { GroupAssignmentInput, GroupMember, TopicPartitions } from './types.js';

/** What the member claims, however its assignor reads it (Kafka's `MemberData`). */
export interface ClaimedPartitions {
  readonly partitions: readonly TopicPartitions[] | CompactPartitions;
  /** Absent when the member sent no generation. */
  readonly generation?: number;
}

export interface StickyGroup {
  /** Members; every per-member array below is indexed by position here. */
  readonly members: readonly GroupMember[];
  readonly topics: readonly PreparedTopic[];
  /** `topicOffset[t]` is the integer of partition 0 of topic `t`; `topicOffset[topics.length]` is the total. */
  readonly topicOffset: Int32Array;
  readonly partitionCount: number;
  /** Each member's rank by member id (UTF-16 order): Kafka's tie-break between consumers. */
  readonly rank: Int32Array;
  /** Positions in the order Kafka iterates its `Map<String, Subscription>`. */
  readonly hashOrder: readonly number[];
  /** Each member's topics to assign (indexes into `topics`), ascending; built on first use (the general builder's). */
  readonly memberTopics: readonly Int32Array[];
  /** The topic index of each partition integer; built on first use. */
  readonly topicOf: Int32Array;
  /** Every member subscribes to the same set of topics (Kafka's test for the constrained builder). */
  readonly allSubscriptionsEqual: boolean;
  /** Member data as read: claimed partitions (as integers, unknown ones dropped) and generation. */
  readonly claims: readonly Int32Array[];
  /** The claims as the member sent them, when they came as wire entries (the subscription's ownedPartitions). */
  readonly claimEntries: readonly (readonly TopicPartitions[] | null)[];
  readonly claimGenerations: readonly (number | undefined)[];
  readonly maxGeneration: number;
  /** After conflicts: member `m` still owns `ownedPartitions[ownedStart[m] .. ownedStart[m + 1])`, ascending. */
  readonly ownedStart: Int32Array;
  readonly ownedPartitions: Int32Array;
  /** 1 for partitions claimed by two members of the same generation. */
  readonly multiplyClaimed: Uint8Array;
}

export function prepareStickyGroup(
  input: GroupAssignmentInput,
  memberData: (member: GroupMember) => ClaimedPartitions,
): StickyGroup {
  const prepared = prepareGroup(input);
  const members = prepared.members;
  const memberCount = members.length;
  const topics = prepared.topics;
  const topicOffset = new Int32Array(topics.length + 1);
  const topicIndex = new Map<string, number>();
  topics.forEach((topic, t) => {
    topicOffset[t + 1] = topicOffset[t]! + topic.partitionCount;
    topicIndex.set(topic.topic, t);
  });
  const partitionCount = topicOffset[topics.length]!;

  const ids = members.map((member) => member.memberId);
  const byId = ids.map((_, position) => position).sort((a, b) => (ids[a]! < ids[b]! ? -1 : 1));
  const rank = new Int32Array(memberCount);
  byId.forEach((position, r) => (rank[position] = r));


  const claims: Int32Array[] = [];
  const claimEntries: (readonly TopicPartitions[] | null)[] = [];
  const claimGenerations: (number | undefined)[] = [];
  for (const member of members) {
    const data = memberData(member);
    const claimed = data.partitions;
    if (Array.isArray(claimed)) {
      claims.push(toIntegers(claimed, topicIndex, topicOffset, topics));
      claimEntries.push(claimed);
    } else {
      claims.push(compactToIntegers(claimed as CompactPartitions, topicIndex, topicOffset, topics));
      claimEntries.push(null);
    }
    claimGenerations.push(data.generation);
  }

  let memberTopics: Int32Array[] | undefined;
  let topicOf: Int32Array | undefined;
  const group = {
    get memberTopics() {
      return (memberTopics ??= topicsOfMembers(memberCount, topics));
    },
    get topicOf() {
      return (topicOf ??= topicsOfPartitions(partitionCount, topicOffset));
    },
    members,
    topics,
    topicOffset,
    partitionCount,
    rank,
    hashOrder: javaHashMapOrder(ids),
    allSubscriptionsEqual: subscriptionsEqual(members),
    claims,
    claimEntries,
    claimGenerations,
  };
  return Object.assign(group, settleClaims(group));
}

/** Claimed partitions as integers, in the order given; topics not assigned now and partitions past the count are dropped. */
function toIntegers(
  claimed: readonly TopicPartitions[],
  topicIndex: ReadonlyMap<string, number>,
  topicOffset: Int32Array,
  topics: readonly PreparedTopic[],
): Int32Array {
  let size = 0;
  for (const entry of claimed) if (topicIndex.has(entry.topic)) size += entry.partitions.length;
  const result = new Int32Array(size);
  let n = 0;
  for (const { topic, partitions } of claimed) {
    const t = topicIndex.get(topic);
    if (t === undefined) continue;
    const count = topics[t]!.partitionCount;
    const base = topicOffset[t]!;
    for (const partition of partitions) if (partition >= 0 && partition < count) result[n++] = base + partition;
  }
  return n === size ? result : result.slice(0, n);
}

/** `toIntegers` for partitions decoded into flat arrays. */
function compactToIntegers(
  claimed: CompactPartitions,
  topicIndex: ReadonlyMap<string, number>,
  topicOffset: Int32Array,
  topics: readonly PreparedTopic[],
): Int32Array {
  const result = new Int32Array(claimed.partitions.length);
  let n = 0;
  claimed.topics.forEach((topic, i) => {
    const t = topicIndex.get(topic);
    if (t === undefined) return;
    const count = topics[t]!.partitionCount;
    const base = topicOffset[t]!;
    for (let k = claimed.partitionStart[i]!; k < claimed.partitionStart[i + 1]!; k++) {
      const partition = claimed.partitions[k]!;
      if (partition >= 0 && partition < count) result[n++] = base + partition;
    }
  });
  return n === result.length ? result : result.slice(0, n);
}

/**
 * Kafka compares raw subscriptions (unknown topics included). It seeds the comparison from the first
 * member with a non-empty subscription, which makes a member subscribed to nothing "equal" when it
 * comes first and hands it partitions; here an empty subscription only equals another empty one.
 * Topics get small ids from the first member's list; each member stamps the ids it lists.
 */
function subscriptionsEqual(members: readonly GroupMember[]): boolean {
  if (members.length === 0) return true;
  const firstTopics = members[0]!.topics;
  const ids = new Map<string, number>();
  for (const topic of firstTopics) if (!ids.has(topic)) ids.set(topic, ids.size);
  const stamp = new Int32Array(ids.size).fill(-1);
  for (let m = 1; m < members.length; m++) {
    const topics = members[m]!.topics;
    if (topics === firstTopics) continue;
    let distinct = 0;
    for (const topic of topics) {
      const id = ids.get(topic);
      if (id === undefined) return false;
      if (stamp[id] !== m) {
        stamp[id] = m;
        distinct++;
      }
    }
    if (distinct !== ids.size) return false;
  }
  return true;
}

/** Each member's topic indexes, ascending, filled straight into one typed array per member. */
function topicsOfMembers(memberCount: number, topics: readonly PreparedTopic[]): Int32Array[] {
  const counts = new Int32Array(memberCount);
  for (const { subscribers } of topics) for (const position of subscribers) counts[position] = counts[position]! + 1;
  const lists = Array.from(counts, (count) => new Int32Array(count));
  const fill = new Int32Array(memberCount);
  topics.forEach(({ subscribers }, t) => {
    for (const position of subscribers) {
      lists[position]![fill[position]!] = t;
      fill[position] = fill[position]! + 1;
    }
  });
  return lists;
}

interface ClaimInput {
  readonly members: readonly GroupMember[];
  readonly partitionCount: number;
  readonly hashOrder: readonly number[];
  readonly claims: readonly Int32Array[];
  /** The claims as the member sent them, when they came as wire entries (the subscription's ownedPartitions). */
  readonly claimEntries: readonly (readonly TopicPartitions[] | null)[];
  readonly claimGenerations: readonly (number | undefined)[];
}

function settleClaims(group: ClaimInput) {
  const { members, partitionCount, hashOrder, claims, claimGenerations } = group;
  if (claims.every((claimed) => claimed.length === 0)) {
    // A group's first assignment: nobody claims anything, so there is nothing to settle.
    const maxGeneration = Math.max(DEFAULT_GENERATION, ...claimGenerations.map((generation) => generation ?? DEFAULT_GENERATION));
    return { maxGeneration, ownedStart: new Int32Array(members.length + 1), ownedPartitions: new Int32Array(0), multiplyClaimed: new Uint8Array(partitionCount) };
  }
  // The member whose claim was seen last (Kafka's allPreviousPartitionsToOwner) and the member whose
  // list still holds the partition: the same member, or nobody after a same-generation clash.
  const claimant = new Int32Array(partitionCount).fill(-1);
  const heldBy = new Int32Array(partitionCount).fill(-1);
  const multiplyClaimed = new Uint8Array(partitionCount);
  const subscriptionGeneration = members.map((member) => ((member.generationId ?? -1) < 0 ? DEFAULT_GENERATION : member.generationId!));
  let maxGeneration = DEFAULT_GENERATION;
  for (const m of hashOrder) {
    const generation = claimGenerations[m] ?? DEFAULT_GENERATION;
    if (generation > maxGeneration) maxGeneration = generation;
    for (const partition of claims[m]!) {
      const other = claimant[partition]!;
      if (other === -1) {
        heldBy[partition] = m;
        claimant[partition] = m;
        continue;
      }
      const otherGeneration = subscriptionGeneration[other]!;
      if (generation === otherGeneration) {
        multiplyClaimed[partition] = 1;
        heldBy[partition] = -1;
        claimant[partition] = m;
      } else if (generation > otherGeneration) {
        heldBy[partition] = m;
        claimant[partition] = m;
      }
    }
  }
  // Each member's remaining partitions as one contiguous ascending run (a counting sort by holder).
  const ownedStart = new Int32Array(members.length + 1);
  for (let p = 0; p < partitionCount; p++) if (heldBy[p]! >= 0) ownedStart[heldBy[p]! + 1] = ownedStart[heldBy[p]! + 1]! + 1;
  for (let m = 0; m < members.length; m++) ownedStart[m + 1]! += ownedStart[m]!;
  const fill = ownedStart.slice(0, members.length);
  const ownedPartitions = new Int32Array(ownedStart[members.length]!);
  for (let p = 0; p < partitionCount; p++) {
    const m = heldBy[p]!;
    if (m >= 0) ownedPartitions[fill[m]!] = p;
    if (m >= 0) fill[m] = fill[m]! + 1;
  }
  return { maxGeneration, ownedStart, ownedPartitions, multiplyClaimed };
}

/** The topic index of each partition integer (built once per group, on first use). */
export function topicOfPartitions(group: StickyGroup): Int32Array {
  return group.topicOf;
}

function topicsOfPartitions(partitionCount: number, topicOffset: Int32Array): Int32Array {
  const topicOf = new Int32Array(partitionCount);
  for (let t = 0; t + 1 < topicOffset.length; t++) topicOf.fill(t, topicOffset[t]!, topicOffset[t + 1]!);
  return topicOf;
}
