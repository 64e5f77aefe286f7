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

export function writeFrameHeader(target: Uint8Array, kind: FrameKind, apiKey: number, apiVersion: number, correlationId: number): void {
  const view = new DataView(target.buffer, target.byteOffset, FRAME_HEADER_BYTES);
  view.setUint8(0, FRAME_VERSION);
  view.setUint8(1, frameKinds[kind]);
  view.setUint16(2, apiKey);
  view.setUint16(4, apiVersion);
  view.setUint32(6, correlationId);
}

/** Reads the header, or returns undefined when the frame is too short to hold one. */
export function readFrameHeader(frame: Uint8Array): FrameHeader | undefined {
  if (frame.byteLength < FRAME_HEADER_BYTES) return undefined;
  const view = new DataView(frame.buffer, frame.byteOffset, FRAME_HEADER_BYTES);
  return {
    frameVersion: view.getUint8(0),
    kind: view.getUint8(1),
    apiKey: view.getUint16(2),
    apiVersion: view.getUint16(4),
    correlationId: view.getUint32(6),
  };
}
