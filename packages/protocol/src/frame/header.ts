/**
 * The fixed frame header in front of every MessagePack body (see docs/ARCHITECTURE.md, "Frames"):
 *
 * ```
 * offset size field
 * 0      1    frameVersion   = 1
 * 1      1    kind           0 request, 1 response, 2 error response
 * 2      2    apiKey         u16 big-endian
 * 4      2    apiVersion     u16 big-endian
 * 6      4    correlationId  u32 big-endian
 * 10     n    body           MessagePack
 * ```
 *
 * It is fixed and in front so that a node can answer a frame whose body it will not decode (too large,
 * unknown API) with the right correlation id, and so that a client matches responses without decoding them.
 */
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 10;

export const frameKinds = { request: 0, response: 1, error: 2 } as const;
export type FrameKind = keyof typeof frameKinds;

export interface FrameHeader {
  frameVersion: number;
  kind: number;
  apiKey: number;
  apiVersion: number;
  correlationId: number;
}

// Every frame passes here twice or more; plain byte arithmetic spares a DataView per call.
export function writeFrameHeader(target: Uint8Array, kind: FrameKind, apiKey: number, apiVersion: number, correlationId: number): void {
  target[0] = FRAME_VERSION;
  target[1] = frameKinds[kind];
  target[2] = (apiKey >>> 8) & 0xff;
  target[3] = apiKey & 0xff;
  target[4] = (apiVersion >>> 8) & 0xff;
  target[5] = apiVersion & 0xff;
  target[6] = (correlationId >>> 24) & 0xff;
  target[7] = (correlationId >>> 16) & 0xff;
  target[8] = (correlationId >>> 8) & 0xff;
  target[9] = correlationId & 0xff;
}

/** Reads the header, or returns undefined when the frame is too short to hold one. A frame value carries its header. */
export function readFrameHeader(frame: Uint8Array | { readonly header: FrameHeader }): FrameHeader | undefined {
  if (!(frame instanceof Uint8Array)) return frame.header;
  if (frame.byteLength < FRAME_HEADER_BYTES) return undefined;
  return {
    frameVersion: frame[0] as number,
    kind: frame[1] as number,
    apiKey: readUint16(frame, 2),
    apiVersion: readUint16(frame, 4),
    // `* 2 ** 24` rather than `<< 24`, which would turn ids from 2^31 up negative.
    correlationId: (frame[6] as number) * 2 ** 24 + (((frame[7] as number) << 16) | ((frame[8] as number) << 8) | (frame[9] as number)),
  };
}

function readUint16(frame: Uint8Array, offset: number): number {
  return ((frame[offset] as number) << 8) | (frame[offset + 1] as number);
}
