import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKafkaUuid, kafkaUuidBytes, kafkaUuidFromBytes, METADATA_TOPIC_KAFKA_UUID, ZERO_KAFKA_UUID } from './kafka-uuid.js';

describe('Kafka UUIDs', () => {
  it("prints 16 bytes as Kafka's Uuid.toString does (unpadded URL-safe base64) and reads them back", () => {
    // new Uuid(0x4f52444552532d31L, 0x8a3c1d2e4f5061fbL).toString(), printed by Kafka 4.4.0 (the records fixture).
    const bytes = Uint8Array.from(Buffer.from('4f52444552532d318a3c1d2e4f5061fb', 'hex'));
    expect(kafkaUuidFromBytes(bytes)).toBe('T1JERVJTLTGKPB0uT1Bh-w');
    expect(kafkaUuidBytes('T1JERVJTLTGKPB0uT1Bh-w')).toEqual(bytes);
    expect(kafkaUuidFromBytes(new Uint8Array(16))).toBe(ZERO_KAFKA_UUID);
    expect(kafkaUuidFromBytes(Uint8Array.from({ length: 16 }, (_, index) => (index === 15 ? 1 : 0)))).toBe(METADATA_TOPIC_KAFKA_UUID);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (raw) => {
        const id = kafkaUuidFromBytes(raw);
        expect(id).toBe(Buffer.from(raw).toString('base64url'));
        expect(kafkaUuidBytes(id)).toEqual(raw);
      }),
    );
  });

  it('is not a 21-character nanoid, a 22-character id with padding bits set, or one with other characters', () => {
    expect(isKafkaUuid('V1StGXR8_Z5jdHi6B-myT')).toBe(false);
    expect(isKafkaUuid('AAAAAAAAAAAAAAAAAAAAAB')).toBe(false);
    expect(isKafkaUuid('AAAAAAAAAAAAAAAAAAAA+A')).toBe(false);
    expect(isKafkaUuid('T1JERVJTLTGKPB0uT1Bh-w')).toBe(true);
  });
});
