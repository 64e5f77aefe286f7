/**
 * Bounds on the shape of every request and response, checked when a frame is validated. They are far above
 * what a real client sends, and exist so that no frame can drive unbounded work. The byte size of a frame
 * is bounded separately by `socket.request.max.bytes` (see the config module).
 */
export const wireLimits = {
  /** Kafka strings have an int16 length. */
  maxStringChars: 32_767,
  /**
   * The most of a request's string that a node copies into a string it builds (a member id is
   * `client.id-uuid` or `group.instance.id-uuid`; an error message names a topic): 249, Kafka's longest topic
   * name and group.instance.id. A copy is cut there, so what the node builds always fits in a wire string
   * however long the request's strings are (see `echoed-text.ts`).
   */
  maxEchoedNameChars: 249,
  /** Topics named in one request (metadata, create, delete, produce, fetch). */
  maxTopicsPerRequest: 10_000,
  /** Partitions of one topic named in one request; also the largest partition count a topic may have. */
  maxPartitionsPerTopicInRequest: 100_000,
  /** Brokers in a cluster (metadata responses, replica lists). */
  maxBrokers: 10_000,
  /**
   * Listeners one node announces in a quorum request or answer (a leader's endpoints in BeginQuorumEpoch and
   * EndQuorumEpoch, a controller's listeners in DescribeQuorum): as many as a BrokerRegistration may carry.
   */
  maxEndpointsPerNode: 16,
  /** Config entries given when creating a topic. */
  maxConfigsPerTopic: 1_000,
  /** Members listed in one group request or response (group.max.size is bounded by it). */
  maxGroupMembers: 10_000,
  /** Groups named in one request (describe, delete, list). */
  maxGroupsPerRequest: 10_000,
  /**
   * Entries an answer that lists a node's own state may hold: the groups of a ListGroups answer, the topics of
   * a Metadata answer for every topic, of a DescribeLogDirs answer for every log. Clients create groups and
   * topics one request at a time, so these lists are not bounded by any request; Kafka's are int32-counted.
   * A million is past what a node's memory holds (each group and partition is an actor) and such an answer
   * still fits in a frame, so an answer the node builds always decodes.
   */
  maxListedEntries: 1_000_000,
  /**
   * Rebalance records a coordinator keeps per group (MAX_REBALANCE_RECORDS_PER_GROUP), and so the most a
   * DescribeRebalances answer carries: enough to see a churning group's recent history, small enough that
   * thousands of groups cost little memory.
   */
  maxRebalanceRecordsPerGroup: 100,
  /** Generations one rebalance record lists; a rebalance restarted more often is cut to its last ones. */
  maxRebalanceGenerationsPerRecord: 100,
  /**
   * Transactions one WriteTxnMarkers request carries markers for: a coordinator sends a leader the markers of the
   * transactions it is completing, one per producer, so as many as transactional ids one request may name.
   */
  maxTxnMarkersPerRequest: 10_000,
  /** Transactional ids one request names (DescribeTransactions), as many as groups (maxGroupsPerRequest). */
  maxTransactionalIdsPerRequest: 10_000,
  /** Entries of one filter of a listing request (ListTransactions' states and producer ids). */
  maxListFilters: 10_000,
  /**
   * Aborted transactions one Fetch answer lists for a partition (those that overlap the returned records): as many
   * as the partition's records, which a fetch bounds by its max bytes, could belong to; Kafka's list is int32-counted.
   */
  maxAbortedTransactionsPerPartition: 100_000,
} as const;
