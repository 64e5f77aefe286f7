/**
 * Frame round trips for the API schema tests: a body encoded into a request or response frame and decoded back, and
 * the refusal a raw (unvalidated) body gets at decoding, so each test states only the bodies and what it expects.
 */
import { expect } from 'vitest';
import { decodeRequestFrame, decodeResponseFrame, encodeRawFrame, encodeRequestFrame, encodeResponseFrame } from '../frame/codec.js';
import { apis, type ApiName, type RequestBody, type ResponseBody } from './registry.js';

const limits = { maxFrameBytes: 64 * 1024 * 1024 };

export function roundTripRequest<A extends ApiName>(api: A, body: RequestBody<A>): unknown {
  const decoded = decodeRequestFrame(encodeRequestFrame(api, 0, 5, body), limits);
  if (!decoded.ok) throw new Error(`refused: ${decoded.error.name} ${decoded.error.message}`);
  expect(decoded.request.api).toBe(api);
  return decoded.request.body;
}

export function roundTripResponse<A extends ApiName>(api: A, body: ResponseBody<A>): unknown {
  const decoded = decodeResponseFrame(encodeResponseFrame(api, 0, 6, body), limits);
  if (!decoded.ok || decoded.kind !== 'response') throw new Error(`response refused: ${JSON.stringify(decoded)}`);
  return decoded.body;
}

/** `NAME: message` of the error a request body gets, or undefined when it decodes. */
export function refusal(api: ApiName, body: unknown): string | undefined {
  const decoded = decodeRequestFrame(encodeRawFrame('request', apis[api].key, 0, 1, body), limits);
  return decoded.ok ? undefined : `${decoded.error.name}: ${decoded.error.message}`;
}

/** The error name a response body gets, or undefined when it decodes. */
export function responseRefusal(api: ApiName, body: unknown): string | undefined {
  const decoded = decodeResponseFrame(encodeRawFrame('response', apis[api].key, 0, 1, body), limits);
  return decoded.ok ? undefined : decoded.error.name;
}
