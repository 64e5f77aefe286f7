import { describe, expect, it } from 'vitest';
import { decodeSubscription, encodeSubscription } from './subscription.js';
import { ConsumerProtocolEncodeError, type ConsumerProtocolSubscription } from './types.js';
import {
  KAFKA_BARE_SUBSCRIPTION,
  KAFKA_EMPTY_USER_DATA_SUBSCRIPTION_V1,
  KAFKA_FULL_SUBSCRIPTION,
  KAFKA_READABLE_FUTURE_SUBSCRIPTION_V9,
  KAFKA_UNICODE_SUBSCRIPTION_V3,
} from './kafka-golden-bytes.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (value: string) => Uint8Array.from(Buffer.from(value, 'hex'));

function decoded(bytes: Uint8Array): { version: number; value: ConsumerProtocolSubscription } {
  const result = decodeSubscription(bytes);
  if (!result.ok) throw new Error(`expected a subscription, got ${result.problem.kind}: ${result.problem.message}`);
  return { version: result.version, value: result.value };
}

/** The Java program's input, written unsorted: the encoder sorts like Kafka's. */
const FULL = {
  topics: ['orders', 'clicks'],
  userData: utf8('ud'),
  ownedPartitions: [
    { topic: 'orders', partitions: [2] },
    { topic: 'clicks', partitions: [1] },
    { topic: 'orders', partitions: [0] },
  ],
  generationId: 7,
  rackId: 'rack-a',
};

describe('encodeSubscription', () => {
  it.each([0, 1, 2, 3])('writes the bytes Kafka writes for a full subscription at version %i', (version) => {
    expect(hex(encodeSubscription(FULL, version))).toBe(KAFKA_FULL_SUBSCRIPTION[version]);
  });

  it.each([0, 1, 2, 3])('writes the bytes Kafka writes for topics alone at version %i', (version) => {
    expect(hex(encodeSubscription({ topics: ['t1'] }, version))).toBe(KAFKA_BARE_SUBSCRIPTION[version]);
  });

  it('writes empty user data as a zero length, not as null', () => {
    expect(hex(encodeSubscription({ topics: [], userData: new Uint8Array(0) }, 1))).toBe(
      KAFKA_EMPTY_USER_DATA_SUBSCRIPTION_V1,
    );
  });

  it('writes topic and rack lengths in UTF-8 bytes, as Kafka does', () => {
    expect(hex(encodeSubscription({ topics: ['événements'], rackId: 'zürich' }, 3))).toBe(KAFKA_UNICODE_SUBSCRIPTION_V3);
  });

  it('writes version 3 by default and for versions newer than it knows', () => {
    expect(hex(encodeSubscription(FULL))).toBe(KAFKA_FULL_SUBSCRIPTION[3]);
    expect(hex(encodeSubscription(FULL, 12))).toBe(KAFKA_FULL_SUBSCRIPTION[3]);
  });

  it('refuses what the format cannot carry with ConsumerProtocolEncodeError', () => {
    expect(() => encodeSubscription({ topics: ['t'] }, -1)).toThrow(ConsumerProtocolEncodeError);
    expect(() => encodeSubscription({ topics: ['x'.repeat(32_768)] })).toThrow(ConsumerProtocolEncodeError);
    expect(() => encodeSubscription({ topics: [], rackId: 'é'.repeat(16_384) })).toThrow(ConsumerProtocolEncodeError);
    expect(() => encodeSubscription({ topics: [], generationId: 2 ** 31 })).toThrow(ConsumerProtocolEncodeError);
    expect(() => encodeSubscription({ topics: [], ownedPartitions: [{ topic: 't', partitions: [1.5] }] })).toThrow(
      ConsumerProtocolEncodeError,
    );
  });

  it('accepts a topic of exactly 32,767 UTF-8 bytes', () => {
    const topic = 'x'.repeat(32_767);
    expect(decoded(encodeSubscription({ topics: [topic] })).value.topics).toEqual([topic]);
  });
});

