/**
 * Translations the data adapters (Produce, Fetch, ListOffsets, InitProducerId) share: the error codes an older
 * request version cannot carry, and a key for maps by topic and partition. (Kafka's int64 as kactor's is
 * `int64-to-number.ts`, shared with the transaction adapters.)
 */
import { errorCodes } from '@kactor/protocol';

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
