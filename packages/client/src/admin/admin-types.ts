/**
 * What the admin client takes and returns. Calls about several topics answer one result per topic, in
 * the order asked, each with `error: KafkaProtocolError | null` (Kafka's per-topic futures, as values):
 * a topic that already exists does not hide the others that were created. `requireSuccess(results)`
 * throws the first error, like Java's `all().get()`.
 */
import type { KafkaProtocolError } from '@kactor/protocol';

export interface NewTopic {
  readonly name: string;
  /** -1 (the default): the broker's num.partitions. */
  readonly numPartitions?: number;
  /** -1 (the default): the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  /** Topic configs by Kafka name (`retention.ms`, `cleanup.policy`, ...). */
  readonly configs?: Readonly<Record<string, string | null>>;
  /** Manual placement: partition number -> broker ids (first is the preferred leader). */
  readonly replicasAssignments?: Readonly<Record<number, readonly number[]>>;
}

export interface CreateTopicsOptions {
  /** Bound on the whole call, and the time the controller may take (default.api.timeout.ms). */
  readonly timeoutMs?: number;
  /** Check the request without creating anything. */
  readonly validateOnly?: boolean;
}

/** Options of calls that take only a time limit. */
export interface AdminCallOptions {
  /** Bound on the whole call, retries included (default.api.timeout.ms). */
  readonly timeoutMs?: number;
}

export interface CreatePartitionsOptions extends AdminCallOptions {
  readonly validateOnly?: boolean;
}

export interface TopicResult {
  readonly name: string;
  /** null when the topic's part of the call succeeded. */
  readonly error: KafkaProtocolError | null;
}

export interface CreateTopicResult extends TopicResult {
  readonly topicId: string | null;
  /** -1 when the broker did not say (an error). */
  readonly numPartitions: number;
  readonly replicationFactor: number;
}

export interface DeleteTopicResult extends TopicResult {
  readonly topicId: string | null;
}

/** Kafka's ElectionType: the preferred replica, or (for a leaderless partition) an unclean choice outside the ISR. */
export type ElectionType = 'preferred' | 'unclean';

/** One partition's answer to electLeaders: null, or ELECTION_NOT_NEEDED, UNKNOWN_TOPIC_OR_PARTITION, ... */
export interface ElectLeadersResult {
  readonly topic: string;
  readonly partition: number;
  readonly error: KafkaProtocolError | null;
}

export interface NewPartitions {
  readonly name: string;
  /** The new total partition count (Kafka never decreases it). */
  readonly count: number;
  /** Manual placement of each new partition: broker ids, first the preferred leader. */
  readonly assignments?: ReadonlyArray<readonly number[]>;
}

export type CreatePartitionsResult = TopicResult;

export interface ListTopicsOptions extends AdminCallOptions {
  /** Include internal topics (`__consumer_offsets`). Default false, as Kafka. */
  readonly listInternal?: boolean;
}

export interface TopicListing {
  readonly name: string;
  readonly topicId: string | null;
  readonly isInternal: boolean;
}

export interface PartitionDescription {
  readonly partition: number;
  /** -1 when the partition has no leader. */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
  /** From the leader's log (DescribeLogDirs); -1 when the leader is unknown, offline or did not answer. */
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
}

export interface TopicDescription extends TopicResult {
  /** null when the topic is unknown (see `error`). */
  readonly topicId: string | null;
  readonly isInternal: boolean;
  /** Ascending by partition; empty when `error` is set. */
  readonly partitions: readonly PartitionDescription[];
}

export interface BrokerDescription {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly rack: string | null;
}

export interface ClusterDescription {
  readonly clusterId: string | null;
  /** -1 when no controller is known. */
  readonly controllerId: number;
  /** Ascending by node id. */
  readonly brokers: readonly BrokerDescription[];
}

/** Where a config's value comes from (Kafka's `ConfigEntry.ConfigSource`, the two kactor reports). */
export type ConfigSource = 'TOPIC_CONFIG' | 'DEFAULT_CONFIG';

export interface ConfigEntry {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSource;
  /** True unless the topic overrides it (source TOPIC_CONFIG). */
  readonly isDefault: boolean;
}

/** A topic's configs (Kafka's `Admin.describeConfigs` for a TOPIC resource). */
export interface TopicConfigDescription extends TopicResult {
  /** Every topic setting with its effective value; empty when `error` is set. */
  readonly entries: readonly ConfigEntry[];
}
