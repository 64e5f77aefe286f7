/**
 * Sticky and cooperative-sticky against Apache Kafka itself: 80 seeded random groups that Kafka
 * 4.4.0's own `StickyAssignor` and `CooperativeStickyAssignor` assigned over consecutive rounds (a
 * first assignment; members leaving, joining, resubscribing, reporting what they own, sometimes at an
 * older generation or with a partition another member also claims; for cooperative-sticky the
 * follow-up rounds until nothing is withheld). The fixture's `source` field says how it was made.
 *
 * Kafka puts subscriptions into a `HashMap` in JoinGroup order, which decides ties between members in
 * the same hash bucket; the generator inserted them in member-id order, the order assumed here.
 *
 * A second fixture has larger groups (5 to 30 members, topics of up to 59 partitions). There Kafka
 * itself goes wrong in 8 of 40 second rounds per assignor, all in its general builder with members of
 * an older generation claiming partitions: 6 times its answer gives a member partitions of a topic it
 * no longer subscribes to (in the one examined, seed 9514, by moving them back to their owner of the
 * earlier generation without checking its subscription), twice it throws a NullPointerException.
 * kactor checks the subscription and stays valid there; every round Kafka answers validly, kactor
 * answers the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { stickyAssignor } from './sticky-assignor.js';
import { topicPartitions } from './sticky-test-helpers.js';
import { encodeStickyAssignorUserData } from './sticky-user-data.js';
import { baseChecks, doubleOwnerViolations, shapeViolations, subscriptionViolations } from './assignment-checks.js';
import type { GroupAssignment, GroupAssignmentInput, GroupMember, PartitionAssignor } from './types.js';

type PartitionsByTopic = Record<string, number[]>;
interface KafkaRound {
  members: [memberId: string, topics: string[], owned: [topic: string, partition: number][], generation: number][];
  /** Absent when Kafka threw (`error`). */
  assignment?: Record<string, PartitionsByTopic>;
  error?: string;
}
interface KafkaCase {
  seed: number;
  partitionsPerTopic: Record<string, number>;
  sticky: KafkaRound[];
  cooperative: KafkaRound[];
}

const load = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as { cases: KafkaCase[] };
const fixture = load('kafka-4.4.0-sticky-assignments.json');
const largeFixture = load('kafka-4.4.0-sticky-assignments-large.json');

/** Kafka's answer gives some member a partition of a topic it does not subscribe to. */
function kafkaAnswerInvalid(round: KafkaRound): boolean {
  const topicsOf = new Map(round.members.map(([memberId, topics]) => [memberId, new Set(topics)]));
  return Object.entries(round.assignment ?? {}).some(([memberId, byTopic]) => Object.keys(byTopic).some((topic) => !topicsOf.get(memberId)!.has(topic)));
}

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

describe.each<[string, PartitionAssignor, 'sticky' | 'cooperative']>([
  ['sticky', stickyAssignor, 'sticky'],
  ['cooperative-sticky', cooperativeStickyAssignor, 'cooperative'],
])('%s assignor against Kafka 4.4.0 on larger groups', (_name, assignor, kind) => {
  const rounds = largeFixture.cases.flatMap((kafkaCase) =>
    kafkaCase[kind].map((kafkaRound, round) => ({ seed: kafkaCase.seed, round: round + 1, kafkaCase, kafkaRound })),
  );
  const inputOf = ({ kafkaCase, kafkaRound }: (typeof rounds)[number]): GroupAssignmentInput => ({
    partitionsPerTopic: new Map(Object.entries(kafkaCase.partitionsPerTopic)),
    members: kafkaRound.members.map((member) => memberOf(kind, member)),
  });
  const kafkaWrong = rounds.filter(({ kafkaRound }) => kafkaRound.error !== undefined || kafkaAnswerInvalid(kafkaRound));

  it('has the fixture, and Kafka goes wrong where this file says', () => {
    expect(largeFixture.cases.length).toBe(40);
    expect(kafkaWrong.map(({ seed, round, kafkaRound }) => `${seed}/${round}${kafkaRound.error === undefined ? '' : ' threw'}`)).toEqual([
      '9500/2 threw',
      '9506/2',
      '9508/2',
      '9510/2',
      '9513/2',
      '9514/2',
      '9523/2',
      '9524/2 threw',
    ]);
  });

  it('answers every round Kafka answers validly the same, partition for partition', () => {
    for (const entry of rounds) {
      if (kafkaWrong.includes(entry)) continue;
      expect(asRecord(assignor.assign(inputOf(entry))), `seed ${entry.seed} round ${entry.round}`).toEqual(entry.kafkaRound.assignment);
    }
  });

  it('answers validly where Kafka does not', () => {
    for (const entry of kafkaWrong) {
      const input = inputOf(entry);
      const output = assignor.assign(input);
      // The cooperative assignor may withhold partitions this round, so not every partition has an owner.
      const checks = kind === 'cooperative' ? [shapeViolations, subscriptionViolations, doubleOwnerViolations] : baseChecks('overall');
      expect(checks.flatMap((check) => check(input, output)), `seed ${entry.seed} round ${entry.round}`).toEqual([]);
    }
  });
});
