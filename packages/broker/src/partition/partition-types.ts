/**
 * The partition actor's input, context, events and emitted events, kept apart from the chart so that the chart
 * file reads as the design and the step modules (leader-steps.ts, follower-steps.ts) can share the types.
 */
import type { ErrorName } from '@kactor/protocol';
import type { Clock, Logger } from '@kactor/runtime';
import type { PartitionLog } from '@kactor/storage';
import type { ProducerState } from './producer-state.js';
import type { AlterPartitionAnswer, AlterPartitionRequest, EpochEndOffset, FollowerFetchRequest, LeaderReplicationState } from '../replication/index.js';

export interface PartitionLeadership {
  /** -1 when no replica can lead. */
  leader: number;
  leaderEpoch: number;
  /** Bumped by the controller on every change of the partition (leader or ISR); 0 when unknown. */
  partitionEpoch: number;
  replicas: number[];
  isr: number[];
}

export interface PartitionConfig {
  /** max.message.bytes: the largest record batch accepted. */
  maxMessageBytes: number;
  /** min.insync.replicas: acks=all writes need at least this many in-sync replicas. */
  minInsyncReplicas: number;
  /** replica.lag.time.max.ms: a follower not caught up for this long leaves the ISR. */
  replicaLagTimeMaxMs: number;
  /** producer.id.expiration.ms: a producer with no append for this long is forgotten (never one with an open transaction). */
  producerIdExpirationMs: number;
  /** producer.id.expiration.check.interval.ms: how often expired producers are looked for. */
  producerIdExpirationCheckIntervalMs: number;
  /** replica.high.watermark.checkpoint.interval.ms: how often the high watermark is written beside the log. */
  replicaHighWatermarkCheckpointIntervalMs: number;
}

export interface PartitionPorts {
  log: PartitionLog;
  clock: Clock;
  logger: Logger;
  /**
   * Whether a follower may be in the ISR (KIP-841, KIP-903): registered, unfenced, and `brokerEpoch` (the epoch it
   * fetched with; undefined when unknown) is its current registration. Read from the broker's metadata image.
   */
  isReplicaIsrEligible(brokerId: number, brokerEpoch: number | undefined): boolean;
  /** This broker's own registration epoch, sent with its ISR changes. */
  ownBrokerEpoch(): number;
}

export interface PartitionInput extends PartitionLeadership {
  brokerId: number;
  topic: string;
  partition: number;
  topicId: string;
  config: PartitionConfig;
  ports: PartitionPorts;
}

/** A produce waiting for the high watermark to pass its last offset (acks=all with followers; Kafka's DelayedProduce). */
export interface AwaitingReplication {
  produceId: string;
  baseOffset: number;
  /** Last offset of the batch + 1: the high watermark the write needs. */
  requiredOffset: number;
  deadlineMs: number;
  /** Set when a transaction marker waits (answered by `txn.markerWritten`, not `produce.completed`). */
  markerId?: string;
}

export interface PartitionContext extends PartitionInput {
  highWatermark: number;
  /** The leader's view of its followers and ISR; undefined unless this broker leads. */
  leaderState: LeaderReplicationState | undefined;
  awaitingReplication: AwaitingReplication[];
  /** Each producer's last batches and open transaction, and the aborted transactions (KIP-98). */
  producerState: ProducerState;
}

/** One partition of a follower's Fetch response, as the replica fetcher hands it over. */
export interface FollowerFetchResponse {
  /** The leader epoch this broker was following when it sent the request: an answer for another epoch is stale. */
  requestLeaderEpoch: number;
  /** The offset the request asked from: an answer for another position is stale. */
  fetchOffset: number;
  errorName: ErrorName;
  highWatermark: number;
  logStartOffset: number;
  divergingEpoch: EpochEndOffset | undefined;
  records: Uint8Array;
}

export type PartitionEvent =
  | ({ type: 'partition.leadershipChanged' } & PartitionLeadership)
  | { type: 'produce.append'; produceId: string; acks: -1 | 0 | 1; timeoutMs: number; records: Uint8Array; origin?: ProduceOrigin }
  | { type: 'timer.produceExpired'; produceId: string }
  | ({ type: 'replica.fetch'; fetchId: number } & FollowerFetchRequest)
  | { type: 'timer.isrExpiration' }
  | { type: 'isr.alterPartitionAnswered'; answer: AlterPartitionAnswer }
  | { type: 'timer.alterPartitionRetry' }
  | ({ type: 'follower.fetchResponse' } & FollowerFetchResponse)
  | { type: 'partition.stop'; deleteLog: boolean }
  | ({ type: 'txn.writeMarker' } & TxnMarkerRequest)
  | { type: 'timer.producerExpirationCheck' }
  | { type: 'timer.highWatermarkCheckpoint' };

/**
 * Who writes (Kafka's AppendOrigin): a client's Produce (the default), or a coordinator on its own partition (the group
 * coordinator's records and transaction markers), whose batches are checked as Kafka checks AppendOrigin.COORDINATOR.
 */
export type ProduceOrigin = 'client' | 'coordinator';

/** A transaction coordinator's marker for this partition (WriteTxnMarkers), appended as leader with acks=all. */
export interface TxnMarkerRequest {
  markerId: string;
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  result: 'COMMIT' | 'ABORT';
  /** How long the marker may wait for the in-sync replicas. */
  timeoutMs: number;
}

/** The answer to `txn.writeMarker`: NONE once the marker is committed (the high watermark passed it). */
export interface TxnMarkerWritten {
  type: 'txn.markerWritten';
  markerId: string;
  topic: string;
  partition: number;
  errorName: ErrorName;
  errorMessage: string | null;
}

export interface ProduceCompleted {
  type: 'produce.completed';
  produceId: string;
  topic: string;
  partition: number;
  errorName: ErrorName;
  errorMessage: string | null;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
}

/** The leader's verdict on a follower's fetch, emitted while handling `replica.fetch` (the same turn). */
export type FollowerFetchVerdict =
  | { kind: 'read' }
  | { kind: 'diverging'; divergingEpoch: EpochEndOffset }
  | { kind: 'error'; error: 'FENCED_LEADER_EPOCH' | 'UNKNOWN_LEADER_EPOCH' | 'NOT_LEADER_OR_FOLLOWER' | 'OFFSET_OUT_OF_RANGE' };

/** `Stopped`: the replica is gone from this broker (topic deleted, moved, or the broker is shutting down). */
export type PartitionRole = 'Leader' | 'Follower' | 'Offline' | 'Stopped';

export type PartitionEmitted =
  | ProduceCompleted
  | TxnMarkerWritten
  | { type: 'partition.highWatermarkAdvanced'; topic: string; partition: number; highWatermark: number }
  /** A leader appended and its high watermark did not move with it (when it did, `partition.highWatermarkAdvanced` says so alone). */
  | { type: 'partition.logEndOffsetAdvanced'; topic: string; partition: number; logEndOffset: number }
  | { type: 'replica.fetchChecked'; fetchId: number; verdict: FollowerFetchVerdict }
  | { type: 'isr.alterPartitionRequested'; topic: string; partition: number; topicId: string; request: AlterPartitionRequest }
  | { type: 'partition.roleChanged'; topic: string; partition: number; role: PartitionRole; leader: number; leaderEpoch: number }
  | { type: 'replica.truncated'; topic: string; partition: number; truncatedTo: number; reason: string }
  /** A follower could not use the leader's answer (corrupt batch, a gap, a full disk): its fetcher backs off for it. */
  | { type: 'replica.fetchFailed'; topic: string; partition: number; reason: string };
