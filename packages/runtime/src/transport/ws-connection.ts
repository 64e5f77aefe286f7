import { WebSocket } from 'ws';
import type { Socket } from 'node:net';
import { assertSendableCloseCode, CloseCode, truncateCloseReason } from './constants.js';
import { InboundQueue } from './inbound-queue.js';
import type { CloseReason, Connection, Principal, TransportFrame } from './transport.js';

let connectionsCreated = 0;

/** A process-wide id: both ends of a loopback connection live in one process in tests and `cluster up`. */
export function nextWsConnectionId(): string {
  connectionsCreated += 1;
  return `ws-${connectionsCreated}`;
}

/**
 * One open WebSocket as a `Connection`. Frames are binary messages; `onFrame` receives a plain
 * `Uint8Array` view over the bytes ws read (no copy). A text message is a protocol violation for
 * kactor, so it closes the connection with 1003.
 */
export class WsConnection implements Connection {
  readonly closed: Promise<CloseReason>;
  private readonly inbound = new InboundQueue((task) => setImmediate(task));
  private corked = false;
  private drainHandler: (() => void) | undefined;

  constructor(
    private readonly socket: WebSocket,
    readonly id: string,
    readonly remoteAddress: string,
    readonly principal: Principal = 'client',
  ) {
    let resolveClosed: (reason: CloseReason) => void = () => undefined;
    this.closed = new Promise((resolve) => (resolveClosed = resolve));
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        this.close(CloseCode.UNSUPPORTED_DATA, 'kactor frames are binary; text messages are not accepted');
        return;
      }
      // binaryType is 'nodebuffer', so ws hands over one Buffer per message, fragments already joined.
      const bytes = data as Buffer;
      this.inbound.pushFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    });
    // ws follows every error with 'close'. When this side gave up on the peer's data (an oversize frame),
    // ws stops reading and reports 1006, so remember the code it sent, which is what really happened.
    let closeSentForError: CloseReason | undefined;
    socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        closeSentForError = { code: CloseCode.MESSAGE_TOO_BIG, reason: error.message };
      }
    });
    // The TCP socket says 'drain' once its write buffer is empty again after a write that filled it.
    this.rawSocket()?.on('drain', () => {
      if (this.bufferedAmount === 0) this.drainHandler?.();
    });
    socket.on('close', (code, reason) => {
      const closeReason =
        code === CloseCode.ABNORMAL && closeSentForError !== undefined ? closeSentForError : { code, reason: reason.toString('utf8') };
      this.inbound.pushClose(closeReason);
      resolveClosed(closeReason);
      this.drainHandler?.(); // nothing is left to write: a reader paused for backpressure resumes and sees the close
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Bytes ws and the TCP socket hold that the kernel has not taken yet (a peer that does not read stops taking them). */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  onDrain(handler: () => void): void {
    this.drainHandler = handler;
  }

  /**
   * Frames sent during one turn of the event loop leave in one write: the socket stays corked until the
   * turn ends (ws corks around each frame too, and Node counts nested corks). Answers to a burst of small
   * requests, such as heartbeats, then cost one syscall instead of one each.
   */
  /** A structured frame is encoded here: a socket carries bytes. */
  send(frame: TransportFrame): void {
    if (!this.isOpen) return;
    const raw = this.rawSocket();
    if (raw !== undefined && !this.corked) {
      this.corked = true;
      raw.cork();
      process.nextTick(() => {
        this.corked = false;
        raw.uncork();
      });
    }
    this.socket.send(frame instanceof Uint8Array ? frame : frame.toBytes(), { binary: true });
  }

  pause(): void {
    this.inbound.pause();
    this.socket.pause();
  }

  resume(): void {
    this.inbound.resume();
    this.socket.resume();
  }

  close(code: number = CloseCode.NORMAL, reason = ''): void {
    assertSendableCloseCode(code);
    this.socket.close(code, truncateCloseReason(reason));
  }

  onFrame(handler: (frame: Uint8Array) => void): void {
    this.inbound.onFrame(handler);
  }

  /** Every frame arrives as bytes over a socket. */
  onStructuredFrame(handler: (frame: TransportFrame) => void): void {
    this.inbound.onFrame(handler);
  }

  onClose(handler: (reason: CloseReason) => void): void {
    this.inbound.onClose(handler);
  }

  /** ws keeps the TCP socket private; corking and the drain event need it. */
  private rawSocket(): Socket | undefined {
    return (this.socket as unknown as { _socket?: Socket })._socket;
  }

  /** Drops the TCP connection without a closing handshake: for a peer that does not answer one. */
  terminate(): void {
    this.socket.terminate();
  }

  toJSON(): { kind: 'WsConnection'; id: string; remoteAddress: string; isOpen: boolean } {
    return { kind: 'WsConnection', id: this.id, remoteAddress: this.remoteAddress, isOpen: this.isOpen };
  }
}
