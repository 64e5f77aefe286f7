import { FrameValue } from '@kactor/protocol';
import type { TransportFrame } from '../transport/transport.js';

/**
 * A frame as the protocol's decoders take it: bytes, or a frame value a peer in this process built (carried by the
 * in-memory transport). Any other structured frame is read through its bytes, so it is decoded and checked in full.
 */
export function protocolFrame(frame: TransportFrame): Uint8Array | FrameValue {
  return frame instanceof Uint8Array || frame instanceof FrameValue ? frame : frame.toBytes();
}
