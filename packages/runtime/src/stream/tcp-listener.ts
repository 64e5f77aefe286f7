/**
 * A TCP listener for byte-stream protocols (Kafka's binary protocol, issue 16) on `node:net`. It admits
 * connections under Kafka's `max.connections` and `max.connections.per.ip` with the same counting as the
 * WebSocket listener (`ConnectionLimiter`), and, as Kafka's acceptor does, closes a connection past either
 * limit as soon as it is accepted: a raw TCP peer has no status line to read a reason from.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ConnectionLimiter } from '../transport/connection-limits.js';
import { TransportError } from '../transport/transport.js';
import { formatHost } from '../transport/ws-listener.js';
import type { ByteStreamConnection, ByteStreamListener, ByteStreamListenOptions } from './byte-stream.js';
import { StreamHandlers } from './handler-lists.js';

let nextTcpConnectionId = 0;

class TcpConnection implements ByteStreamConnection {
  readonly handlers = new StreamHandlers();
  private open = true;
  private closeReason = 'the peer closed the connection';

  constructor(
    readonly id: string,
    readonly remoteAddress: string,
    private readonly socket: Socket,
  ) {
    socket.on('data', (chunk: Buffer) => this.handlers.emitData(chunk));
    socket.on('drain', () => this.handlers.emitDrain());
    // A reset or write after the peer left ends the connection like a close; nothing to report upward.
    socket.on('error', (error) => {
      this.closeReason = `socket error: ${error.message}`;
    });
    socket.on('close', () => {
      this.open = false;
      this.handlers.emitClose(this.closeReason);
    });
  }

  get isOpen(): boolean {
    return this.open && !this.socket.destroyed;
  }

  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  write(bytes: Uint8Array): void {
    if (this.isOpen) this.socket.write(bytes);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.closeReason = reason;
    this.socket.end();
    // A peer that never reads must not keep a half-closed socket alive once our end is flushed.
    this.socket.once('finish', () => this.socket.destroy());
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

  destroy(): void {
    this.socket.destroy();
  }
}

export async function listenTcp(options: ByteStreamListenOptions, onConnection: (connection: ByteStreamConnection) => void): Promise<ByteStreamListener> {
  const limiter = new ConnectionLimiter(options);
  const connections = new Set<TcpConnection>();
  let closing = false;
  const server = createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    const address = socket.remoteAddress ?? 'unknown';
    const admission = limiter.admit(address, 'client');
    if (closing || !admission.admitted) {
      socket.destroy();
      return;
    }
    nextTcpConnectionId += 1;
    const connection = new TcpConnection(`tcp-${nextTcpConnectionId}`, `${formatHost(address)}:${socket.remotePort ?? 0}`, socket);
    connections.add(connection);
    connection.onClose(() => {
      admission.slot.release();
      connections.delete(connection);
    });
    onConnection(connection);
  });
  await bind(server, options);
  const { port } = server.address() as AddressInfo;
  return {
    host: options.host,
    port,
    get connectionCount() {
      return connections.size;
    },
    async close() {
      if (closing) return;
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of connections) connection.destroy();
      await closed;
    },
  };
}

function bind(server: Server, options: ByteStreamListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `${formatHost(options.host)}:${options.port}`;
      const code = error.code === 'EADDRINUSE' ? 'ADDRESS_IN_USE' : 'LISTEN_FAILED';
      const detail = error.code === 'EADDRINUSE' ? 'the address is already in use (another node or program holds that port)' : error.message;
      reject(new TransportError(code, `cannot listen on ${where}: ${detail}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', onError);
      server.on('error', () => undefined);
      resolve();
    });
  });
}
