/**
 * Errors that mean the client's view of the cluster is out of date: Kafka's `InvalidMetadataException`
 * family (NetworkException included), plus NOT_CONTROLLER for controller-bound admin calls. After one of
 * these the client refreshes its metadata before retrying, because the partition probably moved.
 */
import type { ErrorName } from '@kactor/protocol';
import { errorForCode } from '@kactor/protocol';

const staleMetadataErrors: ReadonlySet<ErrorName> = new Set<ErrorName>([
  'NOT_LEADER_OR_FOLLOWER',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'KAFKA_STORAGE_ERROR',
  'REPLICA_NOT_AVAILABLE',
  'UNKNOWN_TOPIC_ID',
  'INCONSISTENT_TOPIC_ID',
  'LISTENER_NOT_FOUND',
  'NOT_CONTROLLER',
]);

export function isStaleMetadataError(name: ErrorName): boolean {
  return staleMetadataErrors.has(name);
}

export function isStaleMetadataCode(code: number): boolean {
  return staleMetadataErrors.has(errorForCode(code).name);
}

/**
 * A whole request that failed without an answer (the connection dropped, or request.timeout.ms passed with the
 * broker silent) may mean the broker died or was cut off, and with it its leadership: Kafka's NetworkClient
 * refreshes metadata after such a disconnect (`DefaultMetadataUpdater.handleServerDisconnect`), so a retry finds
 * the leader elected instead rather than waiting for metadata.max.age.ms.
 */
export function isDisconnection(name: ErrorName): boolean {
  return name === 'NETWORK_EXCEPTION' || name === 'REQUEST_TIMED_OUT';
}
