/**
 * Where the Kafka listener binds and what it advertises, from Kafka's `listeners` and
 * `advertised.listeners` (checked against each other when the config is parsed). Kafka's clients connect
 * to the PLAINTEXT listener; SASL listeners are a later part of issue 16.
 */
import type { BrokerConfig } from '@kactor/protocol';
import type { KafkaEndpoint } from './apis/adapter.js';

export const KAFKA_LISTENER_NAME = 'PLAINTEXT';

/** An empty host binds every interface; advertising it would tell clients nothing, so the loopback address is advertised, the local default. */
const ADVERTISED_HOST_FOR_EVERY_INTERFACE = '127.0.0.1';

export interface KafkaListenerEndpoints {
  /** Host to bind ('' or 0.0.0.0: every interface) and port (0: a free one). */
  readonly bind: KafkaEndpoint;
  /** What Metadata answers name; port 0 stands for the bound port. */
  readonly advertised: KafkaEndpoint;
}

/** The PLAINTEXT listener's endpoints, or undefined when `listeners` has none (the node then serves no Kafka clients). */
export function kafkaListenerEndpoints(config: Pick<BrokerConfig, 'listeners' | 'advertisedListeners'>): KafkaListenerEndpoints | undefined {
  const bound = config.listeners.find((listener) => listener.listenerName === KAFKA_LISTENER_NAME);
  if (bound === undefined) return undefined;
  const advertised = config.advertisedListeners.find((listener) => listener.listenerName === KAFKA_LISTENER_NAME) ?? bound;
  const everyInterface = advertised.host === '' || advertised.host === '0.0.0.0';
  return {
    bind: { host: bound.host === '' ? '0.0.0.0' : bound.host, port: bound.port },
    advertised: { host: everyInterface ? ADVERTISED_HOST_FOR_EVERY_INTERFACE : advertised.host, port: advertised.port },
  };
}
