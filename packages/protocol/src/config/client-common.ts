import { hostPortList, int, long, required, string } from './define.js';
import { INT_MAX_VALUE } from './values.js';

/**
 * Settings every client (producer, consumer, admin) shares, with the defaults of Kafka's
 * `CommonClientConfigs` and the client `*Config` classes (they agree on these).
 */

export const bootstrapServers = hostPortList({
  name: 'bootstrap.servers',
  doc: 'Brokers to contact first; the client learns the rest of the cluster from their metadata.',
  default: required,
  minItems: 1,
  note: 'Kafka defaults to an empty list and fails when the client starts; kactor asks for it up front. kactor connects to each over WebSocket.',
});

export const clientId = string({
  name: 'client.id',
  doc: 'A name for this client, sent with every request so brokers can tell clients apart in logs.',
  default: '',
});

export const requestTimeoutMs = int({
  name: 'request.timeout.ms',
  doc: 'How long to wait for the answer to one request before failing it (and retrying where allowed).',
  default: 30_000,
  min: 0,
  unit: 'ms',
});

export const defaultApiTimeoutMs = int({
  name: 'default.api.timeout.ms',
  doc: 'Time limit for a client API call that takes no timeout of its own.',
  default: 60_000,
  min: 0,
  unit: 'ms',
});

export const retryBackoffMs = long({
  name: 'retry.backoff.ms',
  doc: 'Initial wait before retrying a failed request; it grows exponentially up to retry.backoff.max.ms.',
  default: 100,
  min: 0,
  unit: 'ms',
});

export const retryBackoffMaxMs = long({
  name: 'retry.backoff.max.ms',
  doc: 'Upper bound of the exponential wait between retries.',
  default: 1_000,
  min: 0,
  unit: 'ms',
  note: 'Exponential retry backoff as in KIP-580.',
});

export const reconnectBackoffMs = long({
  name: 'reconnect.backoff.ms',
  doc: 'Initial wait before reconnecting to a broker after a connection fails.',
  default: 50,
  min: 0,
  unit: 'ms',
});

export const reconnectBackoffMaxMs = long({
  name: 'reconnect.backoff.max.ms',
  doc: 'Upper bound of the exponential wait between reconnection attempts to one broker.',
  default: 1_000,
  min: 0,
  unit: 'ms',
});

export const metadataMaxAgeMs = long({
  name: 'metadata.max.age.ms',
  doc: 'Refresh cluster metadata at least this often, even when no error asked for it.',
  default: 300_000,
  min: 0,
  unit: 'ms',
});

export const retries = int({
  name: 'retries',
  doc: 'How many times to retry a request that failed with a retriable error (the time limits usually end retrying first).',
  default: INT_MAX_VALUE,
  min: 0,
  max: INT_MAX_VALUE,
});
