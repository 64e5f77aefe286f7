import { describe, expect, it } from 'vitest';
import { decodeAssignment, encodeAssignment } from './assignment.js';
import { ConsumerProtocolEncodeError, type ConsumerProtocolAssignment } from './types.js';
import { KAFKA_EMPTY_ASSIGNMENT_V0, KAFKA_EMPTY_ASSIGNMENT_V3, KAFKA_FULL_ASSIGNMENT } from './kafka-golden-bytes.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (value: string) => Uint8Array.from(Buffer.from(value, 'hex'));

function decoded(bytes: Uint8Array): { version: number; value: ConsumerProtocolAssignment } {
  const result = decodeAssignment(bytes);
  if (!result.ok) throw new Error(`expected an assignment, got ${result.problem.kind}: ${result.problem.message}`);
  return { version: result.version, value: result.value };
}

const FULL = {
  assignedPartitions: [
    { topic: 'orders', partitions: [0, 3] },
    { topic: 'clicks', partitions: [5] },
  ],
  userData: utf8('x'),
};

describe('encodeAssignment', () => {
  it.each([0, 1, 2, 3])('writes the bytes Kafka writes at version %i', (version) => {
    expect(hex(encodeAssignment(FULL, version))).toBe(KAFKA_FULL_ASSIGNMENT[version]);
  });

  it('merges repeated topics into their first entry, as Kafka does', () => {
    const split = {
      assignedPartitions: [
        { topic: 'orders', partitions: [0] },
        { topic: 'clicks', partitions: [5] },
        { topic: 'orders', partitions: [3] },
      ],
      userData: utf8('x'),
    };
    expect(hex(encodeAssignment(split))).toBe(KAFKA_FULL_ASSIGNMENT[3]);
  });

  it('writes an empty assignment with null user data like Kafka', () => {
    expect(hex(encodeAssignment({ assignedPartitions: [] }, 0))).toBe(KAFKA_EMPTY_ASSIGNMENT_V0);
    expect(hex(encodeAssignment({ assignedPartitions: [] }))).toBe(KAFKA_EMPTY_ASSIGNMENT_V3);
  });

  it('refuses partitions outside int32 and negative versions', () => {
    expect(() => encodeAssignment({ assignedPartitions: [{ topic: 't', partitions: [2 ** 31] }] })).toThrow(
      ConsumerProtocolEncodeError,
    );
    expect(() => encodeAssignment({ assignedPartitions: [] }, -2)).toThrow(ConsumerProtocolEncodeError);
  });
});

describe('decodeAssignment', () => {
  it.each([0, 1, 2, 3])('reads Kafka version %i bytes', (version) => {
    expect(decoded(fromHex(KAFKA_FULL_ASSIGNMENT[version]!))).toEqual({ version, value: FULL });
  });

  it('reads an empty byte string as an empty assignment', () => {
    expect(decoded(new Uint8Array(0))).toEqual({ version: 0, value: { assignedPartitions: [], userData: null } });
  });

  it('reads a newer version and ignores what follows the known fields', () => {
    const bytes = new Uint8Array([...fromHex(KAFKA_FULL_ASSIGNMENT[3]), 0, 0, 0, 9]);
    bytes[1] = 7;
    expect(decoded(bytes)).toEqual({ version: 7, value: FULL });
  });

  it('refuses every non-empty strict prefix', () => {
    const bytes = fromHex(KAFKA_FULL_ASSIGNMENT[0]);
    for (let length = 1; length < bytes.length; length++) {
      const result = decodeAssignment(bytes.subarray(0, length));
      expect(result.ok, `prefix of ${length} bytes`).toBe(false);
      // A cut inside an array's elements shows as a count the bytes cannot hold (INVALID_FIELD).
      if (!result.ok) expect(['TRUNCATED', 'INVALID_FIELD']).toContain(result.problem.kind);
    }
  });

  it('refuses a negative version and an entry count the bytes cannot hold', () => {
    const negative = decodeAssignment(fromHex('8000' + '00000000ffffffff'));
    const huge = decodeAssignment(fromHex('0000' + '10000000' + '0001'));
    expect(negative.ok || negative.problem.kind).toBe('UNSUPPORTED_VERSION');
    expect(huge.ok || huge.problem.kind).toBe('INVALID_FIELD');
  });
});
