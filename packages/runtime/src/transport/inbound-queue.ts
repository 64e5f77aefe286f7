import type { CloseReason, TransportFrame } from './transport.js';

/** Runs a task later, outside the caller's stack: `setImmediate` for sockets, the clock in simulations. */
export type ScheduleTask = (task: () => void) => void;

/**
 * The receiving half every connection shares: frames and the final close are handed to the handlers in
 * arrival order, one at a time. Frames wait while paused or while no handler is set yet (a client sets
 * its handler only once `connect` resolves, and the server may have written first); the close waits
 * behind every frame that arrived before it.
 *
 * An arrival with nothing queued is delivered at once, on the caller's stack (the socket's or the
 * clock's event). Draining a backlog, after `resume()` or a late handler, is scheduled instead, so a
 * handler never runs inside the caller of `resume()` or `onFrame()`.
 *
 * The queue needs no bound of its own: a paused socket stops reading, so only frames already read
 * (at most a socket buffer's worth) can pile up here.
 */
export class InboundQueue<Frame extends TransportFrame = Uint8Array> {
  private frames: Array<Frame | undefined> = [];
  /** Index of the oldest undelivered frame: `shift()` would make a long backlog quadratic. */
  private head = 0;
  private closeReason: CloseReason | undefined;
  private closeDelivered = false;
  private frameHandler: ((frame: Frame) => void) | undefined;
  private closeHandler: ((reason: CloseReason) => void) | undefined;
  private paused = false;
  private delivering = false;
  private drainScheduled = false;

  constructor(private readonly schedule: ScheduleTask) {}

  get isPaused(): boolean {
    return this.paused;
  }

  /** Frames received but not yet handed over. */
  get queuedFrameCount(): number {
    return this.frames.length - this.head;
  }

  onFrame(handler: (frame: Frame) => void): void {
    this.frameHandler = handler;
    this.scheduleDrain();
  }

  onClose(handler: (reason: CloseReason) => void): void {
    this.closeHandler = handler;
    this.scheduleDrain();
  }

  pushFrame(frame: Frame): void {
    if (this.closeReason !== undefined) return; // nothing is received after the close
    const handler = this.frameHandler;
    if (this.delivering || this.paused || handler === undefined || this.head < this.frames.length) {
      this.frames.push(frame);
      this.drain();
      return;
    }
    // The usual arrival, nothing waiting before it: handed over without passing through the backlog.
    this.delivering = true;
    let handled = false;
    try {
      handler(frame);
      handled = true;
    } finally {
      this.delivering = false;
      if (!handled) this.scheduleDrain();
    }
    if (this.head < this.frames.length || this.closeReason !== undefined) this.drain(); // what arrived while the handler ran, in order
  }

  /** Records the close; only the first one counts. */
  pushClose(reason: CloseReason): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = reason;
    this.drain();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || !this.hasDeliverable()) return;
    this.drainScheduled = true;
    this.schedule(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  private hasDeliverable(): boolean {
    if (this.paused) return false;
    if (this.head < this.frames.length) return this.frameHandler !== undefined;
    return this.closeReason !== undefined && !this.closeDelivered && this.closeHandler !== undefined;
  }

  private drain(): void {
    if (this.delivering) return; // the running loop below picks the new arrival up in order
    this.delivering = true;
    try {
      while (this.hasDeliverable()) {
        const frame = this.takeFrame();
        if (frame !== undefined) {
          (this.frameHandler as (frame: Frame) => void)(frame);
        } else {
          this.closeDelivered = true;
          const handler = this.closeHandler as (reason: CloseReason) => void;
          this.frameHandler = undefined;
          this.closeHandler = undefined;
          handler(this.closeReason as CloseReason);
        }
      }
    } finally {
      this.delivering = false;
      // A handler that threw leaves the rest of the backlog for a later turn, still in order.
      this.scheduleDrain();
    }
  }

  private takeFrame(): Frame | undefined {
    if (this.head === this.frames.length) return undefined;
    const frame = this.frames[this.head];
    this.frames[this.head] = undefined; // release the bytes now, not when the backlog is compacted
    this.head += 1;
    if (this.head === this.frames.length) {
      this.frames.length = 0;
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER_FRAMES && this.head * 2 >= this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
    return frame;
  }
}

const COMPACT_AFTER_FRAMES = 1024;
