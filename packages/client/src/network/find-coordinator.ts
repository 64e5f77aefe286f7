/**
 * FindCoordinator as one promise: which broker coordinates a group (or a transactional id, below). Any broker answers (the leader of the
 * group's `__consumer_offsets` partition, `abs(hash(group.id)) % offsets.topic.num.partitions`); until
 * that partition has a leader the answer is COORDINATOR_NOT_AVAILABLE, which is retriable. Callers retry
 * within their own deadline.
 */
import { coordinatorKeyTypes, KafkaProtocolError } from '@kactor/protocol';
import type { ClusterClient } from './cluster-client.js';

export interface GroupCoordinator {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  /** Where clients connect to it (`ws://127.0.0.1:9101`). */
  readonly url: string;
}

/** One lookup, sent to any broker; rejects with a KafkaProtocolError (retriable ones may be retried). */
export function findGroupCoordinator(cluster: ClusterClient, groupId: string, timeoutMs: number): Promise<GroupCoordinator> {
  return findCoordinator(cluster, 'group', groupId, `group ${groupId}`, timeoutMs);
}

/**
 * The transaction coordinator of a transactional id (FindCoordinator key type 1): the leader of its
 * `__transaction_state` partition, `abs(hash(transactional.id)) % transaction.state.log.num.partitions`.
 */
export function findTransactionCoordinator(cluster: ClusterClient, transactionalId: string, timeoutMs: number): Promise<GroupCoordinator> {
  return findCoordinator(cluster, 'transaction', transactionalId, `transactional id ${transactionalId}`, timeoutMs);
}

async function findCoordinator(cluster: ClusterClient, keyType: keyof typeof coordinatorKeyTypes, key: string, what: string, timeoutMs: number): Promise<GroupCoordinator> {
  const response = await cluster.request(cluster.anyBrokerUrl(), 'findCoordinator', { key, keyType: coordinatorKeyTypes[keyType] }, { timeoutMs });
  if (response.errorCode !== 0) {
    throw KafkaProtocolError.from(response.errorCode, `finding the coordinator of ${what} failed${response.errorMessage === null ? '' : `: ${response.errorMessage}`}`);
  }
  return { nodeId: response.nodeId, host: response.host, port: response.port, url: response.url };
}
