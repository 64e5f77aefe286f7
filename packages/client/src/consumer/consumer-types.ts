/** What poll() returns (Kafka's `ConsumerRecord`). */
import type { TimestampType } from '@kactor/protocol';

export interface ConsumerRecordHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

export interface ConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly timestampType: TimestampType;
  /**
   * A view into the fetched bytes (no copy): it keeps the response's buffer alive while referenced, so
   * copy it (`Uint8Array.prototype.slice`) to keep it long after processing.
   */
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly ConsumerRecordHeader[];
  /** The leader epoch the batch was written in (KIP-320), or -1. */
  readonly leaderEpoch: number;
}

/**
 * A consumer's group membership as a transactional producer needs it (Kafka's `ConsumerGroupMetadata`, KIP-447):
 * `producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata())` sends it with the offsets, so the group
 * coordinator refuses the commit of a consumer fenced out of its generation (a zombie after a rebalance).
 */
export interface ConsumerGroupMetadata {
  readonly groupId: string;
  /** The generation the member is in, or -1 outside one. */
  readonly generationId: number;
  /** The member id the coordinator gave, or '' before the first join. */
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}
