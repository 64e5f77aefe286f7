import {
  bootstrapServers,
  clientId,
  defaultApiTimeoutMs,
  metadataMaxAgeMs,
  reconnectBackoffMaxMs,
  reconnectBackoffMs,
  requestTimeoutMs,
  retryBackoffMaxMs,
  retryBackoffMs,
} from './client-common.js';
import { ConflictingConfigsError, InvalidConfigValueError } from './config-errors.js';
import { boolean, enumOf, int, list, nullableString } from './define.js';
import { defineScope } from './scope.js';
import { ConfigValueProblem, type HostPort } from './types.js';

/** The assignors a consumer can name, by their protocol names. */
export type AssignorName = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';

/** A consumer's settings (Kafka's `ConsumerConfig`), typed, with Kafka 4.0's defaults. */
export interface ConsumerConfig {
  /** bootstrap.servers: brokers to contact first. Required. */
  readonly bootstrapServers: readonly HostPort[];
  /** client.id: this client's name in broker logs. */
  readonly clientId: string;
  /** fetch.min.bytes: data a fetch waits for before the broker answers. */
  readonly fetchMinBytes: number;
  /** fetch.max.bytes: the most data one fetch response carries. */
  readonly fetchMaxBytes: number;
  /** fetch.max.wait.ms: how long the broker holds a fetch waiting for fetch.min.bytes. */
  readonly fetchMaxWaitMs: number;
  /** max.partition.fetch.bytes: the most data per partition in one fetch response. */
  readonly maxPartitionFetchBytes: number;
  /** max.poll.records: the most records one poll() returns. */
  readonly maxPollRecords: number;
  /** auto.offset.reset: where to start when there is no valid position. */
  readonly autoOffsetReset: 'earliest' | 'latest' | 'none';
  /** isolation.level: whether fetches stop at the last stable offset. */
  readonly isolationLevel: 'read_uncommitted' | 'read_committed';
  /** request.timeout.ms: time limit of one request. */
  readonly requestTimeoutMs: number;
  /** default.api.timeout.ms: time limit of API calls that take no timeout. */
  readonly defaultApiTimeoutMs: number;
  /** metadata.max.age.ms: refresh metadata at least this often. */
  readonly metadataMaxAgeMs: number;
  /** retry.backoff.ms: initial wait before a retry. */
  readonly retryBackoffMs: number;
  /** retry.backoff.max.ms: the longest wait before a retry. */
  readonly retryBackoffMaxMs: number;
  /** reconnect.backoff.ms: initial wait before reconnecting to a broker. */
  readonly reconnectBackoffMs: number;
  /** reconnect.backoff.max.ms: the longest wait before reconnecting. */
  readonly reconnectBackoffMaxMs: number;
  /** check.crcs: verify the CRC-32C of every fetched batch. */
  readonly checkCrcs: boolean;
  /** allow.auto.create.topics: a subscribed topic that does not exist is created by a broker with auto.create.topics.enable. */
  readonly allowAutoCreateTopics: boolean;
  /** group.id: the consumer group; null for a consumer outside any group (manual assignment, no commits). */
  readonly groupId: string | null;
  /** group.instance.id: static membership id (KIP-345); null for a dynamic member. */
  readonly groupInstanceId: string | null;
  /** group.protocol: classic or consumer (KIP-848) group protocol. */
  readonly groupProtocol: 'classic' | 'consumer';
  /** group.remote.assignor: the server-side assignor a consumer group member asks for (KIP-848); null for the coordinator's default. */
  readonly groupRemoteAssignor: string | null;
  /** session.timeout.ms: how long the coordinator waits for a heartbeat. */
  readonly sessionTimeoutMs: number;
  /** heartbeat.interval.ms: how often to heartbeat to the coordinator. */
  readonly heartbeatIntervalMs: number;
  /** max.poll.interval.ms: the longest gap between poll() calls before leaving the group. */
  readonly maxPollIntervalMs: number;
  /** enable.auto.commit: commit positions during poll(), before a rebalance and on close (false without group.id). */
  readonly enableAutoCommit: boolean;
  /** auto.commit.interval.ms: how often auto-commit runs. */
  readonly autoCommitIntervalMs: number;
  /** partition.assignment.strategy: the assignors offered, by preference. */
  readonly partitionAssignmentStrategy: readonly AssignorName[];
}

// Kafka names assignors by class; kactor by protocol name. Both spellings are accepted.
const assignorsByName: Readonly<Record<string, AssignorName>> = {
  range: 'range',
  roundrobin: 'roundrobin',
  sticky: 'sticky',
  'cooperative-sticky': 'cooperative-sticky',
  RangeAssignor: 'range',
  RoundRobinAssignor: 'roundrobin',
  StickyAssignor: 'sticky',
  CooperativeStickyAssignor: 'cooperative-sticky',
};

function parseAssignor(raw: string): AssignorName {
  const simpleName = raw.startsWith('org.apache.kafka.clients.consumer.') ? raw.slice('org.apache.kafka.clients.consumer.'.length) : raw;
  const assignor = Object.hasOwn(assignorsByName, simpleName) ? assignorsByName[simpleName] : undefined;
  if (assignor === undefined) throw new ConfigValueProblem(`unknown assignor "${raw}"`);
  return assignor;
}

