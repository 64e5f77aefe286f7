import {
  bootstrapServers,
  clientId,
  metadataMaxAgeMs,
  reconnectBackoffMaxMs,
  reconnectBackoffMs,
  requestTimeoutMs,
  retries,
  retryBackoffMaxMs,
  retryBackoffMs,
} from './client-common.js';
import { ConflictingConfigsError, InvalidConfigValueError } from './config-errors.js';
import { boolean, enumOf, int, long, mappedEnum, nullableString } from './define.js';
import { defineScope } from './scope.js';
import type { HostPort } from './types.js';
import { INT_MAX_VALUE } from './values.js';

/** A producer's settings (Kafka's `ProducerConfig`), typed, with Kafka 4.0's defaults. */
export interface ProducerConfig {
  /** bootstrap.servers: brokers to contact first. Required. */
  readonly bootstrapServers: readonly HostPort[];
  /** client.id: this client's name in broker logs. */
  readonly clientId: string;
  /** acks: -1 (`all`, the default), 0 or 1 replicas that must have the batch before success. */
  readonly acks: -1 | 0 | 1;
  /** linger.ms: how long a batch waits for more records before it is sent. */
  readonly lingerMs: number;
  /** batch.size: the target size of one partition's batch. */
  readonly batchSize: number;
  /** buffer.memory: bytes of unsent records the producer holds before send() blocks. */
  readonly bufferMemory: number;
  /** max.block.ms: how long send() may block waiting for buffer space or metadata. */
  readonly maxBlockMs: number;
  /** max.request.size: the largest produce request (and record) the producer sends. */
  readonly maxRequestSize: number;
  /** compression.type: the codec applied to batches. */
  readonly compressionType: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /** request.timeout.ms: time limit of one produce request. */
  readonly requestTimeoutMs: number;
  /** delivery.timeout.ms: time limit from send() to success or failure, retries included. */
  readonly deliveryTimeoutMs: number;
  /** retries: how many times a failed batch may be retried. */
  readonly retries: number;
  /** retry.backoff.ms: initial wait before a retry. */
  readonly retryBackoffMs: number;
  /** retry.backoff.max.ms: the longest wait before a retry. */
  readonly retryBackoffMaxMs: number;
  /** max.in.flight.requests.per.connection: unanswered produce requests per broker connection. */
  readonly maxInFlightRequestsPerConnection: number;
  /** metadata.max.age.ms: refresh metadata at least this often. */
  readonly metadataMaxAgeMs: number;
  /** partitioner.ignore.keys: spread keyed records like unkeyed ones instead of hashing the key. */
  readonly partitionerIgnoreKeys: boolean;
  /** reconnect.backoff.ms: initial wait before reconnecting to a broker. */
  readonly reconnectBackoffMs: number;
  /** reconnect.backoff.max.ms: the longest wait before reconnecting. */
  readonly reconnectBackoffMaxMs: number;
  /**
   * enable.idempotence: producer ids and sequence numbers, so that retries never write a batch twice. After
   * parsing it says what the producer does: false when it was left at its default and acks, retries or
   * max.in.flight.requests.per.connection rule it out.
   */
  readonly enableIdempotence: boolean;
  /** transactional.id: enables transactions (initTransactions(), beginTransaction(), ...); null for none. */
  readonly transactionalId: string | null;
  /** transaction.timeout.ms: how long the transaction coordinator lets a transaction stay open before it aborts it. */
  readonly transactionTimeoutMs: number;
}

/** Kafka's bound on unanswered requests an idempotent producer keeps ordered (the broker retains 5 batches per producer). */
export const MAX_IN_FLIGHT_REQUESTS_FOR_IDEMPOTENCE = 5;

