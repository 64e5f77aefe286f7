import type { Clock } from '../clock/clock.js';
import { assertFrameLimit, CloseCode, CONNECT_TIMEOUT_MS_DEFAULT, MAX_FRAME_BYTES_HARD_DEFAULT } from './constants.js';
import { MemoryConnection, type MemoryLink } from './memory-connection.js';
import { ConnectionLimiter, type ConnectionSlot } from './connection-limits.js';
import { assertUsableSecret, createPrincipalCheck, secretToken } from './secret.js';
import {
  TransportError,
  type ConnectOptions,
  type Connection,
  type Listener,
  type ListenOptions,
  type Principal,
  type Transport,
  type TransportFrame,
} from './transport.js';

/** One-way latency between two nodes (host names), in ms of the injected clock. */
export type LatencyMs = number | ((fromHost: string, toHost: string) => number);

/**
 * Decides the fate of each packet as it is sent, from one node to another. `frame` is undefined for
 * control packets (connect, accept, refuse, close); a frame sent as a value has its bytes in `toBytes()`. A dropped packet vanishes, as in a network
 * partition: TCP would retransmit and eventually give up; here the RPC layer's timeouts notice, as
 * they would there.
 */
export type LinkFilter = (fromHost: string, toHost: string, frame: TransportFrame | undefined) => 'deliver' | 'drop';

export interface MemoryTransportOptions {
  clock: Clock;
  /** Default 0: packets still go through the clock, one turn later. */
  latencyMs?: LatencyMs;
}

/** Node name of connections opened through the transport itself rather than through `forHost`. */
export const MEMORY_CLIENT_HOST_DEFAULT = 'client';
/** First port handed out for client ends, as the IANA ephemeral range starts. */
const EPHEMERAL_PORT_FIRST = 49_152;
const EPHEMERAL_PORT_COUNT = 16_384;

interface MemoryListenerEntry {
  readonly address: string;
  readonly checkPrincipal: (presented: string | undefined) => Principal | undefined;
  readonly limiter: ConnectionLimiter;
  readonly maxFrameBytesHard: number;
  readonly onConnection: (connection: Connection) => void;
  readonly accepted: Set<MemoryConnection>;
}

/**
 * An in-process network for simulations: listeners register `memory://host:port`, and every packet
 * (frame, connect, close) travels through `clock.setTimeout(deliver, latency)`, FIFO per direction of
 * each connection. Driven by a `SimulatedClock`, a whole cluster runs the same way every time.
 *
 * The host of a listen address is the node's name; connections opened through `forHost('broker-1')`
 * come from `memory://broker-1:<ephemeral port>`, so latency and faults can be set per pair of nodes.
 *
 * Faults: `setLinkFilter` drops packets between nodes (a partition), `disconnect(host)` resets every
 * connection of a node (both ends see code 1006).
 *
 * It carries structured frames (`carriesStructuredFrames`): a frame value the RPC layer sends reaches the peer
 * as that value, so no frame between two simulated nodes is encoded or decoded, and only its length is counted.
 */
export class MemoryTransport implements Transport {
  readonly carriesStructuredFrames = true;
  private readonly clock: Clock;
  private readonly latencyMs: LatencyMs;
  private linkFilter: LinkFilter | undefined;
  private readonly listeners = new Map<string, MemoryListenerEntry>();
  private readonly openEnds = new Set<MemoryConnection>();
  /** Connection-limit slots of accepted ends, released when the end is finished. */
  private readonly slots = new Map<MemoryConnection, ConnectionSlot>();
  private nextListenPort = 1;
  private ephemeralPortsUsed = 0;
  private connectionsCreated = 0;
  private readonly link: MemoryLink;

  constructor(options: MemoryTransportOptions) {
    this.clock = options.clock;
    this.latencyMs = options.latencyMs ?? 0;
    this.link = {
      clock: this.clock,
      transmit: (from, frame, deliver) => this.transmit(from.host, from.peer?.host ?? from.host, frame, from, deliver),
      finished: (end) => this.forget(end),
    };
  }

