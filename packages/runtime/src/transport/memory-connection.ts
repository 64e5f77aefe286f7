import type { Clock } from '../clock/clock.js';
import { assertSendableCloseCode, CloseCode, truncateCloseReason } from './constants.js';
import { InboundQueue } from './inbound-queue.js';
import type { CloseReason, Connection, FrameOwnership, Principal, TransportFrame } from './transport.js';

/**
 * What an end needs from its network: moving a packet to the peer's host (with latency, FIFO order
 * and the fault filter applied), and hearing that the end is finished (for the network's bookkeeping).
 * A `frame` of `undefined` is a control packet: the close notification.
 */
export interface MemoryLink {
  readonly clock: Clock;
  /** Returns false when the packet was dropped (a partition): it will never arrive. */
  transmit(from: MemoryConnection, frame: TransportFrame | undefined, deliver: () => void): boolean;
  finished(end: MemoryConnection): void;
}

/**
 * One end of an in-memory connection. Everything that crosses to the peer goes through the clock, so a
 * simulation sees the same order and timing on every run; frames are copied on send, as a socket
 * would, so a sender reusing its buffer cannot change what the receiver gets, unless the sender hands the
 * frame over (an encoded RPC frame, which nothing writes to again). A structured frame (the RPC layer's frame
 * value) crosses as it is, never encoded: it is the receiver's copy already, and counts as the bytes it stands for.
 */
export class MemoryConnection implements Connection {
  /** The other end; set right after both ends exist. */
  peer: MemoryConnection | undefined;
  /** When the last packet this end sent is due at the peer: later packets never overtake it. */
  lastOutboundDueMs = Number.NEGATIVE_INFINITY;
  private open = true;
  private readonly inbound: InboundQueue<TransportFrame>;
  /** Bytes this end sent that the peer's handler has not taken yet: in flight, or queued at a paused peer. */
  private unreadBytes = 0;
  private drainHandler: (() => void) | undefined;
  private drainScheduled = false;

  constructor(
    private readonly link: MemoryLink,
    readonly id: string,
    /** The node this end lives on (the host part of its address). */
    readonly host: string,
    readonly localAddress: string,
    readonly remoteAddress: string,
    private readonly maxFrameBytesHard: number,
    readonly principal: Principal = 'client',
  ) {
    this.inbound = new InboundQueue((task) => link.clock.setTimeout(task, 0));
  }

  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Models a socket's send buffer with an unbounded kernel: bytes count from `send` until the peer's frame
   * handler takes them, so a peer that pauses (does not read) makes this grow as it would on a real socket.
   */
  get bufferedAmount(): number {
    return this.unreadBytes;
  }

  onDrain(handler: () => void): void {
    this.drainHandler = handler;
  }

  send(frame: TransportFrame, ownership: FrameOwnership = 'copy'): void {
    const peer = this.peer;
    if (!this.open || peer === undefined) return;
    // A frame handed over is nobody's to change any more; any other is copied (`Buffer#slice` would not copy).
    const sent = ownership === 'handedOver' || !(frame instanceof Uint8Array) ? frame : new Uint8Array(frame);
    this.unreadBytes += sent.byteLength;
    if (!this.link.transmit(this, sent, () => peer.receiveFrame(sent))) this.bytesTaken(sent.byteLength);
  }

  pause(): void {
    this.inbound.pause();
  }

  resume(): void {
    this.inbound.resume();
  }

  close(code: number = CloseCode.NORMAL, reason = ''): void {
    assertSendableCloseCode(code);
    if (!this.open) return;
    const closeReason = { code, reason: truncateCloseReason(reason) };
    this.finish(closeReason);
    this.notifyPeerOfClose(closeReason);
  }

  onFrame(handler: (frame: Uint8Array) => void): void {
    this.inbound.onFrame((frame) => {
      this.peer?.bytesTaken(frame.byteLength);
      handler(frame instanceof Uint8Array ? frame : frame.toBytes());
    });
  }

  onStructuredFrame(handler: (frame: TransportFrame) => void): void {
    this.inbound.onFrame((frame) => {
      this.peer?.bytesTaken(frame.byteLength);
      handler(frame);
    });
  }

  onClose(handler: (reason: CloseReason) => void): void {
    this.inbound.onClose(handler);
  }

  /** The connection is gone on this side without a word to the peer: a reset, a crashed node. */
  abort(reason: CloseReason): void {
    if (!this.open) return;
    this.finish(reason);
  }

  toJSON(): { kind: 'MemoryConnection'; id: string; localAddress: string; remoteAddress: string; isOpen: boolean } {
    return {
      kind: 'MemoryConnection',
      id: this.id,
      localAddress: this.localAddress,
      remoteAddress: this.remoteAddress,
      isOpen: this.open,
    };
  }

  /**
   * The peer read (or will never read) `bytes` this end sent; at 0 the drain handler runs on a later turn. Nearly
   * every frame empties the buffer, so the turn is taken only when there is a handler to call and none is pending:
   * a client end has no handler, and its answers then cost one timer each, not two.
   */
  private bytesTaken(bytes: number): void {
    if (this.unreadBytes === 0) return;
    this.unreadBytes = Math.max(0, this.unreadBytes - bytes);
    if (this.unreadBytes === 0 && this.open && this.drainHandler !== undefined && !this.drainScheduled) {
      this.drainScheduled = true;
      this.link.clock.setTimeout(() => {
        this.drainScheduled = false;
        if (this.unreadBytes === 0 && this.open) this.drainHandler?.();
      }, 0);
    }
  }

  /** A closed end has nothing left to write: its buffer empties and a reader paused for backpressure hears so. */
  private drainOnClose(): void {
    this.unreadBytes = 0;
    this.link.clock.setTimeout(() => this.drainHandler?.(), 0);
  }

  private receiveFrame(frame: TransportFrame): void {
    if (!this.open) {
      this.peer?.bytesTaken(frame.byteLength); // in flight when this end closed
      return;
    }
    if (frame.byteLength > this.maxFrameBytesHard) {
      const reason = {
        code: CloseCode.MESSAGE_TOO_BIG,
        reason: `frame of ${frame.byteLength} bytes exceeds the limit of ${this.maxFrameBytesHard} bytes`,
      };
      this.open = false;
      this.inbound.pushClose(reason);
      this.link.finished(this);
      this.notifyPeerOfClose(reason);
      return;
    }
    this.inbound.pushFrame(frame);
  }

  private receiveClose(reason: CloseReason): void {
    if (!this.open) return;
    this.open = false;
    this.drainOnClose();
    this.inbound.pushClose(reason);
    this.link.finished(this);
  }

  /** Closes this side; its own close handler hears of it on a later turn of the clock, never inside close(). */
  private finish(reason: CloseReason): void {
    this.open = false;
    this.drainOnClose();
    this.link.clock.setTimeout(() => this.inbound.pushClose(reason), 0);
    this.link.finished(this);
  }

  private notifyPeerOfClose(reason: CloseReason): void {
    const peer = this.peer;
    if (peer !== undefined) this.link.transmit(this, undefined, () => peer.receiveClose(reason));
  }
}
