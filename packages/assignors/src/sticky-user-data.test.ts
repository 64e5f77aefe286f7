/**
 * The sticky assignors' userData and Java-order helpers against values printed by Java itself: bytes
 * from Kafka 4.4.0's `StickyAssignor.serializeTopicPartitionAssignment` and
 * `CooperativeStickyAssignor.subscriptionUserData`, and `HashMap` key orders from OpenJDK 17, run once
 * by a throwaway program outside this repository (Kafka's testMemberData / testEncodeAndDecodeGeneration
 * / testSchemaBackwardCompatibility territory).
 */
import { describe, expect, it } from 'vitest';
import { javaComputeIfAbsentOrder, javaHashMapOrder, javaStringHashCode, javaTopicPartitionHashCode } from './java-hash-order.js';
import {
  decodeCooperativeStickyAssignorUserData,
  decodeStickyAssignorUserData,
  encodeCooperativeStickyAssignorUserData,
  encodeStickyAssignorUserData,
} from './sticky-user-data.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

/** Kafka 4.4.0: serializeTopicPartitionAssignment([topic2-1, topic1-0, topic2-0, zz-5, Aa-3], generation 7). */
const KAFKA_STICKY_USER_DATA =
  '0000000400024161000000010000000300027a7a00000001000000050006746f7069633100000001000000000006746f7069633200000002000000010000000000000007';
const partitions = [
  { topic: 'topic2', partitions: [1] },
  { topic: 'topic1', partitions: [0] },
  { topic: 'topic2', partitions: [0] },
  { topic: 'zz', partitions: [5] },
  { topic: 'Aa', partitions: [3] },
];

describe('sticky assignor userData', () => {
  it('encodes StickyAssignorUserData v1 byte for byte as Kafka (topics in computeIfAbsent order)', () => {
    expect(hex(encodeStickyAssignorUserData({ partitions, generation: 7 }))).toBe(KAFKA_STICKY_USER_DATA);
  });

  it('decodes what Kafka wrote: partitions by topic and the generation', () => {
    expect(decodeStickyAssignorUserData(fromHex(KAFKA_STICKY_USER_DATA))).toEqual({
      partitions: [
        { topic: 'Aa', partitions: [3] },
        { topic: 'zz', partitions: [5] },
        { topic: 'topic1', partitions: [0] },
        { topic: 'topic2', partitions: [1, 0] },
      ],
      generation: 7,
    });
  });

  it('falls back to version 0 (no generation), and to no claims at generation -1 when nothing parses', () => {
    const v0 = encodeStickyAssignorUserData({ partitions: [{ topic: 't', partitions: [0, 2] }] });
    expect(hex(v0)).toBe('000000010001740000000200000000' + '00000002');
    expect(decodeStickyAssignorUserData(v0)).toEqual({ partitions: [{ topic: 't', partitions: [0, 2] }] });
    expect(decodeStickyAssignorUserData(fromHex('00000001ffff'))).toEqual({ partitions: [], generation: -1 });
    expect(decodeStickyAssignorUserData(fromHex('0000'))).toEqual({ partitions: [], generation: -1 });
    expect(decodeStickyAssignorUserData(null)).toEqual({ partitions: [] });
    expect(decodeStickyAssignorUserData(new Uint8Array())).toEqual({ partitions: [] });
  });

  it('refuses a topic count its bytes cannot hold before sizing anything by it (a hostile member costs the leader nothing)', () => {
    // 8 bytes that declare 1,472,488,165 topics: sizing the topic arrays by that reserved gigabytes each time.
    const hostile = fromHex('57c462e5d70da405');
    const startedMs = performance.now();
    for (let i = 0; i < 100; i++) expect(decodeStickyAssignorUserData(hostile)).toEqual({ partitions: [], generation: -1 });
    expect(performance.now() - startedMs).toBeLessThan(1_000);
  });

  it('reads the cooperative generation from one int32, as CooperativeStickyAssignor.subscriptionUserData writes it', () => {
    expect(hex(encodeCooperativeStickyAssignorUserData(42))).toBe('0000002a');
    expect(decodeCooperativeStickyAssignorUserData(fromHex('0000002a'))).toBe(42);
    expect(decodeCooperativeStickyAssignorUserData(encodeCooperativeStickyAssignorUserData(-1))).toBe(-1);
    expect(decodeCooperativeStickyAssignorUserData(null)).toBeUndefined();
    expect(decodeCooperativeStickyAssignorUserData(fromHex('00'))).toBe(-1);
  });
});

describe('Java hash order', () => {
  it('computes String.hashCode and TopicPartition.hashCode as Java does', () => {
    expect(javaStringHashCode('topic1')).toBe(-868034334);
    expect(javaStringHashCode('m-ü')).toBe(106396);
    expect(javaStringHashCode('consumer1')).toBe(-421004549);
    expect(javaTopicPartitionHashCode(javaStringHashCode('t'), 5)).toBe(1232);
  });

  it('iterates a HashMap filled in UTF-16 order like OpenJDK 17 (43 keys, colliding buckets included)', () => {
    const keys = [...Array.from({ length: 40 }, (_, i) => `member-${i}`), 'Aa', 'BB', 'm-ü'];
    const java =
      'Aa,BB,member-19,member-18,member-17,member-39,member-16,member-38,member-15,member-37,member-5,member-14,member-36,member-6,member-13,member-3,member-35,member-12,member-34,member-4,member-11,member-33,member-9,member-10,member-32,member-31,member-7,member-30,member-8,m-ü,member-29,member-28,member-27,member-26,member-25,member-24,member-23,member-22,member-21,member-20,member-1,member-2,member-0';
    expect(javaHashMapOrder(keys).map((i) => keys[i]).join(',')).toBe(java);
  });

  it('iterates a 2,000-key HashMap like OpenJDK 17 (hash of the joined order)', () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `consumer-${i}`);
    expect(javaStringHashCode(javaHashMapOrder(keys).map((i) => keys[i]).join(','))).toBe(241903688);
  });

  it('links computeIfAbsent keys at the head of their bucket', () => {
    expect(javaComputeIfAbsentOrder(['topic2', 'topic1', 'topic2', 'zz', 'Aa'])).toEqual(['Aa', 'zz', 'topic1', 'topic2']);
  });
});
