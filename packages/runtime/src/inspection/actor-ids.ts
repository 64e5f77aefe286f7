/**
 * The ids kactor gives its actors: XState's `id` option, which the Stately Inspector lists as the actor's
 * name (its `sessionId`, `x:N`, comes from a process-global counter and says nothing). They read like the
 * cluster: who hosts the actor, what kind it is, and which one.
 */

export const actorIds = {
  controller: (brokerId: number) => `broker-${brokerId}/controller`,
  broker: (brokerId: number) => `broker-${brokerId}/broker`,
  /** The node's KRaft replica of the metadata log (issue 12): one per node, voter or observer. */
  raft: (brokerId: number) => `broker-${brokerId}/raft/__cluster_metadata-0`,
  partition: (brokerId: number, topic: string, partition: number) => `broker-${brokerId}/partition/${topic}-${partition}`,
  group: (brokerId: number, groupId: string) => `broker-${brokerId}/group/${groupId}`,
  /** One transactional id on its transaction coordinator (issue 13, KIP-98). */
  transaction: (brokerId: number, transactionalId: string) => `broker-${brokerId}/transaction/${transactionalId}`,
  /** The follower side of replication: one fetcher per leader broker this broker follows partitions of. */
  replicaFetcher: (brokerId: number, leaderId: number) => `broker-${brokerId}/replica-fetcher/${leaderId}`,
  /**
   * A consumer's group membership, named after its member id (`consumer/analytics/console-consumer-3f2a`),
   * which is unique in the group. The coordinator assigns that id after the actor exists and may assign a
   * new one (after UNKNOWN_MEMBER_ID), so until it has one the actor goes by its client id and is renamed
   * as the id changes (Inspection.rename).
   */
  consumer: (groupId: string, clientIdOrMemberId: string) => `consumer/${groupId}/${clientIdOrMemberId}`,
  /** A producer has no id from the cluster (until transactions give it a producer id): its client id names it. */
  producer: (clientId: string) => `producer/${clientId}`,
} as const;