export const consumerConfig = defineScope<ConsumerConfig>(
  'consumer',
  {
    bootstrapServers,
    clientId,
    fetchMinBytes: int({ name: 'fetch.min.bytes', doc: 'Data a fetch asks the broker to gather before answering; 1 answers as soon as anything is there.', default: 1, min: 0, unit: 'bytes' }),
    fetchMaxBytes: int({
      name: 'fetch.max.bytes',
      doc: 'The most data one fetch response carries (a first batch larger than this still comes whole, so the consumer progresses).',
      default: 52_428_800,
      min: 0,
      unit: 'bytes',
    }),
    fetchMaxWaitMs: int({ name: 'fetch.max.wait.ms', doc: 'How long the broker may hold a fetch while waiting for fetch.min.bytes.', default: 500, min: 0, unit: 'ms' }),
    maxPartitionFetchBytes: int({ name: 'max.partition.fetch.bytes', doc: 'The most data per partition in one fetch response (with the same whole-first-batch rule).', default: 1_048_576, min: 0, unit: 'bytes' }),
    maxPollRecords: int({ name: 'max.poll.records', doc: 'The most records one poll() hands to the application.', default: 500, min: 1, unit: 'records' }),
    autoOffsetReset: enumOf({
      name: 'auto.offset.reset',
      doc: 'Where to start reading when there is no valid position: the earliest or latest offset, or fail (none).',
      values: ['earliest', 'latest', 'none'],
      default: 'latest',
    }),
    isolationLevel: enumOf({
      name: 'isolation.level',
      doc: 'read_committed stops fetches at the last stable offset and hides aborted transactions; read_uncommitted reads up to the high watermark.',
      values: ['read_uncommitted', 'read_committed'],
      default: 'read_uncommitted',
      note: 'Transaction markers are never handed out at either level. read_committed drops the records of aborted transactions with the aborted transactions each fetch answer lists (KIP-98), and hands out nothing at or past the last stable offset the broker reports.',
    }),
    requestTimeoutMs,
    defaultApiTimeoutMs,
    metadataMaxAgeMs,
    retryBackoffMs,
    retryBackoffMaxMs,
    reconnectBackoffMs,
    reconnectBackoffMaxMs,
    checkCrcs: boolean({ name: 'check.crcs', doc: 'Verify the CRC-32C of every fetched batch, catching corruption on disk or in transit.', default: true }),
    allowAutoCreateTopics: boolean({
      name: 'allow.auto.create.topics',
      doc: 'Let the consumer\'s metadata requests create a subscribed or assigned topic that does not exist, when the broker\'s auto.create.topics.enable is true too.',
      default: true,
    }),
    groupId: nullableString({ name: 'group.id', doc: 'The consumer group this consumer joins for assignment and committed offsets.', default: null }),
    groupInstanceId: nullableString({
      name: 'group.instance.id',
      doc: 'A stable member id for static membership: a restart within the session timeout keeps the assignment (KIP-345).',
      default: null,
      // Kafka's consumer refuses an id it could not use as a name (JoinGroupRequest.validateGroupInstanceId).
      legalName: true,
      note: 'A static member sends no LeaveGroup on close: it keeps its partitions until it is back or session.timeout.ms passes. A second member with the same id fences the first (FENCED_INSTANCE_ID).',
    }),
    groupProtocol: enumOf({
      name: 'group.protocol',
      doc: 'The group protocol: classic (join/sync) or consumer (KIP-848 heartbeats with server-side assignment).',
      values: ['classic', 'consumer'],
      default: 'classic',
      note: 'consumer: the coordinator assigns with group.remote.assignor (or its default); partition.assignment.strategy, session.timeout.ms and heartbeat.interval.ms do not apply (the coordinator\'s group.consumer.* settings do).',
    }),
    groupRemoteAssignor: nullableString({
      name: 'group.remote.assignor',
      doc: 'The server-side assignor to use with group.protocol=consumer (KIP-848): uniform or range; null lets the coordinator choose (the first of group.consumer.assignors).',
      default: null,
      note: 'A name the coordinator does not have is refused with UNSUPPORTED_ASSIGNOR. Ignored by the classic protocol.',
    }),
    sessionTimeoutMs: int({
      name: 'session.timeout.ms',
      doc: 'How long the coordinator waits without a heartbeat before it removes the member; also how long the member waits for a heartbeat answer before it looks the coordinator up again.',
      default: 45_000,
      unit: 'ms',
      note: 'The coordinator refuses values outside group.min.session.timeout.ms and group.max.session.timeout.ms (INVALID_SESSION_TIMEOUT).',
    }),
    heartbeatIntervalMs: int({ name: 'heartbeat.interval.ms', doc: 'How often the member heartbeats to the coordinator; must be below session.timeout.ms.', default: 3_000, unit: 'ms' }),
    maxPollIntervalMs: int({
      name: 'max.poll.interval.ms',
      doc: 'The longest gap between poll() calls before the member leaves the group; also sent as the rebalance timeout.',
      default: 300_000,
      min: 1,
      unit: 'ms',
      note: 'When poll() is not called in time the member sends LeaveGroup, its partitions are lost (onPartitionsLost) and it rejoins on its next poll().',
    }),
    enableAutoCommit: boolean({
      name: 'enable.auto.commit',
      doc: 'Commit the consumer\'s positions (the next offsets to read) every auto.commit.interval.ms during poll(), before a rebalance revokes partitions, and on close.',
      default: true,
      note: 'As in Kafka, a consumer without group.id has nothing to commit to: the default becomes false, and setting true is an error.',
    }),
    autoCommitIntervalMs: int({ name: 'auto.commit.interval.ms', doc: 'How often positions are committed when enable.auto.commit is on.', default: 5_000, min: 0, unit: 'ms' }),
    partitionAssignmentStrategy: list({
      name: 'partition.assignment.strategy',
      doc: 'The assignors this member supports, most preferred first; the group uses one every member supports.',
      default: ['range', 'cooperative-sticky'],
      item: 'assignor names (range, roundrobin, sticky, cooperative-sticky) or Kafka assignor class names',
      parseItem: parseAssignor,
      formatItem: (assignor) => assignor,
      minItems: 1,
      unique: true,
      note:
        "Kafka's default lists RangeAssignor and CooperativeStickyAssignor, so groups run eagerly with range until every member drops range: " +
        'a member rebalances cooperatively (KIP-429) only when every assignor it lists supports it (cooperative-sticky alone).',
    }),
  },
  checkGroupSettings,
);

