/**
 * @kactor/kafka-protocol: Kafka's binary protocol, generated from Kafka's own message specs. It knows no
 * actors, sockets or brokers: bytes in, typed values out, and back.
 *
 * ```ts
 * const reader = new KafkaFrameReader({ maxFrameBytes: 104857600 });
 * const received = reader.push(chunk);
 * for (const frame of received.frames) {
 *   const request = decodeRequestFrame(frame);
 *   if (request.ok && request.api === 'Metadata') {
 *     const reply = encodeResponseFrame('Metadata', request.version, request.header.correlationId, metadataBody);
 *   }
 * }
 * ```
 */
export {
  apiNameForKey,
  decodeRequestBody,
  decodeResponseBody,
  defaultRequestBody,
  defaultResponseBody,
  encodeRequestBody,
  encodeResponseBody,
  isFlexibleVersion,
  validVersions,
  type DecodeResult,
  type KafkaApiName,
} from './api.js';
export {
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  type DecodedRequestFrame,
  type KafkaRequest,
  type KafkaResponse,
  type RequestHeaderInput,
} from './frames.js';
export { KafkaFrameReader, type FrameReaderLimits, type FrameReaderResult } from './frame-reader.js';
export {
  API_VERSIONS_KEY,
  requestHeaderVersion,
  responseHeaderVersion,
  type RequestHeaderVersion,
  type ResponseHeaderVersion,
} from './header-versions.js';
export { defaultStruct, ZERO_UUID, type RawTaggedField } from './codec/defaults.js';
export type { FieldSchema, FieldType, MessageSchema, StructSchema, VersionRange } from './schema.js';
export * from './generated/index.js';