  listen(options: ListenOptions, onConnection: (connection: Connection) => void): Promise<Listener> {
    try {
      return Promise.resolve(this.register(options, onConnection));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  connect(url: string, options: ConnectOptions = {}): Promise<Connection> {
    return this.connectFrom(MEMORY_CLIENT_HOST_DEFAULT, url, options);
  }

  /** The same network seen from one node: its outgoing connections come from `host`. */
  forHost(host: string): Transport & { toJSON(): { kind: 'MemoryTransport'; host: string } } {
    return {
      carriesStructuredFrames: true,
      listen: (options, onConnection) => this.listen(options, onConnection),
      connect: (url, options) => this.connectFrom(host, url, options ?? {}),
      toJSON: () => ({ kind: 'MemoryTransport' as const, host }),
    };
  }

  /** Installs (or with `undefined` removes) the filter every packet passes when it is sent. */
  setLinkFilter(filter: LinkFilter | undefined): void {
    this.linkFilter = filter;
  }

  /** Resets every open connection with an end on `host`; both ends see code 1006. Listeners stay. */
  disconnect(host: string): number {
    const affected = [...this.openEnds].filter((end) => end.host === host || end.peer?.host === host);
    const reason = { code: CloseCode.ABNORMAL, reason: `connection to ${host} lost (simulated disconnect)` };
    for (const end of affected) end.abort(reason);
    return affected.length;
  }

  get openConnectionCount(): number {
    return this.openEnds.size;
  }

  toJSON(): { kind: 'MemoryTransport'; listeners: string[]; openConnections: number } {
    return { kind: 'MemoryTransport', listeners: [...this.listeners.keys()], openConnections: this.openEnds.size };
  }

  private register(options: ListenOptions, onConnection: (connection: Connection) => void): Listener {
    assertFrameLimit(options.maxFrameBytesHard, 'ListenOptions.maxFrameBytesHard');
    const port = options.port === 0 ? this.allocatePort(options.host) : options.port;
    const address = memoryAddress(options.host, port);
    if (this.listeners.has(address)) {
      throw new TransportError('ADDRESS_IN_USE', `cannot listen on ${address}: the address is already in use`);
    }
    const entry: MemoryListenerEntry = {
      address,
      checkPrincipal: createPrincipalCheck(options.secret, options.clusterSecret),
      limiter: new ConnectionLimiter(options),
      maxFrameBytesHard: options.maxFrameBytesHard,
      onConnection,
      accepted: new Set(),
    };
    this.listeners.set(address, entry);
    return {
      url: address,
      close: async () => {
        if (this.listeners.get(address) !== entry) return;
        this.listeners.delete(address);
        for (const end of [...entry.accepted]) end.close(CloseCode.GOING_AWAY, 'listener closed');
      },
    };
  }

  private connectFrom(fromHost: string, url: string, options: ConnectOptions): Promise<Connection> {
    const target = parseMemoryUrl(url);
    if (target === undefined) return Promise.reject(new TypeError(`not a memory transport address: ${url}`));
    const clientMaxFrameBytes = options.maxFrameBytesHard ?? MAX_FRAME_BYTES_HARD_DEFAULT;
    try {
      assertFrameLimit(clientMaxFrameBytes, 'ConnectOptions.maxFrameBytesHard');
      if (options.secret !== undefined) assertUsableSecret(options.secret);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const timeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS_DEFAULT;
    const localAddress = memoryAddress(fromHost, EPHEMERAL_PORT_FIRST + (this.ephemeralPortsUsed++ % EPHEMERAL_PORT_COUNT));

    return new Promise<Connection>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void): boolean => {
        if (settled) return false;
        settled = true;
        this.clock.clearTimeout(timer);
        outcome();
        return true;
      };
      const timer = this.clock.setTimeout(
        () => settle(() => reject(new TransportError('TIMEOUT', `connecting to ${url} took longer than ${timeoutMs} ms`))),
        timeoutMs,
      );
      const refuse = (error: TransportError): void => {
        this.transmit(target.host, fromHost, undefined, undefined, () => settle(() => reject(error)));
      };

      this.transmit(fromHost, target.host, undefined, undefined, () => {
        const listener = this.listeners.get(target.address);
        if (listener === undefined) {
          refuse(new TransportError('CONNECTION_REFUSED', `nothing listens at ${url} (connection refused)`));
          return;
        }
        const principal = listener.checkPrincipal(options.secret === undefined ? undefined : secretToken(options.secret));
        if (principal === undefined) {
          refuse(new TransportError('AUTHENTICATION_FAILED', `${url} refused the shared secret; check the configured secret`));
          return;
        }
        // The node is the peer's address here, as the IP is for sockets.
        const admission = listener.limiter.admit(fromHost, principal);
        if (!admission.admitted) {
          refuse(new TransportError('CONNECTION_REFUSED', `${url} refused the connection: ${admission.reason} (HTTP 503)`));
          return;
        }
        const serverEnd = this.createEnd(target.host, listener.address, localAddress, listener.maxFrameBytesHard, principal);
        this.slots.set(serverEnd, admission.slot);
        const clientEnd = this.createEnd(fromHost, localAddress, listener.address, clientMaxFrameBytes);
        serverEnd.peer = clientEnd;
        clientEnd.peer = serverEnd;
        listener.accepted.add(serverEnd);
        // The accept travels on the server end's FIFO, so frames the server sends at once arrive after it.
        this.transmit(target.host, fromHost, undefined, serverEnd, () => {
          if (!settle(() => resolve(clientEnd))) clientEnd.close(CloseCode.GOING_AWAY, 'connect timed out');
        });
        listener.onConnection(serverEnd);
      });
    });
  }

