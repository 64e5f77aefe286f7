/**
 * Cuts a byte stream into Kafka frames: a 4-byte big-endian size, then that many bytes. The size is
 * checked before any of the frame is buffered: a negative size or one above `maxFrameBytes` (Kafka's
 * `socket.request.max.bytes`) is an error after which the connection must close, as Kafka closes it
 * (`InvalidReceiveException`). The reader holds at most one partial frame, allocated once at its
 * declared size and filled as chunks arrive, so memory is bounded and no byte is copied twice.
 */
import { wireError, type WireError } from '@kactor/protocol';

const SIZE_PREFIX_BYTES = 4;

export interface FrameReaderLimits {
  /** `socket.request.max.bytes` (Kafka's default 104857600). */
  readonly maxFrameBytes: number;
}

export type FrameReaderResult = { ok: true; frames: Uint8Array[] } | { ok: false; frames: Uint8Array[]; error: WireError };

export class KafkaFrameReader {
  private readonly sizePrefix = new Uint8Array(SIZE_PREFIX_BYTES);
  private sizePrefixFilled = 0;
  private frame: Uint8Array | undefined;
  private frameFilled = 0;
  private failed: WireError | undefined;

  constructor(private readonly limits: FrameReaderLimits) {}

  /** Bytes received but not yet part of a whole frame. */
  get bufferedBytes(): number {
    return this.sizePrefixFilled + this.frameFilled;
  }

  /** Adds received bytes; returns the frames they complete (without size prefixes), or the error that ends the stream. */
  push(chunk: Uint8Array): FrameReaderResult {
    if (this.failed !== undefined) return { ok: false, frames: [], error: this.failed };
    const frames: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.frame === undefined) {
        const taken = Math.min(SIZE_PREFIX_BYTES - this.sizePrefixFilled, chunk.length - offset);
        this.sizePrefix.set(chunk.subarray(offset, offset + taken), this.sizePrefixFilled);
        this.sizePrefixFilled += taken;
        offset += taken;
        if (this.sizePrefixFilled < SIZE_PREFIX_BYTES) break;
        const size = new DataView(this.sizePrefix.buffer).getInt32(0);
        const problem = checkSize(size, this.limits.maxFrameBytes);
        if (problem !== undefined) {
          this.failed = problem;
          return { ok: false, frames, error: problem };
        }
        this.frame = new Uint8Array(size);
        this.frameFilled = 0;
      }
      const taken = Math.min(this.frame.length - this.frameFilled, chunk.length - offset);
      this.frame.set(chunk.subarray(offset, offset + taken), this.frameFilled);
      this.frameFilled += taken;
      offset += taken;
      if (this.frameFilled === this.frame.length) {
        frames.push(this.frame);
        this.frame = undefined;
        this.frameFilled = 0;
        this.sizePrefixFilled = 0;
      }
    }
    return { ok: true, frames };
  }
}

function checkSize(size: number, maxFrameBytes: number): WireError | undefined {
  if (size < 0) return wireError('INVALID_REQUEST', `a frame declares a negative size ${size}`);
  if (size > maxFrameBytes) {
    return wireError('MESSAGE_TOO_LARGE', `a frame of ${size} bytes exceeds socket.request.max.bytes (${maxFrameBytes})`);
  }
  return undefined;
}
