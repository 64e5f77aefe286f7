/**
 * Members for the sticky assignors' tests, written the way Kafka's `AbstractStickyAssignorTest` builds
 * subscriptions: `buildSubscriptionV2Above` puts the owned partitions and generation in the
 * subscription fields and, for the eager assignor, in its userData too. Test support only.
 */
import { encodeCooperativeStickyAssignorUserData, encodeStickyAssignorUserData } from './sticky-user-data.js';
import type { GroupAssignment, GroupAssignmentInput, GroupMember, TopicPartitions } from './types.js';

/** 'topic-3' strings to wire entries, grouped by topic in first-seen order. */
export function topicPartitions(names: readonly string[]): TopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const name of names) {
    const cut = name.lastIndexOf('-');
    const topic = name.slice(0, cut);
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), Number(name.slice(cut + 1))]);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

/** Kafka's buildSubscriptionV2Above for either assignor: fields and userData agree. */
export function ownerOf(memberId: string, topics: readonly string[], owned: readonly string[], generation: number, kind: 'sticky' | 'cooperative'): GroupMember {
  const ownedPartitions = topicPartitions(owned);
  return {
    memberId,
    topics,
    ownedPartitions,
    generationId: generation,
    userData:
      kind === 'sticky'
        ? encodeStickyAssignorUserData({ partitions: ownedPartitions, generation })
        : encodeCooperativeStickyAssignorUserData(generation),
  };
}

/** The next round's input: every member owns what it was just given, at `generation`. */
export function nextRound(input: GroupAssignmentInput, output: GroupAssignment, generation: number, kind: 'sticky' | 'cooperative'): GroupAssignmentInput {
  return {
    partitionsPerTopic: input.partitionsPerTopic,
    members: input.members.map((member) => {
      const owned = output.assignments.get(member.memberId)!.assignedPartitions;
      return {
        ...member,
        ownedPartitions: owned,
        generationId: generation,
        userData:
          kind === 'sticky'
            ? encodeStickyAssignorUserData({ partitions: owned, generation })
            : encodeCooperativeStickyAssignorUserData(generation),
      };
    }),
  };
}

/** Partitions that changed hands between `before` owners and `after`, as 'topic-p' strings. */
export function ownerMap(output: GroupAssignment): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [memberId, { assignedPartitions }] of output.assignments) {
    for (const { topic, partitions } of assignedPartitions) for (const p of partitions) owners.set(`${topic}-${p}`, memberId);
  }
  return owners;
}
