/**
 * Range and roundrobin against Apache Kafka itself: 80 seeded random groups (static and dynamic
 * members, tricky names, unknown and empty topics) that Kafka 4.4.0's own `RangeAssignor` and
 * `RoundRobinAssignor` assigned; the fixture's `source` field says how it was made.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rangeAssignor } from './range-assignor.js';
import { roundRobinAssignor } from './roundrobin-assignor.js';
import type { GroupAssignment, GroupAssignmentInput, PartitionAssignor } from './types.js';

type PartitionsByTopic = Record<string, number[]>;
interface KafkaCase {
  seed: number;
  partitionsPerTopic: Record<string, number>;
  members: [memberId: string, groupInstanceId: string | null, topics: string[]][];
  range: Record<string, PartitionsByTopic>;
  roundrobin: Record<string, PartitionsByTopic>;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/kafka-4.4.0-assignments.json', import.meta.url), 'utf8'),
) as { cases: KafkaCase[] };

function inputOf(kafkaCase: KafkaCase): GroupAssignmentInput {
  return {
    partitionsPerTopic: new Map(Object.entries(kafkaCase.partitionsPerTopic)),
    members: kafkaCase.members.map(([memberId, groupInstanceId, topics]) => ({ memberId, groupInstanceId, topics })),
  };
}

function asRecord(output: GroupAssignment): Record<string, PartitionsByTopic> {
  const result: Record<string, PartitionsByTopic> = {};
  for (const [memberId, { assignedPartitions }] of output.assignments) {
    result[memberId] = Object.fromEntries(assignedPartitions.map(({ topic, partitions }) => [topic, [...partitions]]));
  }
  return result;
}

describe.each<[string, PartitionAssignor, 'range' | 'roundrobin']>([
  ['range', rangeAssignor, 'range'],
  ['roundrobin', roundRobinAssignor, 'roundrobin'],
])('%s assignor matches Kafka 4.4.0 on seeded random groups', (_name, assignor, key) => {
  it('has the fixture', () => {
    expect(fixture.cases.length).toBe(80);
  });

  it.each(fixture.cases.map((kafkaCase) => [kafkaCase.seed, kafkaCase] as const))('seed %i', (_seed, kafkaCase) => {
    expect(asRecord(assignor.assign(inputOf(kafkaCase)))).toEqual(kafkaCase[key]);
  });
});
