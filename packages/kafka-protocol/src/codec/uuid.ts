/**
 * Kafka's UUIDs (topic ids, member ids of KIP-848) are 16 bytes on the wire and, in Kafka's own tools, URL-safe
 * base64 without padding (22 characters, `Uuid.toString`). Values here use that text form.
 */
import { Buffer } from 'node:buffer';

const UUID_BYTES = 16;
const UUID_TEXT_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function uuidBytes(value: unknown, path: string): Uint8Array {
  if (typeof value !== 'string' || !UUID_TEXT_PATTERN.test(value)) throw new TypeError(`${path} must be a 22-character base64url uuid`);
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== UUID_BYTES || uuidText(bytes) !== value) throw new TypeError(`${path} is not a canonical base64url uuid`);
  return bytes;
}

export function uuidText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}