describe('decodeSubscription', () => {
  it('reads Kafka v3 bytes into every field', () => {
    expect(decoded(fromHex(KAFKA_FULL_SUBSCRIPTION[3]))).toEqual({
      version: 3,
      value: {
        topics: ['clicks', 'orders'],
        userData: utf8('ud'),
        ownedPartitions: [
          { topic: 'clicks', partitions: [1] },
          { topic: 'orders', partitions: [0, 2] },
        ],
        generationId: 7,
        rackId: 'rack-a',
      },
    });
  });

  it('reads v0 bytes (kafka-python, KafkaJS) with the defaults of the later fields', () => {
    expect(decoded(fromHex(KAFKA_FULL_SUBSCRIPTION[0]))).toEqual({
      version: 0,
      value: { topics: ['clicks', 'orders'], userData: utf8('ud'), ownedPartitions: [], generationId: -1, rackId: null },
    });
  });

  it('reads v1 bytes (librdkafka) with owned partitions, generation -1 and no rack', () => {
    const { version, value } = decoded(fromHex(KAFKA_FULL_SUBSCRIPTION[1]));
    expect(version).toBe(1);
    expect(value.ownedPartitions).toEqual([
      { topic: 'clicks', partitions: [1] },
      { topic: 'orders', partitions: [0, 2] },
    ]);
    expect(value.generationId).toBe(-1);
    expect(value.rackId).toBeNull();
  });

  it('reads v2 bytes with the generation and no rack', () => {
    const { value } = decoded(fromHex(KAFKA_FULL_SUBSCRIPTION[2]));
    expect(value.generationId).toBe(7);
    expect(value.rackId).toBeNull();
  });

  it('keeps null and empty user data apart', () => {
    expect(decoded(fromHex(KAFKA_BARE_SUBSCRIPTION[1])).value.userData).toBeNull();
    expect(decoded(fromHex(KAFKA_EMPTY_USER_DATA_SUBSCRIPTION_V1)).value.userData).toEqual(new Uint8Array(0));
  });

  it('reads UTF-8 topic names and racks', () => {
    const { value } = decoded(fromHex(KAFKA_UNICODE_SUBSCRIPTION_V3));
    expect(value.topics).toEqual(['événements']);
    expect(value.rackId).toBe('zürich');
  });

  it('reads a newer version as its v3 prefix and ignores the fields it does not know', () => {
    const { version, value } = decoded(fromHex(KAFKA_READABLE_FUTURE_SUBSCRIPTION_V9));
    expect(version).toBe(9);
    expect(value).toEqual(decoded(fromHex(KAFKA_FULL_SUBSCRIPTION[3])).value);
  });

  it('ignores bytes after the fields of an older version too', () => {
    const withTrailer = new Uint8Array([...fromHex(KAFKA_BARE_SUBSCRIPTION[0]), 1, 2, 3]);
    expect(decoded(withTrailer).value.topics).toEqual(['t1']);
  });

  it('copies user data out of the input', () => {
    const bytes = fromHex(KAFKA_FULL_SUBSCRIPTION[0]);
    const { value } = decoded(bytes);
    bytes.fill(0);
    expect(value.userData).toEqual(utf8('ud'));
  });

  it('refuses a negative version as UNSUPPORTED_VERSION', () => {
    const bytes = fromHex(KAFKA_BARE_SUBSCRIPTION[0]);
    bytes[0] = 0xff;
    const result = decodeSubscription(bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatchObject({ kind: 'UNSUPPORTED_VERSION', position: 0 });
  });

  it('refuses every strict prefix of v3 bytes', () => {
    const bytes = fromHex(KAFKA_FULL_SUBSCRIPTION[3]);
    for (let length = 0; length < bytes.length; length++) {
      const result = decodeSubscription(bytes.subarray(0, length));
      expect(result.ok, `prefix of ${length} bytes`).toBe(false);
      // A cut inside an array's elements shows as a count the bytes cannot hold (INVALID_FIELD).
      if (!result.ok) expect(['TRUNCATED', 'INVALID_FIELD']).toContain(result.problem.kind);
    }
  });

  it('refuses a topic count the bytes cannot hold before allocating anything', () => {
    // version 0, topics count 2^31-1, then nothing.
    const result = decodeSubscription(fromHex('00007fffffff'));
    expect(result).toEqual({
      ok: false,
      problem: { kind: 'INVALID_FIELD', message: 'topics declares 2147483647 elements but only 0 bytes remain', position: 2 },
    });
  });

  it('refuses a partition count the bytes cannot hold', () => {
    // version 1, no topics, null user data, one owned entry "t" with 1,000,000 partitions and 8 bytes.
    const result = decodeSubscription(fromHex('000100000000ffffffff0000000100017400' + '0f4240' + '0000000000000001'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.kind).toBe('INVALID_FIELD');
  });

  it('refuses a null topics array and a null topic name as INVALID_FIELD', () => {
    const nullArray = decodeSubscription(fromHex('0000ffffffffffffffff'));
    const nullTopic = decodeSubscription(fromHex('000000000001ffffffffffff'));
    expect(nullArray.ok || nullArray.problem.kind).toBe('INVALID_FIELD');
    expect(nullTopic.ok || nullTopic.problem).toEqual({
      kind: 'INVALID_FIELD',
      message: 'non-nullable field topics was serialized as null',
      position: 6,
    });
  });
});
