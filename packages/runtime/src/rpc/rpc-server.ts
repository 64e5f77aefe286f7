/**
 * The server half of the RPC layer: accepts connections, validates every request frame once (the edge of
 * the node), hands valid requests to the node and sends back exactly one answer per request. Bad frames are
 * answered at once with Kafka's error code and name, and the connection keeps serving. Each connection may
 * have at most `queued.max.requests` requests outstanding, and at most `queued.max.response.bytes` of
 * answers waiting to be written to it; beyond either the server stops reading from it (backpressure, like
 * Kafka muting a channel) until answers go out. Control-plane APIs are refused unless the connection
 * authenticated as a cluster member, and a connection without requests for `connections.max.idle.ms` is
 * closed.
 */
import type { ApiName, ResponseBody, WireError } from '@kactor/protocol';
import {
  apiNameForKey,
  apis,
  decodeRequestFrame,
  encodeErrorFrame,
  encodeResponseFrame,
  errorFrameValue,
  readFrameHeader,
  requiresClusterAction,
  responseFrameValue,
  wireError,
  type FrameValue,
} from '@kactor/protocol';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock/clock.js';
import { CloseCode } from '../transport/constants.js';
import type { Connection, Listener, Transport, TransportFrame } from '../transport/transport.js';
import { protocolFrame } from './protocol-frame.js';
import type { InboundRequest, RequestRef, Responder } from './rpc.js';

export interface RpcServerOptions {
  transport: Transport;
  logger: Logger;
  /** socket.request.max.bytes: larger requests get MESSAGE_TOO_LARGE. */
  maxRequestBytes: number;
  /** queued.max.requests, applied per connection. */
  maxQueuedRequestsPerConnection: number;
  /**
   * queued.max.response.bytes: answers waiting to be written to one connection (its `bufferedAmount`)
   * above which the server stops reading that connection's requests, until they drain. Brokers always set
   * it; servers in tests that leave it out have no bound.
   */
  maxQueuedResponseBytesPerConnection?: number | undefined;
  /**
   * connections.max.idle.ms, on `clock`: a connection with no request nor answer (and none outstanding) for
   * this long is closed. Brokers always set both; without them, no connection is closed for being idle.
   */
  idle?: { readonly clock: Clock; readonly connectionsMaxIdleMs: number } | undefined;
  onRequest(request: InboundRequest): void;
  onConnectionClosed?(connectionId: string): void;
}

export interface RpcListenOptions {
  host: string;
  port: number;
  secret?: string | undefined;
  /** The credential of cluster members (see `ListenOptions.clusterSecret`). */
  clusterSecret?: string | undefined;
  /** max.connections */
  maxConnections?: number | undefined;
  /** max.connections.per.ip */
  maxConnectionsPerIp?: number | undefined;
}

interface ServedConnection {
  connection: Connection;
  outstanding: Set<number>;
  /** Reading is stopped (too many requests outstanding, or too many answer bytes waiting). */
  muted: boolean;
  lastActiveMs: number;
  idleTimer: TimerHandle | undefined;
}

/** Frames up to this multiple of socket.request.max.bytes are read and answered; larger ones close the connection. */
export const hardFrameLimitFactor = 2;

export class RpcServer implements Responder {
  private readonly connections = new Map<string, ServedConnection>();
  private listener: Listener | undefined;
  /** Answers go as frame values where the transport carries them so (see `Transport.carriesStructuredFrames`). */
  private readonly structured: boolean;

  constructor(private readonly options: RpcServerOptions) {
    this.structured = options.transport.carriesStructuredFrames === true;
  }

