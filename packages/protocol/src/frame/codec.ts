/**
 * Encoding frames, and decoding them once where they enter a node. Decoding never throws: every way a frame
 * can be wrong maps to one of Kafka's error codes, which the receiving node sends back (for requests) or
 * reports to the caller (for responses), and the connection keeps serving.
 */
import { Packr, RESERVE_START_SPACE, type Options as PackrOptions } from 'msgpackr';
import type { ApiName, ApiRequest, RequestBody, ResponseBody } from '../apis/registry.js';
import { quotedName } from '../apis/echoed-text.js';
import { apiNameForKey, apis, schemasFor } from '../apis/registry.js';
import { wireError, type WireError } from '../errors/index.js';
import { bodyCheckFor } from './body-check.js';
import type { FrameValue } from './frame-value.js';
import { FRAME_HEADER_BYTES, FRAME_VERSION, frameKinds, readFrameHeader, writeFrameHeader, type FrameHeader, type FrameKind } from './header.js';

type WireErrorName = Parameters<typeof wireError>[0];

// Records are off: they would let a peer define structures the receiver then trusts. Undefined properties
// are skipped so that optional fields never reach the strict schemas as `undefined`.
// `skipValues` is supported by msgpackr 2 but missing from its type declarations.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, skipValues: [undefined] } as PackrOptions);

/**
 * msgpackr reserves the header's bytes in front of the body it writes, so a frame (which can carry a
 * megabyte of records) is encoded without copying it a second time. The result is a view into msgpackr's
 * buffer, which it never writes over again: it moves on, or allocates a new buffer when full.
 */
function encodeFrame(kind: FrameKind, apiKey: number, apiVersion: number, correlationId: number, body: unknown): Uint8Array {
  const frame = packr.pack(body, RESERVE_START_SPACE | FRAME_HEADER_BYTES);
  writeFrameHeader(frame, kind, apiKey, apiVersion, correlationId);
  return frame;
}

export function encodeRequestFrame<A extends ApiName>(api: A, version: number, correlationId: number, body: RequestBody<A>): Uint8Array {
  return encodeFrame('request', apis[api].key, version, correlationId, body);
}

export function encodeResponseFrame<A extends ApiName>(api: A, version: number, correlationId: number, body: ResponseBody<A>): Uint8Array {
  return encodeFrame('response', apis[api].key, version, correlationId, body);
}

/** An error response: the request could not be served at all (the body is `{ code, name, retriable, message }`). */
export function encodeErrorFrame(apiKey: number, apiVersion: number, correlationId: number, error: WireError): Uint8Array {
  return encodeFrame('error', apiKey, apiVersion, correlationId, error);
}

export interface FrameLimits {
  /** `socket.request.max.bytes`: larger frames are refused with MESSAGE_TOO_LARGE without decoding the body. */
  maxFrameBytes: number;
}

export type DecodedRequest =
  | { ok: true; request: ApiRequest }
  | { ok: false; apiKey: number; apiVersion: number; correlationId: number; error: WireError };

export type DecodedResponse =
  | { ok: true; kind: 'response'; api: ApiName; version: number; correlationId: number; body: unknown }
  | { ok: true; kind: 'error'; apiKey: number; version: number; correlationId: number; error: WireError }
  | { ok: false; correlationId: number | undefined; error: WireError };

/**
 * The first problem, in a sentence of bounded length: zod quotes an unrecognized key whole, and a request's
 * key may be as long as its frame.
 */
function describeIssue(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  const first = issues[0];
  if (first === undefined) return 'invalid body';
  const path = first.path.map((segment) => quotedName(String(segment))).join('.');
  return `${path === '' ? 'body' : path}: ${quotedName(first.message)}`;
}

/** A FrameValue's body is already decoded (see frame-value.ts); only bytes are unpacked. */
function decodeBody(frame: Uint8Array | FrameValue): { ok: true; value: unknown } | { ok: false } {
  if (!(frame instanceof Uint8Array)) return { ok: true, value: frame.body };
  try {
    return { ok: true, value: packr.unpack(frame.subarray(FRAME_HEADER_BYTES)) };
  } catch {
    return { ok: false };
  }
}

function refuseRequest(header: FrameHeader, name: WireErrorName, message: string): DecodedRequest {
  return { ok: false, apiKey: header.apiKey, apiVersion: header.apiVersion, correlationId: header.correlationId, error: wireError(name, message) };
}

