/**
 * Typed encode and decode of request and response bodies, by Kafka's API name and version. Encoding a
 * value the version cannot carry throws UNSUPPORTED_VERSION (Kafka's `UnsupportedVersionException`);
 * decoding never throws: malformed bytes come back as `{ ok: false, error }` with INVALID_REQUEST.
 */
import { wireError, type WireError } from '@kactor/protocol';
import { ByteReader, MalformedInput } from './codec/byte-reader.js';
import type { ByteWriter } from './codec/byte-writer.js';
import { decodeMessage } from './codec/decode.js';
import { defaultStruct, type StructValue } from './codec/defaults.js';
import { encodeMessage } from './codec/encode.js';
import { kafkaApis, type KafkaRequestBodies, type KafkaResponseBodies } from './generated/index.js';
import { inRange, type MessageSchema, type VersionRange } from './schema.js';

export type KafkaApiName = keyof typeof kafkaApis;

export type DecodeResult<T> = { ok: true; value: T; bytesRead: number } | { ok: false; error: WireError };

const apiNamesByKey = new Map<number, KafkaApiName>(
  (Object.keys(kafkaApis) as KafkaApiName[]).map((name) => [kafkaApis[name].apiKey, name]),
);

/** Kafka's name for an API key this package encodes, or undefined. */
export function apiNameForKey(apiKey: number): KafkaApiName | undefined {
  return apiNamesByKey.get(apiKey);
}

/** The versions of an API in Kafka's specs (what a broker may advertise at most). */
export function validVersions(api: KafkaApiName): VersionRange {
  return kafkaApis[api].request.validVersions;
}

/** Whether a version of an API is flexible (KIP-482: compact encodings and tagged fields). */
export function isFlexibleVersion(api: KafkaApiName, version: number): boolean {
  return inRange(kafkaApis[api].request.flexibleVersions, version);
}

/** A request body holding every field's default (what decoding yields for fields a version lacks): spread and override. */
export function defaultRequestBody<A extends KafkaApiName>(api: A): KafkaRequestBodies[A] {
  return defaultStruct(kafkaApis[api].request.struct) as unknown as KafkaRequestBodies[A];
}

/** A response body holding every field's default: spread and override. */
export function defaultResponseBody<A extends KafkaApiName>(api: A): KafkaResponseBodies[A] {
  return defaultStruct(kafkaApis[api].response.struct) as unknown as KafkaResponseBodies[A];
}

export function encodeRequestBody<A extends KafkaApiName>(api: A, version: number, body: KafkaRequestBodies[A], writer?: ByteWriter): Uint8Array {
  return encodeMessage(kafkaApis[api].request, version, body as unknown as StructValue, writer).bytes();
}

export function encodeResponseBody<A extends KafkaApiName>(api: A, version: number, body: KafkaResponseBodies[A], writer?: ByteWriter): Uint8Array {
  return encodeMessage(kafkaApis[api].response, version, body as unknown as StructValue, writer).bytes();
}

/** Runs a decoder, turning every failure into Kafka's error data: nothing thrown inside escapes. */
export function decodeSafely<T>(schema: MessageSchema, version: number, bytes: Uint8Array, offset: number): DecodeResult<T> {
  const reader = new ByteReader(bytes, offset);
  try {
    const value = decodeMessage(schema, version, reader) as unknown as T;
    return { ok: true, value, bytesRead: reader.offset - offset };
  } catch (error) {
    const reason = error instanceof MalformedInput ? error.message : `unexpected decoder failure: ${String(error)}`;
    return { ok: false, error: wireError('INVALID_REQUEST', `malformed ${schema.name} v${version}: ${reason}`) };
  }
}

export function decodeRequestBody<A extends KafkaApiName>(api: A, version: number, bytes: Uint8Array, offset = 0): DecodeResult<KafkaRequestBodies[A]> {
  return decodeSafely(kafkaApis[api].request, version, bytes, offset);
}

export function decodeResponseBody<A extends KafkaApiName>(api: A, version: number, bytes: Uint8Array, offset = 0): DecodeResult<KafkaResponseBodies[A]> {
  return decodeSafely(kafkaApis[api].response, version, bytes, offset);
}
