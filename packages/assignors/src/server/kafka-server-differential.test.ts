/**
 * uniform and range against Apache Kafka itself: 120 seeded random groups (homogeneous and heterogeneous, static
 * and dynamic members, first assignments, random current assignments and Kafka's own earlier answers for a group
 * that changed since) and one chain of overlapping subscriptions that needs more than the heterogeneous builder's 16
 * balancing rounds (seed -1), that Kafka 4.4.0's `UniformAssignor` and `RangeAssignor` assigned; the fixture's
 * `source` says how it was made (tools/kafka-server-assignors).
 *
 * Every order Kafka's builders walk is defined here: the generator hands Kafka members, subscriptions and current
 * assignments in insertion-ordered collections, and this test rebuilds them in the same order, so the outputs must
 * be equal exactly. The one hash order left, the homogeneous builder's `HashSet<Uuid>` of subscribed topics, is the
 * one kactor computes (java-uuid-order.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rangeServerAssignor } from './range-server-assignor.js';
import type { ServerAssignorGroupSpec, ServerPartitionAssignor, SubscriptionType } from './server-assignor.js';
import { describerOf, plainAssignment, type PlainAssignment } from './server-test-helpers.js';
import { uniformAssignor } from './uniform-assignor.js';
import { assignHeterogeneous, MAX_BALANCING_ROUNDS } from './uniform-heterogeneous.js';

interface KafkaMember {
  memberId: string;
  instanceId: string | null;
  topics: string[];
  assigned: [topicId: string, partitions: number[]][];
}
interface KafkaCase {
  seed: number;
  subscriptionType: SubscriptionType;
  topics: Record<string, number>;
  members: KafkaMember[];
  uniform: PlainAssignment;
  range: PlainAssignment;
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/kafka-4.4.0-server-assignments.json', import.meta.url), 'utf8'),
) as { source: string; cases: KafkaCase[] };

function groupOf(kafkaCase: KafkaCase): ServerAssignorGroupSpec {
  return {
    subscriptionType: kafkaCase.subscriptionType,
    members: kafkaCase.members.map((member) => ({
      memberId: member.memberId,
      instanceId: member.instanceId,
      rackId: null,
      subscribedTopicIds: new Set(member.topics),
      assignedPartitions: new Map(member.assigned.map(([topicId, partitions]) => [topicId, new Set(partitions)])),
    })),
  };
}

describe.each<[string, ServerPartitionAssignor, 'uniform' | 'range']>([
  ['uniform', uniformAssignor, 'uniform'],
  ['range', rangeServerAssignor, 'range'],
])('%s server assignor matches Kafka 4.4.0 on seeded random groups', (_name, assignor, key) => {
  it('has the fixture, with both subscription types and current assignments', () => {
    expect(fixture.cases.length).toBe(121);
    expect(fixture.source).toMatch(/kafka-group-coordinator 4\.4\.0/);
    expect(new Set(fixture.cases.map((kafkaCase) => kafkaCase.subscriptionType))).toEqual(new Set(['HOMOGENEOUS', 'HETEROGENEOUS']));
    expect(fixture.cases.filter((kafkaCase) => kafkaCase.members.some((member) => member.assigned.length > 0)).length).toBeGreaterThan(40);
  });

  it.each(fixture.cases.map((kafkaCase) => [kafkaCase.seed, kafkaCase.subscriptionType, kafkaCase] as const))(
    'seed %i (%s)',
    (_seed, _type, kafkaCase) => {
      expect(plainAssignment(assignor.assign(groupOf(kafkaCase), describerOf(kafkaCase.topics)))).toEqual(kafkaCase[key]);
    },
  );
});

describe('the heterogeneous builder stops after 16 balancing rounds, as Kafka does (MAX_ITERATION_COUNT)', () => {
  const chain = fixture.cases.find((kafkaCase) => kafkaCase.seed === -1)!;

  it('a chain that needs more rounds gets the 16-round answer, Kafka\'s, not the fully balanced one', () => {
    const topics = describerOf(chain.topics);
    expect(MAX_BALANCING_ROUNDS).toBe(16);
    const bounded = plainAssignment(assignHeterogeneous(groupOf(chain), topics));
    const unbounded = plainAssignment(assignHeterogeneous(groupOf(chain), topics, 10_000));
    expect(bounded).toEqual(chain.uniform);
    expect(unbounded).not.toEqual(bounded);
  });
});
