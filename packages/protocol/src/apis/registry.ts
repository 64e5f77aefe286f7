/**
 * The closed, versioned union of every API a kactor node speaks. Each API keeps Kafka's api key where
 * Kafka has the API, and one request and one response schema per version. A frame is validated once, where
 * it enters a node, against the schema its header names; nothing else ever reaches an actor.
 */
import type { z } from 'zod';
import { alterPartitionRequestV0, alterPartitionResponseV0 } from './alter-partition.js';
import { apiVersionsRequestV0, apiVersionsResponseV0 } from './api-versions.js';
import { brokerHeartbeatRequestV0, brokerHeartbeatResponseV0 } from './broker-heartbeat.js';
import { brokerRegistrationRequestV0, brokerRegistrationResponseV0 } from './broker-registration.js';
import { createPartitionsRequestV0, createPartitionsResponseV0 } from './create-partitions.js';
import { createTopicsRequestV0, createTopicsResponseV0 } from './create-topics.js';
import { deleteGroupsRequestV0, deleteGroupsResponseV0 } from './delete-groups.js';
import { electLeadersRequestV0, electLeadersResponseV0 } from './elect-leaders.js';
import { describeConfigsRequestV0, describeConfigsResponseV0 } from './describe-configs.js';
import { describeGroupsRequestV0, describeGroupsResponseV0 } from './describe-groups.js';
import { findCoordinatorRequestV0, findCoordinatorResponseV0 } from './find-coordinator.js';
import { heartbeatRequestV0, heartbeatResponseV0 } from './heartbeat.js';
import { joinGroupRequestV0, joinGroupResponseV0 } from './join-group.js';
import { leaveGroupRequestV0, leaveGroupResponseV0 } from './leave-group.js';
import { listGroupsRequestV0, listGroupsResponseV0 } from './list-groups.js';
import { offsetCommitRequestV0, offsetCommitResponseV0 } from './offset-commit.js';
import { offsetDeleteRequestV0, offsetDeleteResponseV0 } from './offset-delete.js';
import { offsetFetchRequestV0, offsetFetchResponseV0 } from './offset-fetch.js';
import { offsetsForLeaderEpochRequestV0, offsetsForLeaderEpochResponseV0 } from './offsets-for-leader-epoch.js';
import { syncGroupRequestV0, syncGroupResponseV0 } from './sync-group.js';
import { deleteTopicsRequestV0, deleteTopicsResponseV0 } from './delete-topics.js';
import { describeLogDirsRequestV0, describeLogDirsResponseV0 } from './describe-log-dirs.js';
import { describeRebalancesRequestV0, describeRebalancesResponseV0 } from './describe-rebalances.js';
import { fetchRequestV0, fetchResponseV0 } from './fetch.js';
import { listOffsetsRequestV0, listOffsetsResponseV0 } from './list-offsets.js';
import { metadataRequestV0, metadataResponseV0 } from './metadata.js';
import { produceRequestV0, produceResponseV0 } from './produce.js';
import { updateMetadataRequestV0, updateMetadataResponseV0 } from './update-metadata.js';
import { beginQuorumEpochRequestV0, beginQuorumEpochResponseV0 } from './begin-quorum-epoch.js';
import { describeQuorumRequestV0, describeQuorumResponseV0 } from './describe-quorum.js';
import { endQuorumEpochRequestV0, endQuorumEpochResponseV0 } from './end-quorum-epoch.js';
import { fetchSnapshotRequestV0, fetchSnapshotResponseV0 } from './fetch-snapshot.js';
import { voteRequestV0, voteResponseV0 } from './vote.js';
import { initProducerIdRequestV0, initProducerIdResponseV0 } from './init-producer-id.js';
import { allocateProducerIdsRequestV0, allocateProducerIdsResponseV0 } from './allocate-producer-ids.js';
import { addPartitionsToTxnRequestV0, addPartitionsToTxnResponseV0 } from './add-partitions-to-txn.js';
import { addOffsetsToTxnRequestV0, addOffsetsToTxnResponseV0 } from './add-offsets-to-txn.js';
import { endTxnRequestV0, endTxnResponseV0 } from './end-txn.js';
import { writeTxnMarkersRequestV0, writeTxnMarkersResponseV0 } from './write-txn-markers.js';
import { txnOffsetCommitRequestV0, txnOffsetCommitResponseV0 } from './txn-offset-commit.js';
import { describeTransactionsRequestV0, describeTransactionsResponseV0 } from './describe-transactions.js';
import { listTransactionsRequestV0, listTransactionsResponseV0 } from './list-transactions.js';
import { consumerGroupHeartbeatRequestV0, consumerGroupHeartbeatResponseV0 } from './consumer-group-heartbeat.js';
import { consumerGroupDescribeRequestV0, consumerGroupDescribeResponseV0 } from './consumer-group-describe.js';