  private createEnd(host: string, localAddress: string, remoteAddress: string, maxFrameBytesHard: number, principal: Principal = 'client'): MemoryConnection {
    this.connectionsCreated += 1;
    const end = new MemoryConnection(this.link, `memory-${this.connectionsCreated}`, host, localAddress, remoteAddress, maxFrameBytesHard, principal);
    this.openEnds.add(end);
    return end;
  }

  private forget(end: MemoryConnection): void {
    this.openEnds.delete(end);
    this.slots.get(end)?.release();
    this.slots.delete(end);
    for (const listener of this.listeners.values()) listener.accepted.delete(end);
  }

  /**
   * Sends one packet from `fromHost` to `toHost` through the clock. With an `outbound` end, the packet
   * keeps FIFO order behind everything that end sent before, even when the latency varies.
   */
  private transmit(
    fromHost: string,
    toHost: string,
    frame: TransportFrame | undefined,
    outbound: MemoryConnection | undefined,
    deliver: () => void,
  ): boolean {
    if (this.linkFilter !== undefined && this.linkFilter(fromHost, toHost, frame) === 'drop') return false;
    const nowMs = this.clock.now();
    let dueMs = nowMs + this.latencyBetween(fromHost, toHost);
    if (outbound !== undefined) {
      dueMs = Math.max(dueMs, outbound.lastOutboundDueMs);
      outbound.lastOutboundDueMs = dueMs;
    }
    this.clock.setTimeout(deliver, dueMs - nowMs);
    return true;
  }

  private latencyBetween(fromHost: string, toHost: string): number {
    const latencyMs = typeof this.latencyMs === 'number' ? this.latencyMs : this.latencyMs(fromHost, toHost);
    if (!Number.isFinite(latencyMs) || latencyMs < 0) {
      throw new RangeError(`MemoryTransport: latency from ${fromHost} to ${toHost} must be a finite number >= 0, got ${latencyMs}`);
    }
    return latencyMs;
  }

  private allocatePort(host: string): number {
    while (this.listeners.has(memoryAddress(host, this.nextListenPort))) this.nextListenPort += 1;
    const port = this.nextListenPort;
    this.nextListenPort += 1;
    return port;
  }
}

function memoryAddress(host: string, port: number): string {
  return `memory://${host}:${port}`;
}

function parseMemoryUrl(url: string): { host: string; address: string } | undefined {
  const match = /^memory:\/\/([^:/]+):(\d+)$/.exec(url);
  if (match === null) return undefined;
  const host = match[1] as string;
  return { host, address: memoryAddress(host, Number(match[2])) };
}
