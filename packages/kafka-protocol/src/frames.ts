/**
 * Whole Kafka frames: `int32 size`, then a header, then a body. Encoding writes the size prefix; decoding
 * takes a frame without it (see `frame-reader.ts`) and never throws. A request that cannot be served comes
 * back with Kafka's error and as much of the header as could be read, so that a listener can answer it
 * (UNSUPPORTED_VERSION on ApiVersions gets the v0 fallback of KIP-511) or close the connection as Kafka does.
 */
import { wireError, type WireError } from '@kactor/protocol';
import {
  apiNameForKey,
  decodeSafely,
  encodeRequestBody,
  encodeResponseBody,
  type DecodeResult,
  type KafkaApiName,
} from './api.js';
import { ByteWriter } from './codec/byte-writer.js';
import type { StructValue } from './codec/defaults.js';
import { encodeMessage } from './codec/encode.js';
import { kafkaApis, requestHeaderSchema, responseHeaderSchema, type KafkaRequestBodies, type KafkaResponseBodies, type RequestHeader } from './generated/index.js';
import { requestHeaderVersion, responseHeaderVersion } from './header-versions.js';
import { inRange } from './schema.js';

const SIZE_PREFIX_BYTES = 4;
/** ApiKey int16, ApiVersion int16 and CorrelationId int32 open every request header version. */
const REQUEST_HEADER_FIXED_BYTES = 8;

export interface RequestHeaderInput {
  correlationId: number;
  clientId: string | null;
}

function withSizePrefix(write: (writer: ByteWriter) => void): Uint8Array {
  const writer = new ByteWriter();
  writer.int32(0);
  write(writer);
  writer.int32At(0, writer.size - SIZE_PREFIX_BYTES);
  return writer.bytes();
}

export function encodeRequestFrame<A extends KafkaApiName>(api: A, version: number, header: RequestHeaderInput, body: KafkaRequestBodies[A]): Uint8Array {
  const apiKey = kafkaApis[api].apiKey;
  const headerVersion = requestHeaderVersion(apiKey, version)!;
  const headerValue: RequestHeader = { requestApiKey: apiKey, requestApiVersion: version, ...header };
  return withSizePrefix((writer) => {
    encodeMessage(requestHeaderSchema, headerVersion, headerValue as unknown as StructValue, writer);
    encodeRequestBody(api, version, body, writer);
  });
}

export function encodeResponseFrame<A extends KafkaApiName>(api: A, version: number, correlationId: number, body: KafkaResponseBodies[A]): Uint8Array {
  const headerVersion = responseHeaderVersion(kafkaApis[api].apiKey, version)!;
  return withSizePrefix((writer) => {
    encodeMessage(responseHeaderSchema, headerVersion, { correlationId }, writer);
    encodeResponseBody(api, version, body, writer);
  });
}

/** A decoded request: one member per API, so that `api` narrows `body`. */
export type KafkaRequest = {
  [A in KafkaApiName]: { api: A; version: number; header: RequestHeader; body: KafkaRequestBodies[A] };
}[KafkaApiName];

export type DecodedRequestFrame =
  | ({ ok: true } & KafkaRequest)
  | {
      ok: false;
      error: WireError;
      /** The header when it could be read (absent for a frame too short or with an unknown API key). */
      header?: RequestHeader;
      /** Where the body starts, when the header could be read. */
      bodyOffset?: number;
    };

/** Decodes a request frame (without its size prefix). Bytes after the body are ignored, as Kafka ignores them. */
export function decodeRequestFrame(frame: Uint8Array): DecodedRequestFrame {
  if (frame.length < REQUEST_HEADER_FIXED_BYTES) {
    return { ok: false, error: wireError('INVALID_REQUEST', `a request of ${frame.length} bytes is too short for a header`) };
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const apiKey = view.getInt16(0);
  const apiVersion = view.getInt16(2);
  const api = apiNameForKey(apiKey);
  const headerVersion = requestHeaderVersion(apiKey, apiVersion);
  if (api === undefined || headerVersion === undefined) {
    return { ok: false, error: wireError('INVALID_REQUEST', `unknown API key ${apiKey}`) };
  }
  const headerResult = decodeSafely<RequestHeader>(requestHeaderSchema, headerVersion, frame, 0);
  if (!headerResult.ok) return { ok: false, error: headerResult.error };
  const header = headerResult.value;
  const bodyOffset = headerResult.bytesRead;
  const schema = kafkaApis[api].request;
  if (!inRange(schema.validVersions, apiVersion)) {
    const error = wireError('UNSUPPORTED_VERSION', `${api} version ${apiVersion} is outside ${schema.validVersions.min}-${schema.validVersions.max}`);
    return { ok: false, error, header, bodyOffset };
  }
  const body = decodeSafely<KafkaRequestBodies[typeof api]>(schema, apiVersion, frame, bodyOffset);
  if (!body.ok) return { ok: false, error: body.error, header, bodyOffset };
  return { ok: true, api, version: apiVersion, header, body: body.value } as { ok: true } & KafkaRequest;
}

export interface KafkaResponse<A extends KafkaApiName> {
  correlationId: number;
  body: KafkaResponseBodies[A];
}

/** Decodes a response frame (without its size prefix) to a request the caller sent as `api` at `version`. */
export function decodeResponseFrame<A extends KafkaApiName>(api: A, version: number, frame: Uint8Array): DecodeResult<KafkaResponse<A>> {
  const headerVersion = responseHeaderVersion(kafkaApis[api].apiKey, version)!;
  const header = decodeSafely<{ correlationId: number }>(responseHeaderSchema, headerVersion, frame, 0);
  if (!header.ok) return header;
  const body = decodeSafely<KafkaResponseBodies[A]>(kafkaApis[api].response, version, frame, header.bytesRead);
  if (!body.ok) return body;
  return { ok: true, value: { correlationId: header.value.correlationId, body: body.value }, bytesRead: header.bytesRead + body.bytesRead };
}
