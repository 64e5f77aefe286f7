/**
 * fast-check generators of groups for the compliance suite and the assignors' own property tests.
 * Test support only: not exported from the package (it would make fast-check a runtime dependency).
 *
 * Names are chosen to catch ordering mistakes: upper case sorts before lower case, "t10" before "t2",
 * and some subscribed topics are missing from the metadata or have no partitions.
 */
import fc from 'fast-check';
import type { GroupAssignmentInput, GroupMember } from './types.js';

export const TOPIC_POOL = ['a', 'B', 't1', 't10', 't2', 'orders', 'orders.v2', '_x', 'Z9'] as const;
/** Topics members may subscribe to that never appear in the metadata. */
export const UNKNOWN_TOPICS = ['ghost', 'deleted-topic'] as const;

export interface GroupShape {
  minMembers?: number;
  maxMembers?: number;
  maxPartitionsPerTopic?: number;
  /** Every member subscribes to the same topics (the case where balance is promised). */
  sameSubscription?: boolean;
}

const memberId = fc.oneof(
  fc.constantFrom('consumer-1', 'consumer-10', 'consumer-2', 'C', 'c', 'm-ü'),
  fc.string({ minLength: 1, maxLength: 6 }),
);

export const arbitraryPartitionsPerTopic = (maxPartitionsPerTopic = 12): fc.Arbitrary<Map<string, number>> =>
  fc
    .subarray([...TOPIC_POOL])
    .chain((topics) =>
      fc.tuple(...topics.map((topic) => fc.integer({ min: 0, max: maxPartitionsPerTopic }).map((count): [string, number] => [topic, count]))),
    )
    .map((entries) => new Map(entries));

const subscription = fc.subarray([...TOPIC_POOL, ...UNKNOWN_TOPICS]).chain((topics) => fc.shuffledSubarray(topics, { minLength: topics.length }));

/** Members with unique ids, some static (unique instance ids), each with its own or one shared subscription. */
export function arbitraryMembers(shape: GroupShape = {}): fc.Arbitrary<GroupMember[]> {
  const minLength = shape.minMembers ?? 0;
  const maxLength = shape.maxMembers ?? 10;
  return fc
    .record({
      ids: fc.uniqueArray(memberId, { minLength, maxLength }),
      instanceIds: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { minLength: maxLength, maxLength }),
      isStatic: fc.array(fc.boolean(), { minLength: maxLength, maxLength }),
      subscriptions: fc.array(subscription, { minLength: maxLength, maxLength }),
      shared: subscription,
    })
    .map(({ ids, instanceIds, isStatic, subscriptions, shared }) =>
      ids.map((id, i) => ({
        memberId: id,
        groupInstanceId: isStatic[i] ? instanceIds[i]! : null,
        topics: shape.sameSubscription ? [...shared] : subscriptions[i]!,
      })),
    );
}

export function arbitraryGroup(shape: GroupShape = {}): fc.Arbitrary<GroupAssignmentInput> {
  return fc
    .record({
      partitionsPerTopic: arbitraryPartitionsPerTopic(shape.maxPartitionsPerTopic),
      members: arbitraryMembers(shape),
    })
    .map(({ partitionsPerTopic, members }) => ({ partitionsPerTopic, members }));
}

/**
 * The group of the next rebalance: some members leave, some join (with fresh ids), some change their
 * subscription, and topics may gain partitions. Owned partitions and generations are the caller's to
 * fill in (see `nextRoundInput`).
 */
export function arbitraryNextGroup(previous: GroupAssignmentInput): fc.Arbitrary<GroupAssignmentInput> {
  return fc
    .record({
      stay: fc.subarray(previous.members.map((_, i) => i)),
      resubscribe: fc.array(fc.option(subscription, { nil: undefined }), {
        minLength: previous.members.length,
        maxLength: previous.members.length,
      }),
      joiners: arbitraryMembers({ maxMembers: 4 }),
      addedPartitions: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: TOPIC_POOL.length, maxLength: TOPIC_POOL.length }),
    })
    .map(({ stay, resubscribe, joiners, addedPartitions }) => {
      const stayers = stay.map((i) => {
        const member = previous.members[i]!;
        const topics = resubscribe[i];
        return topics === undefined ? member : { ...member, topics };
      });
      const taken = new Set(stayers.map((member) => member.memberId));
      const takenInstances = new Set(stayers.map((member) => member.groupInstanceId ?? null));
      const newcomers = joiners
        .map((member) => ({ ...member, memberId: `new-${member.memberId}` }))
        .filter((member) => !taken.has(member.memberId))
        .map((member) => (takenInstances.has(member.groupInstanceId ?? null) ? { ...member, groupInstanceId: null } : member));
      const partitionsPerTopic = new Map(previous.partitionsPerTopic);
      TOPIC_POOL.forEach((topic, i) => {
        const count = partitionsPerTopic.get(topic);
        if (count !== undefined) partitionsPerTopic.set(topic, count + addedPartitions[i]!);
      });
      return { partitionsPerTopic, members: [...stayers, ...newcomers] };
    });
}

/** The same group written in another order: members, their topics, and the metadata's topics permuted. */
export function permuted(input: GroupAssignmentInput, keys: readonly number[]): GroupAssignmentInput {
  const order = <T>(items: readonly T[], salt: number): T[] =>
    items
      .map((item, i) => ({ item, key: keys[(i + salt) % keys.length] ?? 0, i }))
      .sort((a, b) => a.key - b.key || b.i - a.i)
      .map(({ item }) => item);
  return {
    partitionsPerTopic: new Map(order([...input.partitionsPerTopic], 7)),
    members: order(input.members, 0).map((member, i) => ({ ...member, topics: order(member.topics, i + 1) })),
  };
}
