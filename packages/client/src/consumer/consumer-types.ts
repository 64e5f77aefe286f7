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