interface VersionSchemas {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
}

interface ApiDefinition {
  readonly key: number;
  /**
   * Who serves it: any broker, only the active controller (others answer NOT_CONTROLLER), the group's
   * coordinator (others answer NOT_COORDINATOR), the transactional id's transaction coordinator (the leader of
   * its `__transaction_state` partition; others answer NOT_COORDINATOR), or the metadata quorum's Raft replicas
   * (KRaft, issue 12).
   */
  readonly servedBy: 'broker' | 'controller' | 'coordinator' | 'transactionCoordinator' | 'quorum';
  readonly versions: Readonly<Record<number, VersionSchemas>>;
}

function defineApi<const D extends ApiDefinition>(definition: D): D {
  return definition;
}

export const apis = {
  produce: defineApi({ key: 0, servedBy: 'broker', versions: { 0: { request: produceRequestV0, response: produceResponseV0 } } }),
  fetch: defineApi({ key: 1, servedBy: 'broker', versions: { 0: { request: fetchRequestV0, response: fetchResponseV0 } } }),
  listOffsets: defineApi({
    key: 2,
    servedBy: 'broker',
    versions: { 0: { request: listOffsetsRequestV0, response: listOffsetsResponseV0 } },
  }),
  metadata: defineApi({ key: 3, servedBy: 'broker', versions: { 0: { request: metadataRequestV0, response: metadataResponseV0 } } }),
  offsetCommit: defineApi({
    key: 8,
    servedBy: 'coordinator',
    versions: { 0: { request: offsetCommitRequestV0, response: offsetCommitResponseV0 } },
  }),
  offsetFetch: defineApi({
    key: 9,
    servedBy: 'coordinator',
    versions: { 0: { request: offsetFetchRequestV0, response: offsetFetchResponseV0 } },
  }),
  findCoordinator: defineApi({
    key: 10,
    servedBy: 'broker',
    versions: { 0: { request: findCoordinatorRequestV0, response: findCoordinatorResponseV0 } },
  }),
  joinGroup: defineApi({ key: 11, servedBy: 'coordinator', versions: { 0: { request: joinGroupRequestV0, response: joinGroupResponseV0 } } }),
  heartbeat: defineApi({ key: 12, servedBy: 'coordinator', versions: { 0: { request: heartbeatRequestV0, response: heartbeatResponseV0 } } }),
  leaveGroup: defineApi({ key: 13, servedBy: 'coordinator', versions: { 0: { request: leaveGroupRequestV0, response: leaveGroupResponseV0 } } }),
  syncGroup: defineApi({ key: 14, servedBy: 'coordinator', versions: { 0: { request: syncGroupRequestV0, response: syncGroupResponseV0 } } }),
  describeGroups: defineApi({
    key: 15,
    servedBy: 'coordinator',
    versions: { 0: { request: describeGroupsRequestV0, response: describeGroupsResponseV0 } },
  }),
  listGroups: defineApi({ key: 16, servedBy: 'broker', versions: { 0: { request: listGroupsRequestV0, response: listGroupsResponseV0 } } }),
  updateMetadata: defineApi({
    key: 6,
    servedBy: 'broker',
    versions: { 0: { request: updateMetadataRequestV0, response: updateMetadataResponseV0 } },
  }),
  apiVersions: defineApi({
    key: 18,
    servedBy: 'broker',
    versions: { 0: { request: apiVersionsRequestV0, response: apiVersionsResponseV0 } },
  }),
  createTopics: defineApi({
    key: 19,
    servedBy: 'controller',
    versions: { 0: { request: createTopicsRequestV0, response: createTopicsResponseV0 } },
  }),
  deleteTopics: defineApi({
    key: 20,
    servedBy: 'controller',
    versions: { 0: { request: deleteTopicsRequestV0, response: deleteTopicsResponseV0 } },
  }),
  describeConfigs: defineApi({
    key: 32,
    servedBy: 'broker',
    versions: { 0: { request: describeConfigsRequestV0, response: describeConfigsResponseV0 } },
  }),
  describeLogDirs: defineApi({
    key: 35,
    servedBy: 'broker',
    versions: { 0: { request: describeLogDirsRequestV0, response: describeLogDirsResponseV0 } },
  }),
  offsetsForLeaderEpoch: defineApi({
    key: 23,
    servedBy: 'broker',
    versions: { 0: { request: offsetsForLeaderEpochRequestV0, response: offsetsForLeaderEpochResponseV0 } },
  }),
  deleteGroups: defineApi({
    key: 42,
    servedBy: 'coordinator',
    versions: { 0: { request: deleteGroupsRequestV0, response: deleteGroupsResponseV0 } },
  }),
  electLeaders: defineApi({
    key: 43,
    servedBy: 'controller',
    versions: { 0: { request: electLeadersRequestV0, response: electLeadersResponseV0 } },
  }),
  offsetDelete: defineApi({
    key: 47,
    servedBy: 'coordinator',
    versions: { 0: { request: offsetDeleteRequestV0, response: offsetDeleteResponseV0 } },
  }),
  createPartitions: defineApi({
    key: 37,
    servedBy: 'controller',
    versions: { 0: { request: createPartitionsRequestV0, response: createPartitionsResponseV0 } },
  }),
  /** The KRaft quorum's own APIs (KIP-595, KIP-630): sent between the replicas of `__cluster_metadata`. */
  vote: defineApi({ key: 52, servedBy: 'quorum', versions: { 0: { request: voteRequestV0, response: voteResponseV0 } } }),
  beginQuorumEpoch: defineApi({
    key: 53,
    servedBy: 'quorum',
    versions: { 0: { request: beginQuorumEpochRequestV0, response: beginQuorumEpochResponseV0 } },
  }),
  endQuorumEpoch: defineApi({
    key: 54,
    servedBy: 'quorum',
    versions: { 0: { request: endQuorumEpochRequestV0, response: endQuorumEpochResponseV0 } },
  }),
  describeQuorum: defineApi({
    key: 55,
    servedBy: 'quorum',
    versions: { 0: { request: describeQuorumRequestV0, response: describeQuorumResponseV0 } },
  }),
  fetchSnapshot: defineApi({
    key: 59,
    servedBy: 'quorum',
    versions: { 0: { request: fetchSnapshotRequestV0, response: fetchSnapshotResponseV0 } },
  }),
  alterPartition: defineApi({
    key: 56,
    servedBy: 'controller',
    versions: { 0: { request: alterPartitionRequestV0, response: alterPartitionResponseV0 } },
  }),
  brokerRegistration: defineApi({
    key: 62,
    servedBy: 'controller',
    versions: { 0: { request: brokerRegistrationRequestV0, response: brokerRegistrationResponseV0 } },
  }),
  brokerHeartbeat: defineApi({
    key: 63,
    servedBy: 'controller',
    versions: { 0: { request: brokerHeartbeatRequestV0, response: brokerHeartbeatResponseV0 } },
  }),
  /**
   * Served by any broker: without a transactional id the broker itself hands out a producer id; with one, it is
   * the transaction coordinator's (others answer NOT_COORDINATOR).
   */
  initProducerId: defineApi({
    key: 22,
    servedBy: 'broker',
    versions: { 0: { request: initProducerIdRequestV0, response: initProducerIdResponseV0 } },
  }),
  allocateProducerIds: defineApi({
    key: 67,
    servedBy: 'controller',
    versions: { 0: { request: allocateProducerIdsRequestV0, response: allocateProducerIdsResponseV0 } },
  }),
  /** Transactions (KIP-98): a transactional producer's requests to its transaction coordinator. */
  addPartitionsToTxn: defineApi({
    key: 24,
    servedBy: 'transactionCoordinator',
    versions: { 0: { request: addPartitionsToTxnRequestV0, response: addPartitionsToTxnResponseV0 } },
  }),
  addOffsetsToTxn: defineApi({
    key: 25,
    servedBy: 'transactionCoordinator',
    versions: { 0: { request: addOffsetsToTxnRequestV0, response: addOffsetsToTxnResponseV0 } },
  }),
  endTxn: defineApi({
    key: 26,
    servedBy: 'transactionCoordinator',
    versions: { 0: { request: endTxnRequestV0, response: endTxnResponseV0 } },
  }),
  /** Sent by a transaction coordinator to the leaders of a transaction's partitions; served by any broker that leads them. */
  writeTxnMarkers: defineApi({
    key: 27,
    servedBy: 'broker',
    versions: { 0: { request: writeTxnMarkersRequestV0, response: writeTxnMarkersResponseV0 } },
  }),
  /** Sent by a transactional producer to the group's coordinator (KIP-447). */
  txnOffsetCommit: defineApi({
    key: 28,
    servedBy: 'coordinator',
    versions: { 0: { request: txnOffsetCommitRequestV0, response: txnOffsetCommitResponseV0 } },
  }),
  /** KIP-664's admin reads: DescribeTransactions goes to each id's coordinator, ListTransactions to every broker. */
  describeTransactions: defineApi({
    key: 65,
    servedBy: 'transactionCoordinator',
    versions: { 0: { request: describeTransactionsRequestV0, response: describeTransactionsResponseV0 } },
  }),
  listTransactions: defineApi({
    key: 66,
    servedBy: 'broker',
    versions: { 0: { request: listTransactionsRequestV0, response: listTransactionsResponseV0 } },
  }),
  /** The consumer group protocol (KIP-848): a member's heartbeat and the group's description, served by its coordinator. */
  consumerGroupHeartbeat: defineApi({
    key: 68,
    servedBy: 'coordinator',
    versions: { 0: { request: consumerGroupHeartbeatRequestV0, response: consumerGroupHeartbeatResponseV0 } },
  }),
  consumerGroupDescribe: defineApi({
    key: 69,
    servedBy: 'coordinator',
    versions: { 0: { request: consumerGroupDescribeRequestV0, response: consumerGroupDescribeResponseV0 } },
  }),
  /** kactor's own APIs start at 10000, far above any Kafka api key (see describe-rebalances.ts). */
  describeRebalances: defineApi({
    key: 10_000,
    servedBy: 'coordinator',
    versions: { 0: { request: describeRebalancesRequestV0, response: describeRebalancesResponseV0 } },
  }),
} as const;

