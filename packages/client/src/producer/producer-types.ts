/** What the application gives the producer and gets back. */

/** Key or value bytes; a string is sent as its UTF-8 encoding, null as Kafka's null. */
export type RecordBytes = Uint8Array | string | null;

export interface ProducerRecordHeader {
  readonly key: string;
  readonly value: RecordBytes;
}

/** A list of headers (Kafka allows one key several times), or an object for the common case. */
export type ProducerRecordHeaders = readonly ProducerRecordHeader[] | Readonly<Record<string, RecordBytes>>;

export interface ProducerRecord {
  readonly topic: string;
  readonly key?: RecordBytes;
  readonly value: RecordBytes;
  readonly headers?: ProducerRecordHeaders;
  /** Send to this partition instead of letting the partitioner choose. */
  readonly partition?: number;
  /** CreateTime in ms since the epoch; default: the producer's clock. */
  readonly timestamp?: number;
}

/** Where a record landed (Kafka's `RecordMetadata`). */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** -1 with acks=0: the broker does not say. */
  readonly offset: number;
  /** The record's CreateTime, or the broker's LogAppendTime when the topic uses it. */
  readonly timestamp: number;
}
