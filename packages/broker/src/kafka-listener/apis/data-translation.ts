/**
 * Translations the data adapters (Produce, Fetch, ListOffsets, InitProducerId) share: Kafka's int64 (a bigint)
 * as kactor's (a safe integer), and the error codes an older request version cannot carry.
 */
import { errorCodes } from '@kactor/protocol';

/**
 * Kafka's int64 as kactor's. Offsets, timestamps and producer ids that kactor hands out are all safe integers; a
 * value past 2^53 is none of them, so it becomes the nearest safe integer, which the broker answers as Kafka
 * answers the original (an offset out of range, no record at that timestamp, an unknown producer id).
 */
export function int64ToNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (value < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(value);
}

/**
 * KAFKA_STORAGE_ERROR (56) came with KIP-112 in Produce v4 and Fetch v6; a client of an older version is told
 * NOT_LEADER_OR_FOLLOWER (6) instead, as Kafka tells it, so that it refreshes its metadata and retries.
 */
export function storageErrorForVersion(errorCode: number, version: number, firstVersionWithStorageError: number): number {
  return errorCode === errorCodes.KAFKA_STORAGE_ERROR && version < firstVersionWithStorageError ? errorCodes.NOT_LEADER_OR_FOLLOWER : errorCode;
}

/** Where a topic's partition is kept in maps keyed by both. */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