export type ApiName = keyof typeof apis;
type Apis = typeof apis;
type LatestVersion<A extends ApiName> = 0 extends keyof Apis[A]['versions'] ? Apis[A]['versions'][0] : never;

/** The request body of an API (its current version). */
export type RequestBody<A extends ApiName> = z.infer<LatestVersion<A>['request']>;
/** The response body of an API (its current version). */
export type ResponseBody<A extends ApiName> = z.infer<LatestVersion<A>['response']>;

/** A validated request, discriminated by `api`. */
export type ApiRequest = { [A in ApiName]: { api: A; version: number; correlationId: number; body: RequestBody<A> } }[ApiName];

const byKey = new Map<number, ApiName>(Object.entries(apis).map(([name, definition]) => [definition.key, name as ApiName]));

export function apiNameForKey(key: number): ApiName | undefined {
  return byKey.get(key);
}

/** Every request a client sends asks its API's latest version: worked out once, not per request. */
const latestVersions = new Map<ApiName, number>(
  (Object.keys(apis) as ApiName[]).map((name) => [name, Math.max(...Object.keys(apis[name].versions).map(Number))]),
);

export function latestVersion(api: ApiName): number {
  return latestVersions.get(api) as number;
}

export function schemasFor(api: ApiName, version: number): VersionSchemas | undefined {
  return (apis[api].versions as Readonly<Record<number, VersionSchemas>>)[version];
}

/** The ApiVersions answer of a node: every API with its supported version range. */
export function supportedApiVersions(): Array<{ apiKey: number; name: ApiName; minVersion: number; maxVersion: number }> {
  return (Object.keys(apis) as ApiName[]).map((name) => {
    const versions = Object.keys(apis[name].versions).map(Number);
    return { apiKey: apis[name].key, name, minVersion: Math.min(...versions), maxVersion: Math.max(...versions) };
  });
}