export const producerConfig = defineScope<ProducerConfig>(
  'producer',
  {
    bootstrapServers,
    clientId,
    acks: mappedEnum({
      name: 'acks',
      doc: 'Acknowledgements required before a send succeeds: all (-1) waits for every in-sync replica, 1 for the leader only, 0 for none.',
      spellings: [['all', -1], ['-1', -1], ['0', 0], ['1', 1]],
      default: -1,
      note: 'The typed value is the number sent on the wire: `all` and `-1` both give -1.',
    }),
    lingerMs: long({
      name: 'linger.ms',
      doc: 'How long a partition\'s batch waits for more records before it is sent, trading latency for larger batches.',
      default: 5,
      min: 0,
      unit: 'ms',
      note: 'Kafka 4.0 default (KIP-1030); Kafka 3.x used 0.',
    }),
    batchSize: int({ name: 'batch.size', doc: 'The size a partition\'s batch may grow to before it is sent without waiting for linger.ms.', default: 16_384, min: 0, unit: 'bytes' }),
    bufferMemory: long({ name: 'buffer.memory', doc: 'Bytes of records waiting to be sent that the producer may hold; send() blocks beyond it.', default: 33_554_432, min: 0, unit: 'bytes' }),
    maxBlockMs: long({ name: 'max.block.ms', doc: 'How long send() may block for buffer space or topic metadata before it fails.', default: 60_000, min: 0, unit: 'ms' }),
    maxRequestSize: int({ name: 'max.request.size', doc: 'The largest produce request the producer builds, which also caps the size of one record.', default: 1_048_576, min: 0, unit: 'bytes' }),
    compressionType: enumOf({
      name: 'compression.type',
      doc: 'The codec applied to each batch before it is sent.',
      values: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
      default: 'none',
      notImplementedValues: ['zstd'],
      note: 'Kafka\'s codecs: gzip, snappy (xerial-framed, as Kafka\'s Java producer writes it) and lz4 (frame format). Brokers and consumers read all four, zstd included; writing zstd needs node:zlib\'s zstd (Node 22.15 and later).',
    }),
    requestTimeoutMs,
    deliveryTimeoutMs: int({
      name: 'delivery.timeout.ms',
      doc: 'The time from send() to the report of success or failure, waiting, sending and retries included.',
      default: 120_000,
      min: 0,
      unit: 'ms',
      note: 'Must be at least linger.ms + request.timeout.ms: rejected if set lower, raised to that sum if left at the default (as Kafka does).',
    }),
    retries,
    retryBackoffMs,
    retryBackoffMaxMs,
    maxInFlightRequestsPerConnection: int({
      name: 'max.in.flight.requests.per.connection',
      doc: 'Produce requests sent to one broker and not yet answered; above 1, a retry can reorder batches without idempotence.',
      default: 5,
      min: 1,
      unit: 'requests',
    }),
    metadataMaxAgeMs,
    partitionerIgnoreKeys: boolean({
      name: 'partitioner.ignore.keys',
      doc: 'When true, keyed records are spread like unkeyed ones instead of going to the partition of the key\'s murmur2 hash.',
      default: false,
    }),
    reconnectBackoffMs,
    reconnectBackoffMaxMs,
    enableIdempotence: boolean({
      name: 'enable.idempotence',
      doc: 'Give the producer an id and number its batches so retries never write a batch twice (KIP-98).',
      default: true,
      note:
        'Needs acks=all, retries > 0 and max.in.flight.requests.per.connection <= 5: left at its default, it is turned off ' +
        'when one of those is set otherwise (as in Kafka 3.0+); set to true explicitly, the conflict is rejected.',
    }),
    transactionalId: nullableString({
      name: 'transactional.id',
      doc: 'An id that makes the producer transactional and lets a restarted producer fence its predecessor.',
      default: null,
      nonEmpty: true,
      note: 'Needs enable.idempotence (on by default). The transaction coordinator of the brokers arrives with the exactly-once issue.',
    }),
    transactionTimeoutMs: int({
      name: 'transaction.timeout.ms',
      doc: 'How long the transaction coordinator waits for a transaction to end before it aborts it; sent with InitProducerId.',
      default: 60_000,
      min: 0,
      unit: 'ms',
    }),
  },
  (config, explicit) => checkIdempotence(checkDeliveryTimeout(config, explicit), explicit),
);

/**
 * Kafka's `ProducerConfig.postProcessAndValidateIdempotenceConfigs`: idempotence needs every batch acknowledged
 * by all in-sync replicas, retries to resend a batch with its sequence, and at most 5 requests in flight (what the
 * leader retains per producer to recognise a retry). Left at its default it quietly gives way to a setting that
 * rules it out; set to true explicitly, the conflict is an error naming the setting to change.
 */
function checkIdempotence(config: ProducerConfig, explicit: ReadonlySet<string>): ProducerConfig {
  const checked = idempotenceAfterConflicts(config, explicit);
  // Kafka: a transactional producer is an idempotent one; transactional.id without idempotence is refused.
  if (checked.transactionalId !== null && !checked.enableIdempotence) {
    const why = explicit.has('enable.idempotence') ? 'enable.idempotence=false' : 'idempotence turned off by acks, retries or max.in.flight.requests.per.connection';
    throw new ConflictingConfigsError('transactional.id', 'producer', 'enable.idempotence', `transactional.id needs idempotence, but ${why}; leave enable.idempotence on (acks=all, retries > 0, at most 5 requests in flight)`);
  }
  return checked;
}

function idempotenceAfterConflicts(config: ProducerConfig, explicit: ReadonlySet<string>): ProducerConfig {
  if (!config.enableIdempotence) return config;
  const conflict =
    config.maxInFlightRequestsPerConnection > MAX_IN_FLIGHT_REQUESTS_FOR_IDEMPOTENCE
      ? { name: 'max.in.flight.requests.per.connection', needs: `at most ${MAX_IN_FLIGHT_REQUESTS_FOR_IDEMPOTENCE}`, value: String(config.maxInFlightRequestsPerConnection) }
      : config.retries === 0
        ? { name: 'retries', needs: 'above 0', value: '0' }
        : config.acks !== -1
          ? { name: 'acks', needs: 'all', value: String(config.acks) }
          : undefined;
  if (conflict === undefined) return config;
  if (!explicit.has('enable.idempotence')) return { ...config, enableIdempotence: false };
  throw new ConflictingConfigsError(
    conflict.name,
    'producer',
    'enable.idempotence',
    `${conflict.name}=${conflict.value} conflicts with enable.idempotence=true: the idempotent producer needs ${conflict.name} ${conflict.needs}; change ${conflict.name} or set enable.idempotence=false`,
  );
}

/**
 * Kafka's `KafkaProducer.configureDeliveryTimeout`: a delivery timeout below linger.ms +
 * request.timeout.ms could expire batches that never got a chance to be sent.
 */
function checkDeliveryTimeout(config: ProducerConfig, explicit: ReadonlySet<string>): ProducerConfig {
  const floorMs = Math.min(config.lingerMs + config.requestTimeoutMs, INT_MAX_VALUE);
  if (config.deliveryTimeoutMs >= floorMs) return config;
  if (explicit.has('delivery.timeout.ms')) {
    throw new InvalidConfigValueError(
      'delivery.timeout.ms',
      'producer',
      String(config.deliveryTimeoutMs),
      `>= linger.ms + request.timeout.ms (${floorMs})`,
      'below linger.ms + request.timeout.ms',
    );
  }
  return { ...config, deliveryTimeoutMs: floorMs };
}
