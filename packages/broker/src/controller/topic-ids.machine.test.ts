/**
 * Topic ids are Kafka Uuids (KIP-848's records and ConsumerGroupHeartbeat carry them as 16 bytes), made by Kafka's
 * `Uuid.randomUuid` rules from the controller's injected random source, so a seed gives the same ids every run.
 */
import { isKafkaUuid, kafkaUuidBytes, randomKafkaUuid, type ResponseBody } from '@kactor/protocol';
import { createSeededRandom } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { startController } from './controller-test-support.js';
import { registerRecords } from './test-fixtures.js';
import type { MetadataRecord } from './metadata-records.js';

const oneBroker: MetadataRecord[] = [...registerRecords([0]), { type: 'UnfenceBroker', brokerId: 0, brokerEpoch: 0 }];

function createdIds(names: string[]): string[] {
  const controller = startController(oneBroker);
  controller.actor.send({
    type: 'request.createTopics',
    ref: controller.ref('createTopics'),
    body: { topics: names.map((name) => ({ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] })), timeoutMs: 0, validateOnly: false },
  });
  const answer = controller.answers.at(-1) as ResponseBody<'createTopics'>;
  return answer.topics.map((topic) => topic.topicId!);
}

describe('controller machine: topic ids', () => {
  it('Active: request.createTopics gives each topic a Kafka UUID, version 4, the same ones for the same seed', () => {
    const ids = createdIds(['orders', 'clicks', 'payments']);
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      expect(isKafkaUuid(id)).toBe(true);
      const bytes = kafkaUuidBytes(id)!;
      // Version 4 and the IETF variant, as java.util.UUID.randomUUID sets them.
      expect(bytes[6]! >> 4).toBe(4);
      expect(bytes[8]! >> 6).toBe(0b10);
    }
    expect(new Set(ids).size).toBe(3);
    expect(createdIds(['orders', 'clicks', 'payments'])).toEqual(ids);
    // The ids are written to the metadata log as the controller answered them.
    const controller = startController(oneBroker);
    controller.actor.send({ type: 'request.createTopics', ref: controller.ref('createTopics'), body: { topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 0, validateOnly: false } });
    expect(controller.written()).toContainEqual({ type: 'Topic', name: 'orders', topicId: ids[0] });
  });
});

describe('controller machine: topic id collisions', () => {
  it('Active: request.createTopics draws again when the id drawn is a topic\'s already (a seeded node replaying its stream)', () => {
    const [first] = createdIds(['orders']);
    const controller = startController([...oneBroker, { type: 'Topic', name: 'older', topicId: first! }]);
    controller.actor.send({ type: 'request.createTopics', ref: controller.ref('createTopics'), body: { topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 0, validateOnly: false } });
    const answer = controller.answers.at(-1) as ResponseBody<'createTopics'>;
    expect(answer.topics[0]).toMatchObject({ name: 'orders', errorCode: 0 });
    expect(answer.topics[0]!.topicId).not.toBe(first);
    expect(isKafkaUuid(answer.topics[0]!.topicId!)).toBe(true);
  });
});

describe('randomKafkaUuid', () => {
  it('is deterministic under a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const random = createSeededRandom(seed);
      return Array.from({ length: 5 }, () => randomKafkaUuid((length) => random.nextBytes(length)));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("draws again rather than return an id starting with '-' (Kafka's rule: a command line would take it for a flag)", () => {
    // 0xf8 leads with the six bits 111110, base64url's '-'; the second draw leads with 0x00.
    const draws = [new Uint8Array(16).fill(0xf8), new Uint8Array(16).fill(0x01)];
    const id = randomKafkaUuid(() => draws.shift()!);
    expect(draws).toHaveLength(0);
    expect(id).toBe('AQEBAQEBQQGBAQEBAQEBAQ');
  });

  it('never returns the reserved zero or metadata topic ids, over many seeded draws', () => {
    const random = createSeededRandom(3);
    for (let index = 0; index < 200; index += 1) {
      const id = randomKafkaUuid((length) => random.nextBytes(length));
      expect(id).not.toMatch(/^-/);
      expect(['AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAQ']).not.toContain(id);
    }
  });
});
