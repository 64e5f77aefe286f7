/**
 * A broker's Kafka listener (issue 16): accepts Kafka clients' TCP connections and serves them through the
 * broker's request router, one `KafkaConnection` each. It is the `Responder` for its connections: the
 * router answers by reference with kactor's bodies, and the connection that holds the request translates
 * the answer into the Kafka response of the request's API and version.
 */
import type { ResponseBody, WireError } from '@kactor/protocol';
import type { ApiName } from '@kactor/protocol';
import { listenTcp, type ByteStreamConnection, type ByteStreamListener, type InboundRequest, type Logger, type RequestRef, type Responder } from '@kactor/runtime';
import type { AdapterContext, KafkaEndpoint } from './apis/adapter.js';
import { advertisedApiVersions } from './apis/api-versions.js';
import { kafkaApiAdapters, type KafkaApiAdapters } from './apis/index.js';
import { KafkaConnection, type KafkaAnswer } from './kafka-connection.js';

/** Every Kafka connection id starts with this, so that the responder router can tell them from kactor's own. */
export const KAFKA_CONNECTION_ID_PREFIX = 'kafka-';

export function isKafkaConnectionId(connectionId: string): boolean {
  return connectionId.startsWith(KAFKA_CONNECTION_ID_PREFIX);
}

export interface KafkaListenerOptions {
  brokerId: number;
  logger: Logger;
  /** socket.request.max.bytes */
  maxRequestBytes: number;
  /** queued.max.requests, per connection */
  maxQueuedRequests: number;
  /** queued.max.response.bytes, per connection */
  maxQueuedResponseBytes: number;
  /** The APIs served (default: every adapter of this slice). */
  adapters?: KafkaApiAdapters | undefined;
  /**
   * Other brokers' Kafka listeners, for Metadata. This broker's own is the advertised endpoint given to
   * `listen` (or the bound one); brokers this returns nothing for are left out of Metadata answers.
   */
  kafkaEndpointOf?: ((nodeId: number) => KafkaEndpoint | undefined) | undefined;
  onRequest(request: InboundRequest): void;
  onConnectionClosed?(connectionId: string): void;
}

export interface KafkaListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where clients are told to connect (`advertised.listeners`); default: the bound host and port. */
  advertised?: KafkaEndpoint | undefined;
  /** max.connections */
  maxConnections?: number | undefined;
  /** max.connections.per.ip */
  maxConnectionsPerIp?: number | undefined;
}

export class KafkaListener implements Responder {
  private readonly connections = new Map<string, KafkaConnection>();
  private readonly adapters: KafkaApiAdapters;
  private readonly context: AdapterContext;
  private listener: ByteStreamListener | undefined;
  private advertised: KafkaEndpoint | undefined;

  constructor(private readonly options: KafkaListenerOptions) {
    this.adapters = options.adapters ?? kafkaApiAdapters();
    this.context = {
      kafkaEndpointOf: (nodeId) => (nodeId === options.brokerId ? this.advertised : options.kafkaEndpointOf?.(nodeId)),
    };
  }

  /** This broker's advertised Kafka endpoint, once listening. */
  get endpoint(): KafkaEndpoint | undefined {
    return this.advertised;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async listen(options: KafkaListenOptions): Promise<KafkaEndpoint> {
    const listener = await listenTcp(options, (stream) => this.accept(stream));
    this.listener = listener;
    // Advertised port 0 (advertised.listeners derived from a listener on port 0) stands for the bound port.
    const advertised = options.advertised ?? { host: options.host, port: 0 };
    this.advertised = { host: advertised.host, port: advertised.port === 0 ? listener.port : advertised.port };
    return { host: options.host, port: listener.port };
  }

  /** Serves one byte stream (a TCP connection, or an in-memory end in tests); `advertised` stands in for `listen`'s. */
  accept(stream: ByteStreamConnection, advertised?: KafkaEndpoint): KafkaConnection {
    if (advertised !== undefined) this.advertised = advertised;
    const connectionId = `${KAFKA_CONNECTION_ID_PREFIX}${stream.id}`;
    const connection = new KafkaConnection({
      connectionId,
      stream,
      logger: this.options.logger,
      maxRequestBytes: this.options.maxRequestBytes,
      maxQueuedRequests: this.options.maxQueuedRequests,
      maxQueuedResponseBytes: this.options.maxQueuedResponseBytes,
      adapters: this.adapters,
      apiVersions: advertisedApiVersions(this.adapters.values()),
      context: this.context,
      onRequest: (request) => this.options.onRequest(request),
      onClosed: (id) => {
        this.connections.delete(id);
        this.options.onConnectionClosed?.(id);
      },
    });
    this.connections.set(connectionId, connection);
    return connection;
  }

  async close(): Promise<void> {
    await this.listener?.close();
    this.listener = undefined;
  }

  respond<A extends ApiName>(ref: RequestRef & { readonly api: A }, body: ResponseBody<A>): void {
    this.answer(ref, { kind: 'body', body });
  }

  respondError(ref: RequestRef, error: WireError): void {
    this.answer(ref, { kind: 'error', error });
  }

  finish(ref: RequestRef): void {
    this.answer(ref, { kind: 'none' });
  }

  private answer(ref: RequestRef, answer: KafkaAnswer): void {
    this.connections.get(ref.connectionId)?.answer(ref, answer);
  }
}
