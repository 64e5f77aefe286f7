/** Property tests: round trips at every version, and decoders that never throw, whatever the bytes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAssignment, encodeAssignment } from './assignment.js';
import { decodeSubscription, encodeSubscription } from './subscription.js';
import { KAFKA_FULL_ASSIGNMENT, KAFKA_FULL_SUBSCRIPTION } from './kafka-golden-bytes.js';
import type { ConsumerProtocolTopicPartitions } from './types.js';

const name = fc.string({ unit: 'binary', maxLength: 12 });
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const nullableBytes = fc.option(fc.uint8Array({ maxLength: 24 }), { nil: null });

/** Distinct topics with sorted partitions: the normal form the subscription encoder writes. */
const sortedTopicPartitions = fc
  .uniqueArray(name, { maxLength: 5 })
  .chain((topics) =>
    fc.tuple(...topics.sort().map((topic) => fc.array(int32, { maxLength: 6 }).map((partitions) => ({ topic, partitions: partitions.sort((a, b) => a - b) })))),
  )
  .map((entries): ConsumerProtocolTopicPartitions[] => entries);

const subscription = fc.record({
  topics: fc.array(name, { maxLength: 6 }).map((topics) => topics.sort()),
  userData: nullableBytes,
  ownedPartitions: sortedTopicPartitions,
  generationId: int32,
  rackId: fc.option(name, { nil: null }),
});

const assignment = fc.record({
  assignedPartitions: fc.uniqueArray(
    fc.record({ topic: name, partitions: fc.array(int32, { maxLength: 6 }) }),
    { maxLength: 5, selector: (entry) => entry.topic },
  ),
  userData: nullableBytes,
});

const fromHex = (value: string) => Uint8Array.from(Buffer.from(value, 'hex'));

/** Valid bytes damaged by overwriting, cutting and extending: inputs close to the real thing. */
function damaged(valid: Uint8Array) {
  return fc
    .record({
      writes: fc.array(fc.tuple(fc.nat(valid.length), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      cut: fc.nat(valid.length),
      tail: fc.uint8Array({ maxLength: 8 }),
    })
    .map(({ writes, cut, tail }) => {
      const bytes = new Uint8Array([...valid.subarray(0, cut), ...tail]);
      for (const [position, value] of writes) if (position < bytes.length) bytes[position] = value;
      return bytes;
    });
}

describe('consumer protocol properties', () => {
  it('decodes every encoded subscription back, with the fields a version lacks at their defaults', () => {
    fc.assert(
      fc.property(subscription, fc.integer({ min: 0, max: 3 }), (value, version) => {
        const result = decodeSubscription(encodeSubscription(value, version));
        expect(result).toEqual({
          ok: true,
          version,
          value: {
            topics: value.topics,
            userData: value.userData,
            ownedPartitions: version >= 1 ? value.ownedPartitions : [],
            generationId: version >= 2 ? value.generationId : -1,
            rackId: version >= 3 ? value.rackId : null,
          },
        });
      }),
    );
  });

  it('decodes every encoded assignment back at every version', () => {
    fc.assert(
      fc.property(assignment, fc.integer({ min: 0, max: 3 }), (value, version) => {
        expect(decodeAssignment(encodeAssignment(value, version))).toEqual({ ok: true, version, value });
      }),
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const subscriptionResult = decodeSubscription(bytes);
        const assignmentResult = decodeAssignment(bytes);
        expect(typeof subscriptionResult.ok).toBe('boolean');
        expect(typeof assignmentResult.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on damaged Kafka bytes', () => {
    fc.assert(
      fc.property(damaged(fromHex(KAFKA_FULL_SUBSCRIPTION[3])), damaged(fromHex(KAFKA_FULL_ASSIGNMENT[0])), (s, a) => {
        expect(typeof decodeSubscription(s).ok).toBe('boolean');
        expect(typeof decodeAssignment(a).ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
