/**
 * The server half of the RPC layer: accepts connections, validates every request frame once (the edge of
 * the node), hands valid requests to the node and sends back exactly one answer per request. Bad frames are
 * answered at once with Kafka's error code and name, and the connection keeps serving. Each connection may
 * have at most `queued.max.requests` requests outstanding; beyond that the server stops reading from it
 * (backpressure, like Kafka muting a channel) until answers go out.
 */
import type { ApiName, ResponseBody, WireError } from '@kactor/protocol';
import { apis, decodeRequestFrame, encodeErrorFrame, encodeResponseFrame, wireError } from '@kactor/protocol';
import type { Logger } from 'pino';
import type { Connection, Listener, Transport } from '../transport/transport.js';
import type { InboundRequest, RequestRef, Responder } from './rpc.js';

export interface RpcServerOptions {
  transport: Transport;
  logger: Logger;
  /** socket.request.max.bytes: larger requests get MESSAGE_TOO_LARGE. */
  maxRequestBytes: number;
  /** queued.max.requests, applied per connection. */
  maxQueuedRequestsPerConnection: number;
  onRequest(request: InboundRequest): void;
  onConnectionClosed?(connectionId: string): void;
}

export interface RpcListenOptions {
  host: string;
  port: number;
  secret?: string | undefined;
}

interface ServedConnection {
  connection: Connection;
  outstanding: Set<number>;
  paused: boolean;
}

/** Frames up to this multiple of socket.request.max.bytes are read and answered; larger ones close the connection. */
export const hardFrameLimitFactor = 2;

export class RpcServer implements Responder {
  private readonly connections = new Map<string, ServedConnection>();
  private listener: Listener | undefined;

  constructor(private readonly options: RpcServerOptions) {}

  get url(): string {
    if (this.listener === undefined) throw new Error('the RPC server is not listening');
    return this.listener.url;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async listen(options: RpcListenOptions): Promise<Listener> {
    this.listener = await this.options.transport.listen(
      { host: options.host, port: options.port, secret: options.secret, maxFrameBytesHard: this.options.maxRequestBytes * hardFrameLimitFactor },
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
    served.connection.send(encodeResponseFrame(ref.api, ref.version, ref.correlationId, body));
  }

  respondError(ref: RequestRef, error: WireError): void {
    const served = this.release(ref);
    if (served === undefined) return;
    served.connection.send(encodeErrorFrame(apis[ref.api].key, ref.version, ref.correlationId, error));
  }

  finish(ref: RequestRef): void {
    this.release(ref);
  }

  private accept(connection: Connection): void {
    const served: ServedConnection = { connection, outstanding: new Set(), paused: false };
    this.connections.set(connection.id, served);
    connection.onFrame((frame) => this.receive(served, frame));
    connection.onClose(() => {
      this.connections.delete(connection.id);
      this.options.onConnectionClosed?.(connection.id);
    });
  }

  private receive(served: ServedConnection, frame: Uint8Array): void {
    const { connection } = served;
    const decoded = decodeRequestFrame(frame, { maxFrameBytes: this.options.maxRequestBytes });
    if (!decoded.ok) {
      this.options.logger.warn({ connection: connection.remoteAddress, errorName: decoded.error.name }, decoded.error.message);
      connection.send(encodeErrorFrame(decoded.apiKey, decoded.apiVersion, decoded.correlationId, decoded.error));
      return;
    }
    const { request } = decoded;
    if (served.outstanding.has(request.correlationId)) {
      const error = wireError('INVALID_REQUEST', `correlation id ${request.correlationId} is already in use on this connection`);
      connection.send(encodeErrorFrame(apis[request.api].key, request.version, request.correlationId, error));
      return;
    }
    served.outstanding.add(request.correlationId);
    if (served.outstanding.size >= this.options.maxQueuedRequestsPerConnection && !served.paused) {
      served.paused = true;
      connection.pause();
    }
    const ref: RequestRef = {
      connectionId: connection.id,
      correlationId: request.correlationId,
      api: request.api,
      version: request.version,
      remoteAddress: connection.remoteAddress,
    };
    try {
      this.options.onRequest({ ...request, ref } as InboundRequest);
    } catch (error) {
      // A handler that throws is a bug; the client still gets an answer instead of waiting for its timeout.
      this.options.logger.error({ err: error, api: request.api }, 'request handler failed');
      this.respondError(ref, wireError('UNKNOWN_SERVER_ERROR', `the broker failed to handle ${request.api}`));
    }
  }

  private release(ref: RequestRef): ServedConnection | undefined {
    const served = this.connections.get(ref.connectionId);
    if (served === undefined || !served.outstanding.delete(ref.correlationId)) return undefined;
    if (served.paused && served.outstanding.size < this.options.maxQueuedRequestsPerConnection) {
      served.paused = false;
      served.connection.resume();
    }
    return served.connection.isOpen ? served : undefined;
  }
}
