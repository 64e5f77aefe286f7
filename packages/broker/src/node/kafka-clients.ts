/**
 * The broker node's second edge (issue 16): Kafka's own clients on the PLAINTEXT listener, served by the same
 * request router as kactor's WebSocket clients. Requests from this edge come in as the `client` principal (a
 * Kafka connection presents no cluster credential), so control-plane APIs stay refused to it as to any client;
 * their answers go back through a `ResponderRouter`, which tells the two edges apart by connection id.
 */
import { checkRequestBody, wireError, type BrokerConfig } from '@kactor/protocol';
import { TransportError, type InboundRequest, type Logger, type Responder } from '@kactor/runtime';
import type { KafkaEndpoint } from '../kafka-listener/apis/adapter.js';
import { KafkaListener } from '../kafka-listener/kafka-listener.js';
import type { KafkaListenerEndpoints } from '../kafka-listener/listener-endpoints.js';
import { ResponderRouter } from '../kafka-listener/responder-router.js';
import { BrokerStartupError } from './node-cluster-id.js';

export interface KafkaClientsEdgeOptions {
  brokerId: number;
  endpoints: KafkaListenerEndpoints;
  config: Pick<BrokerConfig, 'socketRequestMaxBytes' | 'queuedMaxRequests' | 'queuedMaxResponseBytes' | 'maxConnections' | 'maxConnectionsPerIp'>;
  logger: Logger;
  /** Other brokers' advertised Kafka listeners, from the metadata image. */
  kafkaEndpointOf(nodeId: number): KafkaEndpoint | undefined;
  /** The node's request router; requests arrive only once it exists. */
  onRequest(request: InboundRequest): void;
  onConnectionClosed(connectionId: string): void;
}

export interface KafkaClientsEdge {
  readonly listener: KafkaListener;
  /** The advertised endpoint, with the bound port in place of an advertised 0. */
  readonly advertised: KafkaEndpoint;
  /** The node's responder: Kafka connections' answers to the listener, the others to `rpc`. */
  responderWith(rpc: Responder): Responder;
  close(): Promise<void>;
}

/** Binds the Kafka listener; a port already taken is a start-up error naming the listener. */
export async function startKafkaClientsEdge(options: KafkaClientsEdgeOptions): Promise<KafkaClientsEdge> {
  const { config, endpoints, logger } = options;
  const listener: KafkaListener = new KafkaListener({
    brokerId: options.brokerId,
    logger,
    maxRequestBytes: config.socketRequestMaxBytes,
    maxQueuedRequests: config.queuedMaxRequests,
    maxQueuedResponseBytes: config.queuedMaxResponseBytes,
    kafkaEndpointOf: options.kafkaEndpointOf,
    onRequest: (request) => deliverChecked(request, listener, logger, options.onRequest),
    onConnectionClosed: options.onConnectionClosed,
  });
  try {
    await listener.listen({
      host: endpoints.bind.host,
      port: endpoints.bind.port,
      advertised: endpoints.advertised,
      maxConnections: config.maxConnections,
      maxConnectionsPerIp: config.maxConnectionsPerIp,
    });
  } catch (error) {
    const where = `${endpoints.bind.host}:${endpoints.bind.port}`;
    if (error instanceof TransportError && error.code === 'ADDRESS_IN_USE') throw new BrokerStartupError(`port ${endpoints.bind.port} of the Kafka listener (listeners) on ${endpoints.bind.host} is already in use`);
    throw new BrokerStartupError(`cannot listen for Kafka clients on ${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const advertised = listener.endpoint as KafkaEndpoint;
  logger.info({ host: advertised.host, port: advertised.port }, 'serving Kafka clients');
  return {
    listener,
    advertised,
    responderWith: (rpc) => new ResponderRouter({ kafka: listener, rpc }),
    close: () => listener.close(),
  };
}

/**
 * Checks a translated body against kactor's schema before any handler sees it, as every WebSocket frame is
 * checked where it enters: a translation that produced a body the schema refuses (a Kafka value kactor bounds
 * tighter) gets Kafka's INVALID_REQUEST in the API's own error response instead of reaching the handlers.
 */
export function deliverChecked(request: InboundRequest, responder: Responder, logger: Logger, deliver: (request: InboundRequest) => void): void {
  const checked = checkRequestBody(request.api, request.version, request.body);
  if (!checked.ok) {
    logger.warn({ api: request.api, connection: request.ref.remoteAddress }, `refused a Kafka request: ${checked.error.message}`);
    responder.respondError(request.ref, wireError('INVALID_REQUEST', checked.error.message));
    return;
  }
  deliver(checked.body === request.body ? request : ({ ...request, body: checked.body } as InboundRequest));
}
