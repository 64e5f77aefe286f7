import {
  bootstrapServers,
  clientId,
  defaultApiTimeoutMs,
  metadataMaxAgeMs,
  reconnectBackoffMaxMs,
  reconnectBackoffMs,
  requestTimeoutMs,
  retries,
  retryBackoffMaxMs,
  retryBackoffMs,
} from './client-common.js';
import { InvalidConfigValueError } from './config-errors.js';
import { defineScope } from './scope.js';
import type { HostPort } from './types.js';

/** An admin client's settings (Kafka's `AdminClientConfig`), typed, with Kafka 4.0's defaults. */
export interface AdminConfig {
  /** bootstrap.servers: brokers to contact first. Required. */
  readonly bootstrapServers: readonly HostPort[];
  /** client.id: this client's name in broker logs. */
  readonly clientId: string;
  /** request.timeout.ms: time limit of one request. */
  readonly requestTimeoutMs: number;
  /** default.api.timeout.ms: time limit of an admin call, retries included. */
  readonly defaultApiTimeoutMs: number;
  /** retries: how many times a failed request may be retried. */
  readonly retries: number;
  /** retry.backoff.ms: initial wait before a retry. */
  readonly retryBackoffMs: number;
  /** retry.backoff.max.ms: the longest wait before a retry. */
  readonly retryBackoffMaxMs: number;
  /** reconnect.backoff.ms: initial wait before reconnecting to a broker. */
  readonly reconnectBackoffMs: number;
  /** reconnect.backoff.max.ms: the longest wait before reconnecting. */
  readonly reconnectBackoffMaxMs: number;
  /** metadata.max.age.ms: refresh metadata at least this often. */
  readonly metadataMaxAgeMs: number;
}

export const adminConfig = defineScope<AdminConfig>(
  'admin',
  {
    bootstrapServers,
    clientId,
    requestTimeoutMs,
    defaultApiTimeoutMs,
    retries,
    retryBackoffMs,
    retryBackoffMaxMs,
    reconnectBackoffMs,
    reconnectBackoffMaxMs,
    metadataMaxAgeMs,
  },
  checkApiTimeout,
);

/**
 * Kafka's `KafkaAdminClient.configureDefaultApiTimeoutMs`: a call must be allowed at least one full
 * request. An explicit smaller default.api.timeout.ms is an error; the default is raised instead.
 */
function checkApiTimeout(config: AdminConfig, explicit: ReadonlySet<string>): AdminConfig {
  if (config.defaultApiTimeoutMs >= config.requestTimeoutMs) return config;
  if (explicit.has('default.api.timeout.ms')) {
    throw new InvalidConfigValueError(
      'default.api.timeout.ms',
      'admin',
      String(config.defaultApiTimeoutMs),
      `>= request.timeout.ms (${config.requestTimeoutMs})`,
      'below request.timeout.ms',
    );
  }
  return { ...config, defaultApiTimeoutMs: config.requestTimeoutMs };
}