/** Validates a request frame, as bytes or as a value, against the closed API union. */
export function decodeRequestFrame(frame: Uint8Array | FrameValue, limits: FrameLimits): DecodedRequest {
  const header = readFrameHeader(frame);
  if (header === undefined) {
    return { ok: false, apiKey: 0, apiVersion: 0, correlationId: 0, error: wireError('INVALID_REQUEST', `frame of ${frame.byteLength} bytes is shorter than the ${FRAME_HEADER_BYTES}-byte header`) };
  }
  const { apiKey, apiVersion, correlationId } = header;
  if (header.frameVersion !== FRAME_VERSION) return refuseRequest(header, 'INVALID_REQUEST', `unknown frame version ${header.frameVersion}`);
  if (header.kind !== frameKinds.request) return refuseRequest(header, 'INVALID_REQUEST', `expected a request frame, got kind ${header.kind}`);
  if (frame.byteLength > limits.maxFrameBytes) {
    return refuseRequest(header, 'MESSAGE_TOO_LARGE', `frame of ${frame.byteLength} bytes exceeds socket.request.max.bytes (${limits.maxFrameBytes})`);
  }
  const api = apiNameForKey(apiKey);
  if (api === undefined) return refuseRequest(header, 'INVALID_REQUEST', `unknown api key ${apiKey}`);
  const schemas = schemasFor(api, apiVersion);
  if (schemas === undefined) return refuseRequest(header, 'UNSUPPORTED_VERSION', `${api} v${apiVersion} is not supported`);
  const body = decodeBody(frame);
  if (!body.ok) return refuseRequest(header, 'CORRUPT_MESSAGE', `${api} body is not valid MessagePack`);
  const checked = checkRequestBody(api, apiVersion, body.value);
  if (!checked.ok) return { ok: false, apiKey, apiVersion, correlationId, error: checked.error };
  return { ok: true, request: { api, version: apiVersion, correlationId, body: checked.body } as ApiRequest };
}

export type CheckedRequestBody<A extends ApiName> = { ok: true; body: RequestBody<A> } | { ok: false; error: WireError };

/**
 * Checks a request body against its API's schema, as every frame entering a node is checked: for bodies that
 * come in some other way (the Kafka listener's translations of Kafka's requests), so that handlers only ever
 * see bodies the schema accepts. A body refused gets INVALID_REQUEST naming the first problem.
 */
export function checkRequestBody<A extends ApiName>(api: A, version: number, body: unknown): CheckedRequestBody<A> {
  const schemas = schemasFor(api, version);
  if (schemas === undefined) return { ok: false, error: wireError('UNSUPPORTED_VERSION', `${api} v${version} is not supported`) };
  if (bodyCheckFor(schemas.request)?.(body) === true) return { ok: true, body: body as RequestBody<A> };
  const parsed = schemas.request.safeParse(body);
  if (!parsed.success) return { ok: false, error: wireError('INVALID_REQUEST', `${api} v${version} ${describeIssue(parsed.error.issues)}`) };
  return { ok: true, body: parsed.data as RequestBody<A> };
}

const errorBodyKeys = ['code', 'name', 'retriable', 'message'] as const;

function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    Object.keys(record).every((key) => (errorBodyKeys as readonly string[]).includes(key)) &&
    Number.isInteger(record.code) &&
    typeof record.name === 'string' &&
    typeof record.retriable === 'boolean' &&
    typeof record.message === 'string'
  );
}

function refuseResponse(correlationId: number, name: WireErrorName, message: string): DecodedResponse {
  return { ok: false, correlationId, error: wireError(name, message) };
}

/** Validates a response frame, as bytes or as a value; the caller checks that `api` is the one it asked. */
export function decodeResponseFrame(frame: Uint8Array | FrameValue, limits: FrameLimits): DecodedResponse {
  const header = readFrameHeader(frame);
  if (header === undefined) return { ok: false, correlationId: undefined, error: wireError('CORRUPT_MESSAGE', 'response frame shorter than its header') };
  const { correlationId, apiKey, apiVersion } = header;
  if (header.frameVersion !== FRAME_VERSION) return refuseResponse(correlationId, 'CORRUPT_MESSAGE', `unknown frame version ${header.frameVersion}`);
  if (frame.byteLength > limits.maxFrameBytes) return refuseResponse(correlationId, 'MESSAGE_TOO_LARGE', `response of ${frame.byteLength} bytes exceeds ${limits.maxFrameBytes}`);
  const body = decodeBody(frame);
  if (!body.ok) return refuseResponse(correlationId, 'CORRUPT_MESSAGE', 'response body is not valid MessagePack');
  if (header.kind === frameKinds.error) {
    if (!isWireError(body.value)) return refuseResponse(correlationId, 'CORRUPT_MESSAGE', 'malformed error response');
    return { ok: true, kind: 'error', apiKey, version: apiVersion, correlationId, error: body.value };
  }
  if (header.kind !== frameKinds.response) return refuseResponse(correlationId, 'CORRUPT_MESSAGE', `expected a response frame, got kind ${header.kind}`);
  const api = apiNameForKey(apiKey);
  const schemas = api === undefined ? undefined : schemasFor(api, apiVersion);
  if (api === undefined || schemas === undefined) return refuseResponse(correlationId, 'UNSUPPORTED_VERSION', `response for unknown api ${apiKey} v${apiVersion}`);
  if (bodyCheckFor(schemas.response)?.(body.value) === true) {
    return { ok: true, kind: 'response', api, version: apiVersion, correlationId, body: body.value };
  }
  const parsed = schemas.response.safeParse(body.value);
  if (!parsed.success) return refuseResponse(correlationId, 'CORRUPT_MESSAGE', `${api} response ${describeIssue(parsed.error.issues)}`);
  return { ok: true, kind: 'response', api, version: apiVersion, correlationId, body: parsed.data };
}

/** Encodes an arbitrary value as a frame body; for tests that need hand-made bad frames. */
export function encodeRawFrame(kind: FrameKind, apiKey: number, apiVersion: number, correlationId: number, body: unknown): Uint8Array {
  return encodeFrame(kind, apiKey, apiVersion, correlationId, body);
}