/**
 * heartbeat.interval.ms at or above session.timeout.ms, said from the side of what the user set: a
 * session timeout lowered below the default heartbeat interval names the session timeout and says that
 * 3000 is the heartbeat's default, rather than blaming a value the user never gave.
 */
function heartbeatNotBelowSession(config: ConsumerConfig, explicit: ReadonlySet<string>): ConflictingConfigsError {
  const session = `session.timeout.ms ${config.sessionTimeoutMs}${explicit.has('session.timeout.ms') ? '' : ' (its default)'}`;
  const heartbeat = `heartbeat.interval.ms ${config.heartbeatIntervalMs}${explicit.has('heartbeat.interval.ms') ? '' : ' (its default)'}`;
  if (explicit.has('session.timeout.ms') && !explicit.has('heartbeat.interval.ms')) {
    return new ConflictingConfigsError('session.timeout.ms', 'consumer', 'heartbeat.interval.ms', `${session} must be greater than ${heartbeat}; lower heartbeat.interval.ms too`);
  }
  return new ConflictingConfigsError('heartbeat.interval.ms', 'consumer', 'session.timeout.ms', `${heartbeat} must be lower than ${session}`);
}

/** What Kafka's ConsumerConfig refuses when set explicitly with each group protocol (its *_PROTOCOL_UNSUPPORTED_CONFIGS). */
const unsupportedByProtocol = {
  // The coordinator assigns and keeps the timers under KIP-848.
  consumer: ['partition.assignment.strategy', 'session.timeout.ms', 'heartbeat.interval.ms'],
  // Only the consumer protocol has server-side assignors.
  classic: ['group.remote.assignor'],
} as const;

/** Kafka throws a ConfigException for a setting the chosen group protocol does not use, rather than ignore it silently. */
function checkProtocolSettings(config: ConsumerConfig, explicit: ReadonlySet<string>): void {
  const refused = unsupportedByProtocol[config.groupProtocol].find((name) => explicit.has(name));
  if (refused === undefined) return;
  const why = config.groupProtocol === 'consumer' ? 'the group coordinator assigns partitions and sets the session and heartbeat timers (KIP-848)' : 'only the consumer protocol has server-side assignors';
  throw new ConflictingConfigsError(refused, 'consumer', 'group.protocol', `${refused} cannot be set when group.protocol=${config.groupProtocol}: ${why}`);
}

/**
 * Kafka's checks when a consumer starts (`KafkaConsumer`, `Heartbeat`): without group.id there is no
 * group to commit to, so enable.auto.commit defaults to false and may not be set to true; and a
 * heartbeat interval at or above the session timeout could never keep the member alive.
 */
function checkGroupSettings(config: ConsumerConfig, explicit: ReadonlySet<string>): ConsumerConfig {
  checkProtocolSettings(config, explicit);
  if (config.groupId !== null) {
    // Under the consumer protocol the coordinator owns the session and heartbeat timers (KIP-848).
    if (config.groupProtocol === 'consumer') return config;
    if (config.heartbeatIntervalMs >= config.sessionTimeoutMs) throw heartbeatNotBelowSession(config, explicit);
    return config;
  }
  if (explicit.has('enable.auto.commit') && config.enableAutoCommit) {
    throw new InvalidConfigValueError('enable.auto.commit', 'consumer', 'true', 'false when group.id is not set', 'there is no group to commit to without group.id');
  }
  return config.enableAutoCommit ? { ...config, enableAutoCommit: false } : config;
}
