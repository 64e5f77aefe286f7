/**
 * Sticky and cooperative-sticky against Apache Kafka itself: 80 seeded random groups that Kafka
 * 4.4.0's own `StickyAssignor` and `CooperativeStickyAssignor` assigned over consecutive rounds (a
 * first assignment; members leaving, joining, resubscribing, reporting what they own, sometimes at an
 * older generation or with a partition another member also claims; for cooperative-sticky the
 * follow-up rounds until nothing is withheld). The fixture's `source` field says how it was made.
 *
 * Kafka puts subscriptions into a `HashMap` in JoinGroup order, which decides ties between members in
 * the same hash bucket; the generator inserted them in member-id order, the order assumed here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { stickyAssignor } from './sticky-assignor.js';
import { topicPartitions } from './sticky-test-helpers.js';
import { encodeStickyAssignorUserData } from './sticky-user-data.js';
import type { GroupAssignment, GroupAssignmentInput, GroupMember, PartitionAssignor } from './types.js';

type PartitionsByTopic = Record<string, number[]>;
interface KafkaRound {
  members: [memberId: string, topics: string[], owned: [topic: string, partition: number][], generation: number][];
  assignment: Record<string, PartitionsByTopic>;
}
interface KafkaCase {
  seed: number;
  partitionsPerTopic: Record<string, number>;
  sticky: KafkaRound[];
  cooperative: KafkaRound[];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/kafka-4.4.0-sticky-assignments.json', import.meta.url), 'utf8'),
) as { cases: KafkaCase[] };

/** The subscription Kafka's test program sent: eager members carry owned partitions in userData only. */
function memberOf(kind: 'sticky' | 'cooperative', [memberId, topics, owned, generation]: KafkaRound['members'][number]): GroupMember {
  const ownedPartitions = topicPartitions(owned.map(([topic, partition]) => `${topic}-${partition}`));
  if (kind === 'cooperative') return { memberId, topics, ownedPartitions, generationId: generation };
  const userData = generation < 0 && owned.length === 0 ? null : encodeStickyAssignorUserData({ partitions: ownedPartitions, generation });
  return { memberId, topics, ownedPartitions: [], generationId: generation, userData };
}

function asRecord(output: GroupAssignment): Record<string, PartitionsByTopic> {
  const result: Record<string, PartitionsByTopic> = {};
  for (const [memberId, { assignedPartitions }] of output.assignments) {
    result[memberId] = Object.fromEntries(assignedPartitions.map(({ topic, partitions }) => [topic, [...partitions]]));
  }
  return result;
}

describe.each<[string, PartitionAssignor, 'sticky' | 'cooperative']>([
  ['sticky', stickyAssignor, 'sticky'],
  ['cooperative-sticky', cooperativeStickyAssignor, 'cooperative'],
])('%s assignor matches Kafka 4.4.0 round by round on seeded random groups', (_name, assignor, kind) => {
  it('has the fixture', () => {
    expect(fixture.cases.length).toBe(80);
    expect(fixture.cases.filter((kafkaCase) => kafkaCase[kind].length > 1).length).toBeGreaterThan(60);
  });

  it.each(fixture.cases.map((kafkaCase) => [kafkaCase.seed, kafkaCase] as const))('seed %i', (_seed, kafkaCase) => {
    for (const [round, kafkaRound] of kafkaCase[kind].entries()) {
      const input: GroupAssignmentInput = {
        partitionsPerTopic: new Map(Object.entries(kafkaCase.partitionsPerTopic)),
        members: kafkaRound.members.map((member) => memberOf(kind, member)),
      };
      expect(asRecord(assignor.assign(input)), `round ${round + 1}`).toEqual(kafkaRound.assignment);
    }
  });
});
