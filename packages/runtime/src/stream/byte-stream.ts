/**
 * A byte-stream connection (TCP, or an in-memory pair in tests): the edge for protocols that do their own
 * framing, such as Kafka's binary protocol. Unlike `Connection` of `transport/`, it carries bytes, not
 * frames, and knows nothing of kactor's secrets: the protocol on top decides what a connection may do.
 */

export interface ByteStreamConnection {
  /** Unique per process (`tcp-7`, `memory-3`), for logs and to key per-connection state. */
  readonly id: string;
  /** The peer as `host:port`. */
  readonly remoteAddress: string;
  readonly isOpen: boolean;
  /** Bytes written but not yet taken by the peer's socket (Node's `writableLength`): a slow reader shows here. */
  readonly bufferedAmount: number;
  /** Queues bytes for the peer; ignored once the connection is closed. */
  write(bytes: Uint8Array): void;
  /** Stops delivering received bytes (the socket stops reading, so TCP pushes back on the peer). */
  pause(): void;
  resume(): void;
  /** Closes after the bytes already written are flushed; `onClose` handlers run once. */
  close(reason: string): void;
  onData(handler: (bytes: Uint8Array) => void): void;
  /** Runs when `bufferedAmount` has dropped to zero after writes. */
  onDrain(handler: () => void): void;
  onClose(handler: (reason: string) => void): void;
}

export interface ByteStreamListener {
  readonly host: string;
  /** The bound port (the one chosen when asked for port 0). */
  readonly port: number;
  /** Client connections open now. */
  readonly connectionCount: number;
  /** Stops accepting and closes every open connection. */
  close(): Promise<void>;
}

export interface ByteStreamListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** max.connections: connections open at once; a further one is closed as soon as it is accepted. Undefined: no limit. */
  maxConnections?: number | undefined;
  /** max.connections.per.ip: connections open at once from one address. Undefined: no limit. */
  maxConnectionsPerIp?: number | undefined;
}
