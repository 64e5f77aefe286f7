/**
 * The records of the controller's metadata log (`__cluster_metadata`), named after KRaft's
 * (`metadata/src/main/resources/common/metadata/*.json`). The controller changes its state only by
 * replaying these records, first when a command produces them and again when a restarted controller reads
 * its log back, so both paths give the same image.
 */
export type MetadataRecord =
  | RegisterBrokerRecord
  | FenceBrokerRecord
  | UnfenceBrokerRecord
  | BrokerRegistrationChangeRecord
  | TopicRecord
  | ConfigRecord
  | PartitionRecord
  | PartitionChangeRecord
  | RemoveTopicRecord
  | ProducerIdsRecord;

/** A broker (re)registered. Its broker epoch is the offset of this record. New registrations start fenced. */
export interface RegisterBrokerRecord {
  type: 'RegisterBroker';
  brokerId: number;
  incarnationId: string;
  host: string;
  port: number;
  url: string;
  rack: string | null;
  /** The broker's advertised Kafka listener (issue 16); absent when it serves no Kafka clients, and in records of earlier releases. */
  kafkaListener?: { host: string; port: number };
  /**
   * Only in snapshots (Kafka's RegisterBrokerRecord.BrokerEpoch, KIP-630): the broker epoch, which in the log is the
   * offset of this record but cannot be in a snapshot, whose records have their own offsets.
   */
  brokerEpoch?: number;
}

/** The broker's session expired, or it was replaced by a new incarnation. */
export interface FenceBrokerRecord {
  type: 'FenceBroker';
  brokerId: number;
  brokerEpoch: number;
}

/** The broker caught up with the metadata and may lead partitions. */
export interface UnfenceBrokerRecord {
  type: 'UnfenceBroker';
  brokerId: number;
  brokerEpoch: number;
}

/** The broker asked for a controlled shutdown. */
export interface BrokerRegistrationChangeRecord {
  type: 'BrokerRegistrationChange';
  brokerId: number;
  brokerEpoch: number;
  inControlledShutdown: boolean;
}

export interface TopicRecord {
  type: 'Topic';
  name: string;
  topicId: string;
}

/** One topic config entry; a null value removes it. */
export interface ConfigRecord {
  type: 'Config';
  resourceType: 'topic';
  resourceName: string;
  name: string;
  value: string | null;
}

export interface PartitionRecord {
  type: 'Partition';
  topicId: string;
  partitionId: number;
  replicas: number[];
  isr: number[];
  /** -1 when no replica can lead. */
  leader: number;
  leaderEpoch: number;
  partitionEpoch: number;
}

/**
 * A change to a partition: only the fields present change. Every change bumps the partition epoch; a change
 * of leader bumps the leader epoch (KRaft's PartitionChangeBuilder rules).
 */
export interface PartitionChangeRecord {
  type: 'PartitionChange';
  topicId: string;
  partitionId: number;
  leader?: number;
  isr?: number[];
  /**
   * Set by an unclean election (KIP-704): the new leader came from outside the ISR, so records acknowledged to
   * producers may be lost. Counting these records counts unclean elections.
   */
  leaderRecoveryState?: 'RECOVERING';
}

export interface RemoveTopicRecord {
  type: 'RemoveTopic';
  topicId: string;
}

/**
 * A block of producer ids was handed to a broker (KIP-730, Kafka's ProducerIdsRecord): the next block starts at
 * `nextProducerId`. Written before the block is answered, so a controller that replays the log (after a restart or a
 * failover) never hands out an id twice.
 */
export interface ProducerIdsRecord {
  type: 'ProducerIds';
  /** The broker the block went to. */
  brokerId: number;
  /** That broker's epoch when it asked. */
  brokerEpoch: number;
  /** The first id of the next block. */
  nextProducerId: number;
}
