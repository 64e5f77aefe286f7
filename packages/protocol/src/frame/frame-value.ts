/**
 * A frame as a value, for a transport that carries frames inside one process (the simulated network): the
 * header's fields and a body that is already what the receiver would decode, its own copy, plus the exact
 * length the frame's bytes would have. It spares the MessagePack encoding at the sender and the decoding at
 * the receiver, and nothing else: the receiver still validates the body (decodeRequestFrame and
 * decodeResponseFrame take a FrameValue as they take bytes), every size limit sees `byteLength`, and
 * `toBytes()` gives the very bytes encoding would have given, for a transport that writes bytes or a fault
 * that changes them.
 *
 * The body is copied when the frame is built, so the sender may change or reuse what it passed, as after an
 * encoding; the receiver may change what it gets, as after a decoding. Nobody else holds that copy.
 */
import type { ApiName, RequestBody, ResponseBody } from '../apis/registry.js';
import { apis } from '../apis/registry.js';
import type { WireError } from '../errors/index.js';
import { encodeRawFrame } from './codec.js';
import { FRAME_HEADER_BYTES, FRAME_VERSION, frameKinds, type FrameHeader, type FrameKind } from './header.js';
import { messagePackCopy } from './message-pack-copy.js';

export class FrameValue {
  private bytes: Uint8Array | undefined;

  constructor(
    readonly header: FrameHeader,
    /** The receiver's copy: equal to what decoding the frame's bytes returns. */
    readonly body: unknown,
    /** The length of `toBytes()`, header included. */
    readonly byteLength: number,
  ) {}

  /** The frame's bytes, encoded on first use. */
  toBytes(): Uint8Array {
    if (this.bytes === undefined) {
      const { header } = this;
      const kind = frameKindName(header.kind);
      this.bytes = encodeRawFrame(kind, header.apiKey, header.apiVersion, header.correlationId, this.body);
    }
    return this.bytes;
  }
}

function frameKindName(kind: number): FrameKind {
  if (kind === frameKinds.request) return 'request';
  if (kind === frameKinds.response) return 'response';
  return 'error';
}

/**
 * The frame as a value, or its bytes when the body holds something the copy does not model (then nothing
 * differs from encoding it).
 */
function frameValue(kind: FrameKind, apiKey: number, apiVersion: number, correlationId: number, body: unknown): FrameValue | Uint8Array {
  const copy = messagePackCopy(body);
  if (copy === undefined) return encodeRawFrame(kind, apiKey, apiVersion, correlationId, body);
  const header: FrameHeader = { frameVersion: FRAME_VERSION, kind: frameKinds[kind], apiKey, apiVersion, correlationId };
  return new FrameValue(header, copy.value, FRAME_HEADER_BYTES + copy.byteLength);
}

export function requestFrameValue<A extends ApiName>(api: A, version: number, correlationId: number, body: RequestBody<A>): FrameValue | Uint8Array {
  return frameValue('request', apis[api].key, version, correlationId, body);
}

export function responseFrameValue<A extends ApiName>(api: A, version: number, correlationId: number, body: ResponseBody<A>): FrameValue | Uint8Array {
  return frameValue('response', apis[api].key, version, correlationId, body);
}

export function errorFrameValue(apiKey: number, apiVersion: number, correlationId: number, error: WireError): FrameValue | Uint8Array {
  return frameValue('error', apiKey, apiVersion, correlationId, error);
}
