/**
 * Two connected in-memory byte-stream ends, for tests of protocol code without sockets. Bytes written on
 * one end reach the other in a later microtask, in order and in the chunks written, so a test can write
 * several frames in one chunk (pipelining) or one frame across chunks. A paused end keeps what arrives
 * until resumed, and the writer's `bufferedAmount` counts it, as a socket's would while its peer does not read.
 */
import { StreamHandlers } from './handler-lists.js';
import type { ByteStreamConnection } from './byte-stream.js';

let nextMemoryStreamId = 0;

class MemoryStreamEnd implements ByteStreamConnection {
  readonly handlers = new StreamHandlers();
  peer!: MemoryStreamEnd;
  private readonly inbox: Uint8Array[] = [];
  private paused = false;
  private flushScheduled = false;
  private buffered = 0;
  private open = true;

  constructor(
    readonly id: string,
    readonly remoteAddress: string,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  get bufferedAmount(): number {
    return this.buffered;
  }

  write(bytes: Uint8Array): void {
    if (!this.open || bytes.length === 0) return;
    this.buffered += bytes.length;
    this.peer.inbox.push(bytes.slice());
    this.peer.scheduleFlush();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.scheduleFlush();
  }

  close(reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.peer.open = false;
    // After the bytes already queued for a reading peer, as a socket's end follows its data.
    queueMicrotask(() => {
      this.peer.flush();
      this.handlers.emitClose(reason);
      this.peer.handlers.emitClose(reason);
    });
  }

  onData(handler: (bytes: Uint8Array) => void): void {
    this.handlers.data.push(handler);
  }

  onDrain(handler: () => void): void {
    this.handlers.drain.push(handler);
  }

  onClose(handler: (reason: string) => void): void {
    this.handlers.close.push(handler);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const writer = this.peer;
    const hadBuffered = writer.buffered > 0;
    while (!this.paused && this.inbox.length > 0) {
      const chunk = this.inbox.shift() as Uint8Array;
      writer.buffered -= chunk.length;
      this.handlers.emitData(chunk);
    }
    if (hadBuffered && writer.buffered === 0) writer.handlers.emitDrain();
  }
}

/** A connected pair: `server` is what a listener would accept, `client` the peer a test drives. */
export function createMemoryStreamPair(clientAddress = '127.0.0.1:50000'): { server: ByteStreamConnection; client: ByteStreamConnection } {
  nextMemoryStreamId += 1;
  const server = new MemoryStreamEnd(`memory-${nextMemoryStreamId}-server`, clientAddress);
  const client = new MemoryStreamEnd(`memory-${nextMemoryStreamId}-client`, 'memory-server');
  server.peer = client;
  client.peer = server;
  return { server, client };
}
