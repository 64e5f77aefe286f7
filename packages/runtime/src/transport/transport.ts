/**
 * A transport moves whole frames (byte arrays) between nodes. Two implementations pass one shared
 * compliance suite: WebSocket (`ws`, binary frames) between processes, and in-memory, which delivers
 * through the injected clock so a whole cluster runs deterministically in one process.
 *
 * Transports know nothing of requests, correlation or validation: that is the RPC layer's job.
 */
export interface Transport {
  /** Starts accepting connections. Rejects with `TransportError` (e.g. code `ADDRESS_IN_USE`). */
  listen(options: ListenOptions, onConnection: (connection: Connection) => void): Promise<Listener>;
  /**
   * Opens a connection. Rejects with `TransportError` (`CONNECTION_REFUSED`, `AUTHENTICATION_FAILED`, `TIMEOUT`;
   * a listener at its connection limit refuses with `CONNECTION_REFUSED` and a message naming the limit).
   */
  connect(url: string, options?: ConnectOptions): Promise<Connection>;
  /**
   * True when a frame sent as a `StructuredFrame` reaches the peer as that value, never encoded (the in-memory
   * transport): a sender then gains by building one. Other transports encode it (`toBytes()`) to send it.
   */
  readonly carriesStructuredFrames?: boolean;
}

/**
 * A frame given as a value rather than as bytes (the protocol's FrameValue): what it holds is the receiver's
 * own, and its bytes are made only when someone needs them. `byteLength` is exactly `toBytes().byteLength`,
 * so every size limit and byte count treats it as the bytes it stands for.
 */
export interface StructuredFrame {
  readonly byteLength: number;
  toBytes(): Uint8Array;
}

/** A frame as a transport takes it: bytes, or a value that stands for them. */
export type TransportFrame = Uint8Array | StructuredFrame;

export interface ListenOptions {
  /** Interface to bind; brokers default to 127.0.0.1. The in-memory transport uses it as the node's name. */
  host: string;
  /** Port to bind; 0 picks a free one. The in-memory transport builds its address as `memory://host:port`. */
  port: number;
  /** When set, every connection must present this secret at the upgrade, compared in constant time. */
  secret?: string | undefined;
  /**
   * When set, a connection that presents this secret instead is a cluster member (principal `cluster`):
   * brokers and the controller talking to each other. It must differ from `secret`. Cluster connections
   * are not counted against the connection limits below, so clients cannot lock the control plane out.
   */
  clusterSecret?: string | undefined;
  /** max.connections: client connections open at once; further upgrades are refused (HTTP 503). Default: no limit. */
  maxConnections?: number | undefined;
  /** max.connections.per.ip: client connections open at once from one address (memory: one node). Default: no limit. */
  maxConnectionsPerIp?: number | undefined;
  /** Frames larger than this close the connection (ws code 1009). The RPC layer answers smaller oversize frames. */
  maxFrameBytesHard: number;
}

export interface ConnectOptions {
  /** Presented at the upgrade when the listener requires one. */
  secret?: string | undefined;
  /** Frames from the peer larger than this close the connection (1009). Default `MAX_FRAME_BYTES_HARD_DEFAULT`. */
  maxFrameBytesHard?: number | undefined;
  /** Bound on connecting, handshake included. Default `CONNECT_TIMEOUT_MS_DEFAULT`. */
  connectTimeoutMs?: number | undefined;
}

export interface Listener {
  /** The address clients connect to, e.g. `ws://127.0.0.1:9100`. */
  readonly url: string;
  /** Stops accepting and closes every accepted connection. */
  close(): Promise<void>;
}

export type CloseReason = { readonly code: number; readonly reason: string };

/**
 * What the peer of an accepted connection authenticated as (Kafka: its listener and principal). A
 * `cluster` peer presented the cluster secret and may send inter-broker and controller requests (Kafka's
 * ClusterAction); every other peer is a `client`. The connecting end of a connection is always `client`.
 */
export type Principal = 'client' | 'cluster';

/** Who may write to a sent frame's bytes afterwards: the sender may (`copy`, the default), or nobody (`handedOver`). */
export type FrameOwnership = 'copy' | 'handedOver';

export interface Connection {
  /** Unique within the process (the in-memory transport: within its network, so ids repeat between runs). */
  readonly id: string;
  /** The peer as a readable string (`127.0.0.1:53422`, `memory://client-3`). */
  readonly remoteAddress: string;
  readonly isOpen: boolean;
  /** See `Principal`: set at the upgrade, never changes. */
  readonly principal: Principal;
  /**
   * Bytes sent but not yet written out to the peer (ws's `bufferedAmount`; in memory, bytes the peer has
   * not read yet). A peer that does not read makes it grow: the RPC server stops reading such a connection.
   */
  readonly bufferedAmount: number;
  /**
   * One handler: called (outside `send`) when `bufferedAmount` has fallen back to 0, which includes the
   * connection closing (nothing is left to write then). A reader paused for backpressure resumes on it.
   */
  onDrain(handler: () => void): void;
  /**
   * Queues a frame for the peer. Frames sent after close are dropped. The transport may keep a reference
   * to `frame` until it is written out, so do not modify it after sending. With `'handedOver'` the caller
   * gives the frame up for good (it never writes to those bytes again, as with a freshly encoded frame), so a
   * transport that copies frames to protect the peer from a sender reusing its buffer may skip the copy. A
   * `StructuredFrame` is the peer's already: a transport that writes bytes encodes it, the in-memory one hands it over.
   */
  send(frame: TransportFrame, ownership?: FrameOwnership): void;
  /** Stops delivering incoming frames (backpressure) until `resume()`; frames stay queued. */
  pause(): void;
  resume(): void;
  /**
   * Closes with a WebSocket close code (default 1000) that both ends receive in `onClose`. Codes that
   * may not be sent on the wire (1004-1006, 1015, outside 1000-4999) throw a RangeError; reasons longer
   * than the 123 bytes a close frame allows are cut.
   */
  close(code?: number, reason?: string): void;
  /**
   * One handler each; frames arrive in order, one at a time. Frames and the close that arrive before a
   * handler is set wait for it, and the close comes after every frame received before it.
   */
  onFrame(handler: (frame: Uint8Array) => void): void;
  /**
   * Instead of `onFrame`, for a reader that takes frame values (the RPC layer): a frame sent as a `StructuredFrame`
   * arrives as that value where the transport carried it so, and as bytes everywhere else.
   */
  onStructuredFrame(handler: (frame: TransportFrame) => void): void;
  onClose(handler: (reason: CloseReason) => void): void;
}

export type TransportErrorCode =
  | 'ADDRESS_IN_USE'
  /** Listening failed for another reason: no such interface, no permission for the port. */
  | 'LISTEN_FAILED'
  | 'CONNECTION_REFUSED'
  | 'AUTHENTICATION_FAILED'
  | 'TIMEOUT'
  | 'CLOSED';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
