/**
 * Kafka's Uuid (org.apache.kafka.common.Uuid): 16 bytes, the most significant long first, printed as the URL-safe
 * base64 of those bytes without padding (22 characters). KIP-848's records and ConsumerGroupHeartbeat name topics by
 * it, so a topic id must be one to be written there; topics made by an older kactor have 21-character nanoids.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE_OF = new Map<string, number>([...ALPHABET].map((character, index) => [character, index]));
export const KAFKA_UUID_BYTES = 16;
const KAFKA_UUID_CHARACTERS = 22;

/** Kafka's reserved ids, which `Uuid.randomUuid` never returns: the zero id (none) and the metadata topic's id. */
export const ZERO_KAFKA_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
export const METADATA_TOPIC_KAFKA_UUID = 'AAAAAAAAAAAAAAAAAAAAAQ';

/** A topic id (or other id) that cannot be written where Kafka expects a Uuid. */
export class KafkaUuidError extends Error {
  override readonly name = 'KafkaUuidError';
}

/** The 22-character form of 16 bytes. */
export function kafkaUuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== KAFKA_UUID_BYTES) throw new KafkaUuidError(`a Kafka UUID is ${KAFKA_UUID_BYTES} bytes, not ${bytes.length}`);
  let text = '';
  let bits = 0;
  let bitCount = 0;
  for (const byte of bytes) {
    bits = (bits << 8) | byte;
    bitCount += 8;
    while (bitCount >= 6) {
      bitCount -= 6;
      text += ALPHABET[(bits >> bitCount) & 0x3f];
    }
    bits &= (1 << bitCount) - 1;
  }
  // 128 bits leave 2: the last character carries them followed by four zero bits.
  return text + ALPHABET[(bits << (6 - bitCount)) & 0x3f];
}

/** The 16 bytes of a canonical 22-character Kafka UUID, or undefined when `id` is not one. */
export function kafkaUuidBytes(id: string): Uint8Array | undefined {
  if (id.length !== KAFKA_UUID_CHARACTERS) return undefined;
  const bytes = new Uint8Array(KAFKA_UUID_BYTES);
  let bits = 0;
  let bitCount = 0;
  let position = 0;
  for (const character of id) {
    const value = VALUE_OF.get(character);
    if (value === undefined) return undefined;
    bits = (bits << 6) | value;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      if (position < KAFKA_UUID_BYTES) bytes[position] = (bits >> bitCount) & 0xff;
      position += 1;
    }
    bits &= (1 << bitCount) - 1;
  }
  // The last character's four low bits are padding: non-zero ones would print differently, so the id is not canonical.
  return bits === 0 ? bytes : undefined;
}

export function isKafkaUuid(id: string): boolean {
  return kafkaUuidBytes(id) !== undefined;
}

/**
 * A new random id by Kafka's `Uuid.randomUuid` rules: a version 4 UUID (122 random bits) from the injected source,
 * drawn again while it is reserved or prints with a leading '-' (which a command line would take for a flag).
 */
export function randomKafkaUuid(nextBytes: (length: number) => Uint8Array): string {
  for (;;) {
    const bytes = Uint8Array.from(nextBytes(KAFKA_UUID_BYTES));
    if (bytes.length !== KAFKA_UUID_BYTES) throw new KafkaUuidError(`the random source gave ${bytes.length} bytes, not ${KAFKA_UUID_BYTES}`);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const id = kafkaUuidFromBytes(bytes);
    if (id !== ZERO_KAFKA_UUID && id !== METADATA_TOPIC_KAFKA_UUID && !id.startsWith('-')) return id;
  }
}