  get url(): string {
    if (this.listener === undefined) throw new Error('the RPC server is not listening');
    return this.listener.url;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async listen(options: RpcListenOptions): Promise<Listener> {
    this.listener = await this.options.transport.listen(
      {
        host: options.host,
        port: options.port,
        secret: options.secret,
        clusterSecret: options.clusterSecret,
        maxConnections: options.maxConnections,
        maxConnectionsPerIp: options.maxConnectionsPerIp,
        maxFrameBytesHard: this.options.maxRequestBytes * hardFrameLimitFactor,
      },
      (connection) => this.accept(connection),
    );
    return this.listener;
  }

  async close(): Promise<void> {
    await this.listener?.close();
    this.listener = undefined;
  }

  respond<A extends ApiName>(ref: RequestRef & { readonly api: A }, body: ResponseBody<A>): void {
    const served = this.release(ref);
    if (served === undefined) return;
    this.send(served, this.structured ? responseFrameValue(ref.api, ref.version, ref.correlationId, body) : encodeResponseFrame(ref.api, ref.version, ref.correlationId, body));
  }

  respondError(ref: RequestRef, error: WireError): void {
    const served = this.release(ref);
    if (served === undefined) return;
    this.send(served, this.errorFrame(apis[ref.api].key, ref.version, ref.correlationId, error));
  }


  private errorFrame(apiKey: number, apiVersion: number, correlationId: number, error: WireError): Uint8Array | FrameValue {
    return this.structured ? errorFrameValue(apiKey, apiVersion, correlationId, error) : encodeErrorFrame(apiKey, apiVersion, correlationId, error);
  }

  finish(ref: RequestRef): void {
    const served = this.release(ref);
    if (served !== undefined) this.updateMute(served);
  }

  private accept(connection: Connection): void {
    const served: ServedConnection = { connection, outstanding: new Set(), muted: false, lastActiveMs: this.nowMs(), idleTimer: undefined };
    this.connections.set(connection.id, served);
    connection.onStructuredFrame((frame) => this.receive(served, protocolFrame(frame)));
    connection.onDrain(() => this.updateMute(served));
    connection.onClose(() => {
      if (served.idleTimer !== undefined) this.options.idle?.clock.clearTimeout(served.idleTimer);
      this.connections.delete(connection.id);
      this.options.onConnectionClosed?.(connection.id);
    });
    if (this.options.idle !== undefined) this.armIdleTimer(served, this.options.idle.connectionsMaxIdleMs);
  }

  private receive(served: ServedConnection, frame: Uint8Array | FrameValue): void {
    const { connection } = served;
    served.lastActiveMs = this.nowMs();
    const refusal = this.controlPlaneRefusal(connection, frame);
    if (refusal !== undefined) {
      this.send(served, refusal);
      return;
    }
    const decoded = decodeRequestFrame(frame, { maxFrameBytes: this.options.maxRequestBytes });
    if (!decoded.ok) {
      this.options.logger.warn({ connection: connection.remoteAddress, errorName: decoded.error.name }, decoded.error.message);
      this.send(served, this.errorFrame(decoded.apiKey, decoded.apiVersion, decoded.correlationId, decoded.error));
      return;
    }
    const { request } = decoded;
    if (served.outstanding.has(request.correlationId)) {
      const error = wireError('INVALID_REQUEST', `correlation id ${request.correlationId} is already in use on this connection`);
      this.send(served, this.errorFrame(apis[request.api].key, request.version, request.correlationId, error));
      return;
    }
    served.outstanding.add(request.correlationId);
    this.updateMute(served);
    const ref: RequestRef = {
      connectionId: connection.id,
      correlationId: request.correlationId,
      api: request.api,
      version: request.version,
      remoteAddress: connection.remoteAddress,
      principal: connection.principal,
    };
    try {
      this.options.onRequest({ ...request, ref } as InboundRequest);
    } catch (error) {
      // A handler that throws is a bug; the client still gets an answer instead of waiting for its timeout.
      this.options.logger.error({ err: error, api: request.api }, 'request handler failed');
      this.respondError(ref, wireError('UNKNOWN_SERVER_ERROR', `the broker failed to handle ${request.api}`));
    }
  }

  /**
   * A control-plane request from a connection that is not a cluster member gets CLUSTER_AUTHORIZATION_FAILED
   * from the header alone: its body is never decoded, and the answer says nothing about the node's state.
   */
  private controlPlaneRefusal(connection: Connection, frame: Uint8Array | FrameValue): TransportFrame | undefined {
    if (connection.principal === 'cluster') return undefined;
    const header = readFrameHeader(frame);
    const api = header === undefined ? undefined : apiNameForKey(header.apiKey);
    if (header === undefined || api === undefined || !requiresClusterAction(api)) return undefined;
    this.options.logger.warn({ connection: connection.remoteAddress, api }, 'refused a control-plane request from a client connection');
    const error = wireError('CLUSTER_AUTHORIZATION_FAILED', `${api} is a control-plane request: only brokers and controllers that present the cluster secret may send it`);
    return this.errorFrame(header.apiKey, header.apiVersion, header.correlationId, error);
  }

  /** Every frame sent here was just built for this answer, and nothing writes to it again. */
  private send(served: ServedConnection, frame: TransportFrame): void {
    served.lastActiveMs = this.nowMs();
    served.connection.send(frame, 'handedOver');
    this.updateMute(served);
  }

  /**
   * Reading stops while the connection has `queued.max.requests` requests outstanding or more than
   * `queued.max.response.bytes` of answers not yet written (a client that does not read its answers), and
   * resumes when both are below again: so a connection holds at most that many bytes plus the one answer
   * that crossed the bound, as Kafka's muted channel holds one. A closed connection is never muted, so
   * its close (queued behind its unread frames) reaches the server.
   */
  private updateMute(served: ServedConnection): void {
    const { connection } = served;
    const mute =
      connection.isOpen &&
      (
        served.outstanding.size >= this.options.maxQueuedRequestsPerConnection ||
        connection.bufferedAmount > (this.options.maxQueuedResponseBytesPerConnection ?? Number.POSITIVE_INFINITY));
    if (mute === served.muted) return;
    served.muted = mute;
    if (mute) connection.pause();
    else connection.resume();
  }

  /** Only idle closing reads the time; without it there is no clock. */
  private nowMs(): number {
    return this.options.idle?.clock.now() ?? 0;
  }

  private release(ref: RequestRef): ServedConnection | undefined {
    const served = this.connections.get(ref.connectionId);
    if (served === undefined || !served.outstanding.delete(ref.correlationId)) return undefined;
    return served.connection.isOpen ? served : undefined;
  }

  /**
   * Kafka's `connections.max.idle.ms`: a connection with no request nor answer for that long, and no
   * request outstanding, is closed, so idle connections cannot hold the listener's slots forever. One timer per
   * connection, re-armed for the time left when it fires, so a busy connection costs no timer work per request.
   */
  private armIdleTimer(served: ServedConnection, delayMs: number): void {
    const idle = this.options.idle;
    if (idle === undefined) return;
    served.idleTimer = idle.clock.setTimeout(() => {
      served.idleTimer = undefined;
      const { connection } = served;
      if (!connection.isOpen) return;
      const idleMs = idle.clock.now() - served.lastActiveMs;
      const limitMs = idle.connectionsMaxIdleMs;
      if (served.outstanding.size > 0) {
        this.armIdleTimer(served, limitMs);
      } else if (idleMs >= limitMs) {
        this.options.logger.debug({ connection: connection.remoteAddress, idleMs }, 'closing an idle connection');
        connection.close(CloseCode.NORMAL, `idle for ${idleMs} ms (connections.max.idle.ms is ${limitMs})`);
        this.updateMute(served);
      } else {
        this.armIdleTimer(served, limitMs - idleMs);
      }
    }, delayMs);
  }
}
