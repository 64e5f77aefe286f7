/**
 * The admin client (Kafka's `Admin`): topics, cluster description and consumer groups.
 *
 * Topic changes go to the controller named in Metadata; a NOT_CONTROLLER answer (the controller moved)
 * refreshes metadata and retries the topics it concerned. Every call is bounded by its `timeoutMs`
 * (default.api.timeout.ms) and retries retriable failures with exponential backoff (KIP-580).
 *
 * How errors surface: calls about several topics resolve with one result per topic, each carrying
 * `error: KafkaProtocolError | null` with Kafka's code and name (TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
 * UNKNOWN_TOPIC_OR_PARTITION, REQUEST_TIMED_OUT when the call ran out of time before that topic got an
 * answer, ...); they never reject for a Kafka error. `requireSuccess(results)` throws the first one.
 * Calls about the cluster as a whole (listTopics, describeCluster) reject with the `KafkaProtocolError`.
 * Invalid arguments throw TypeError/RangeError; calls after close() reject with IllegalStateError.
 */
import type { AdminConfig, RequestBody, ResponseBody } from '@kactor/protocol';
import { electionTypes, errorCodes, KafkaProtocolError, transactionStates, wireLimits } from '@kactor/protocol';
import type { Logger } from '@kactor/runtime';
import { resolveClientConfig, type ClientConfigInput } from '../client-config.js';
import { systemClientRuntime, type ClientRuntime } from '../client-runtime.js';
import { IllegalStateError, kafkaError } from '../errors.js';
import { callWithRetries } from '../network/call-with-retries.js';
import { clusterClientFor, type ClusterClient } from '../network/cluster-client.js';
import type {
  AdminCallOptions,
  ClusterDescription,
  CreatePartitionsOptions,
  CreatePartitionsResult,
  CreateTopicResult,
  CreateTopicsOptions,
  DeleteTopicResult,
  ElectionType,
  ElectLeadersResult,
  ListTopicsOptions,
  NewPartitions,
  NewTopic,
  TopicConfigDescription,
  TopicDescription,
  TopicListing,
} from './admin-types.js';
import { describeTopicConfigs } from './topic-configs.js';
import type { CommittedOffset, TopicPartitionOffset } from '../consumer/group/group-offsets.js';
import { GroupAdmin } from './group-admin.js';
import type {
  DeleteGroupOffsetsResult,
  GroupDescription,
  GroupListing,
  GroupResult,
  MemberToRemove,
  PartitionResult,
  GroupRebalanceRecord,
  RemoveMembersResult,
} from './group-admin-types.js';
import { listOffsetsAtLeaders, type ListOffsetsResult, type OffsetSpec } from './offset-admin.js';
import { METADATA_PARTITION, METADATA_TOPIC, readQuorumAnswer, searchQuorumLeader, type QuorumAnswer, type QuorumInfo } from './metadata-quorum.js';
import type { TopicPartition } from '../topic-partition.js';
import { describeTopicsFrom, logDirRequestsByLeader } from './topic-descriptions.js';
import { TransactionAdmin } from './transaction-admin.js';
import type { ListTransactionsOptions, TransactionDescription, TransactionListing } from './transaction-admin-types.js';

const INT32_MAX = 0x7fff_ffff;

/** A per-topic answer: the result, or that the controller was not the controller (retry that topic). */
type TopicOutcome<R> = { kind: 'done'; result: R } | { kind: 'notController' };

export class Admin {
  private readonly cluster: ClusterClient;
  private readonly groups: GroupAdmin;
  private readonly transactions: TransactionAdmin;
  private closed = false;

  private constructor(
    readonly config: AdminConfig,
    private readonly runtime: ClientRuntime,
    bootstrapUrls: readonly string[],
    private readonly logger: Logger,
  ) {
    this.cluster = clusterClientFor(config, runtime, bootstrapUrls, logger);
    this.groups = new GroupAdmin({ cluster: this.cluster, runtime, config, logger, withRetries: (callName, deadlineMs, attempt) => this.withRetries(callName, deadlineMs, attempt) });
    this.transactions = new TransactionAdmin({ cluster: this.cluster, runtime, config, withRetries: (callName, deadlineMs, attempt) => this.withRetries(callName, deadlineMs, attempt) });
  }

  /** Settings by Kafka name (`{ 'bootstrap.servers': '127.0.0.1:9101' }`) or a parsed AdminConfig. */
  static create(config: ClientConfigInput<'admin'>, runtime: ClientRuntime = systemClientRuntime()): Admin {
    const resolved = resolveClientConfig('admin', config, runtime);
    const clientId = resolved.config.clientId || runtime.ids.next('adminclient');
    return new Admin(resolved.config, runtime, resolved.bootstrapUrls, runtime.logger.child({ client: clientId }));
  }

  async createTopics(topics: readonly NewTopic[], options: CreateTopicsOptions = {}): Promise<CreateTopicResult[]> {
    this.assertOpen();
    assertDistinctNames(topics.map((topic) => topic.name));
    const timeoutMs = this.callTimeoutMs(options.timeoutMs);
    const failed = (name: string, error: KafkaProtocolError): CreateTopicResult => ({ name, topicId: null, numPartitions: -1, replicationFactor: -1, error });
    return this.controllerCall('createTopics', topics, timeoutMs, failed, async (url, pending, requestTimeoutMs) => {
      const body: RequestBody<'createTopics'> = {
        topics: pending.map((topic) => ({
          name: topic.name,
          numPartitions: topic.numPartitions ?? -1,
          replicationFactor: topic.replicationFactor ?? -1,
          assignments: Object.entries(topic.replicasAssignments ?? {}).map(([partition, brokerIds]) => ({ partitionIndex: Number(partition), brokerIds: [...brokerIds] })),
          configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
        timeoutMs: Math.min(timeoutMs, INT32_MAX),
        validateOnly: options.validateOnly ?? false,
      };
      const response = await this.cluster.request(url, 'createTopics', body, { timeoutMs: requestTimeoutMs });
      return response.topics.map((topic) => [
        topic.name,
        outcome(topic.errorCode, () => ({
          name: topic.name,
          topicId: topic.topicId,
          numPartitions: topic.numPartitions,
          replicationFactor: topic.replicationFactor,
          error: topicError(topic.name, topic.errorCode, topic.errorMessage),
        })),
      ]);
    });
  }

  /**
   * Asks the controller to elect leaders now (Kafka's `Admin.electLeaders`): `preferred` moves leadership back
   * to the first assigned replica, `unclean` picks one outside the ISR for a leaderless partition. `partitions`
   * null means every partition of the cluster. One result per partition, each with its error
   * (ELECTION_NOT_NEEDED when the right leader already leads); a request-wide error rejects.
   */
  async electLeaders(electionType: ElectionType, partitions: readonly TopicPartition[] | null, options: AdminCallOptions = {}): Promise<ElectLeadersResult[]> {
    this.assertOpen();
    const timeoutMs = this.callTimeoutMs(options.timeoutMs);
    const deadlineMs = this.runtime.clock.now() + timeoutMs;
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions ?? []) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    const body: RequestBody<'electLeaders'> = {
      electionType: electionType === 'unclean' ? electionTypes.UNCLEAN : electionTypes.PREFERRED,
      topicPartitions: partitions === null ? null : [...byTopic].map(([topic, indexes]) => ({ topic, partitions: indexes })),
      timeoutMs: Math.min(timeoutMs, INT32_MAX),
    };
    const response = await this.withRetries('electLeaders', deadlineMs, async (refreshMetadata) => {
      if (refreshMetadata || this.cluster.controllerUrl() === undefined) await this.cluster.fetchMetadata([]);
      const url = this.cluster.controllerUrl();
      if (url === undefined) throw kafkaError('NOT_CONTROLLER', 'no controller is known yet');
      const requestTimeoutMs = Math.max(1, Math.min(this.config.requestTimeoutMs, deadlineMs - this.runtime.clock.now()));
      const answer = await this.cluster.request(url, 'electLeaders', body, { timeoutMs: requestTimeoutMs });
      if (answer.errorCode !== errorCodes.NONE) throw KafkaProtocolError.from(answer.errorCode);
      return answer;
    });
    return response.replicaElectionResults.flatMap((topic) =>
      topic.partitionResult.map((result) => ({
        topic: topic.topic,
        partition: result.partitionId,
        error: result.errorCode === errorCodes.NONE ? null : KafkaProtocolError.from(result.errorCode, `${topic.topic}-${result.partitionId}: ${result.errorMessage ?? KafkaProtocolError.from(result.errorCode).message}`),
      })),
    );
  }

  async deleteTopics(names: readonly string[], options: AdminCallOptions = {}): Promise<DeleteTopicResult[]> {
    this.assertOpen();
    assertDistinctNames(names);
    const timeoutMs = this.callTimeoutMs(options.timeoutMs);
    const failed = (name: string, error: KafkaProtocolError): DeleteTopicResult => ({ name, topicId: null, error });
    return this.controllerCall('deleteTopics', names.map((name) => ({ name })), timeoutMs, failed, async (url, pending, requestTimeoutMs) => {
      const body: RequestBody<'deleteTopics'> = { topicNames: pending.map((topic) => topic.name), timeoutMs: Math.min(timeoutMs, INT32_MAX) };
      const response = await this.cluster.request(url, 'deleteTopics', body, { timeoutMs: requestTimeoutMs });
      return response.responses.map((topic) => [
        topic.name,
        outcome(topic.errorCode, () => ({ name: topic.name, topicId: topic.topicId, error: topicError(topic.name, topic.errorCode, topic.errorMessage) })),
      ]);
    });
  }

  async createPartitions(partitions: readonly NewPartitions[], options: CreatePartitionsOptions = {}): Promise<CreatePartitionsResult[]> {
    this.assertOpen();
    assertDistinctNames(partitions.map((topic) => topic.name));
    const timeoutMs = this.callTimeoutMs(options.timeoutMs);
    const failed = (name: string, error: KafkaProtocolError): CreatePartitionsResult => ({ name, error });
    return this.controllerCall('createPartitions', partitions, timeoutMs, failed, async (url, pending, requestTimeoutMs) => {
      const body: RequestBody<'createPartitions'> = {
        topics: pending.map((topic) => ({
          name: topic.name,
          count: topic.count,
          assignments: topic.assignments === undefined ? null : topic.assignments.map((brokerIds) => ({ brokerIds: [...brokerIds] })),
        })),
        timeoutMs: Math.min(timeoutMs, INT32_MAX),
        validateOnly: options.validateOnly ?? false,
      };
      const response = await this.cluster.request(url, 'createPartitions', body, { timeoutMs: requestTimeoutMs });
      return response.results.map((topic) => [topic.name, outcome(topic.errorCode, () => ({ name: topic.name, error: topicError(topic.name, topic.errorCode, topic.errorMessage) }))]);
    });
  }

  /** Every topic the cluster knows, by name; internal topics only with `listInternal`. */
  async listTopics(options: ListTopicsOptions = {}): Promise<TopicListing[]> {
    this.assertOpen();
    const metadata = await this.withRetries('listTopics', this.deadline(options.timeoutMs), () => this.cluster.fetchMetadata(null));
    return [...metadata.topics.values()]
      .filter((topic) => topic.errorCode === errorCodes.NONE && (options.listInternal === true || !topic.isInternal))
      .map((topic) => ({ name: topic.name, topicId: topic.topicId, isInternal: topic.isInternal }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Leaders, replicas and ISR from Metadata, and each partition's log start/end offsets and high watermark
   * from its leader (DescribeLogDirs); a leader that is unknown, offline or silent gives -1 offsets.
   */
  async describeTopics(names: readonly string[], options: AdminCallOptions = {}): Promise<TopicDescription[]> {
    this.assertOpen();
    const deadlineMs = this.deadline(options.timeoutMs);
    let metadata;
    try {
      metadata = await this.withRetries('describeTopics', deadlineMs, () => this.cluster.fetchMetadata([...new Set(names)]));
    } catch (error) {
      if (!(error instanceof KafkaProtocolError)) throw error;
      return names.map((name) => ({ name, topicId: null, isInternal: false, partitions: [], error }));
    }
    const requests = logDirRequestsByLeader(names, metadata);
    const answers = await Promise.all(
      [...requests].map(async ([nodeId, topics]) => {
        const url = metadata.brokerUrl(nodeId) as string;
        const body: RequestBody<'describeLogDirs'> = { topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })) };
        try {
          const remainingMs = Math.max(1, deadlineMs - this.runtime.clock.now());
          return [nodeId, await this.cluster.request(url, 'describeLogDirs', body, { timeoutMs: Math.min(this.config.requestTimeoutMs, remainingMs) })] as const;
        } catch (error) {
          this.logger.debug({ nodeId, err: error }, 'DescribeLogDirs failed; its partitions show -1 offsets');
          return [nodeId, null] as const;
        }
      }),
    );
    return describeTopicsFrom(names, metadata, new Map<number, ResponseBody<'describeLogDirs'> | null>(answers));
  }

  /**
   * Kafka's `describeConfigs` for topics: every setting of each topic with its effective value, the topic's own
   * overrides marked `TOPIC_CONFIG` (what `kafka-topics.sh --describe` prints). One result per topic.
   */
  async describeTopicConfigs(names: readonly string[], options: AdminCallOptions = {}): Promise<TopicConfigDescription[]> {
    this.assertOpen();
    if (names.length === 0) return [];
    const deadlineMs = this.deadline(options.timeoutMs);
    try {
      return await this.withRetries('describeConfigs', deadlineMs, () =>
        describeTopicConfigs(this.cluster, names, Math.min(this.config.requestTimeoutMs, Math.max(1, deadlineMs - this.runtime.clock.now()))),
      );
    } catch (error) {
      if (!(error instanceof KafkaProtocolError)) throw error;
      return names.map((name) => ({ name, entries: [], error }));
    }
  }

  async describeCluster(options: AdminCallOptions = {}): Promise<ClusterDescription> {
    this.assertOpen();
    const metadata = await this.withRetries('describeCluster', this.deadline(options.timeoutMs), () => this.cluster.fetchMetadata([]));
    return {
      clusterId: metadata.clusterId,
      controllerId: metadata.controllerId,
      brokers: [...metadata.brokers.values()].sort((a, b) => a.nodeId - b.nodeId).map((broker) => ({ ...broker })),
    };
  }

  /**
   * Kafka's `describeMetadataQuorum` (KIP-836): the metadata quorum's leader, epoch and high watermark, and each
   * voter's and observer's log end offset, lag and fetch times, from the quorum leader (DescribeQuorum). Nodes that
   * do not lead name the leader they know, which is asked next; every known node is asked at most once. Rejects with
   * NoQuorumLeaderError when no node leads, else with the last node's KafkaProtocolError when none could answer.
   */
  async describeMetadataQuorum(options: AdminCallOptions = {}): Promise<QuorumInfo> {
    this.assertOpen();
    const deadlineMs = this.deadline(options.timeoutMs);
    const metadata = await this.withRetries('describeMetadataQuorum', deadlineMs, () => this.cluster.fetchMetadata([]));
    const body: RequestBody<'describeQuorum'> = { topics: [{ topicName: METADATA_TOPIC, partitions: [{ partitionIndex: METADATA_PARTITION }] }] };
    const urlScheme = this.runtime.urlScheme ?? 'ws';
    const ask = async (nodeId: number, answerUrl: string | undefined): Promise<QuorumAnswer> => {
      const url = metadata.brokerUrl(nodeId) ?? answerUrl;
      if (url === undefined) return { kind: 'failed', error: kafkaError('BROKER_NOT_AVAILABLE', `node ${nodeId} is named as the quorum leader but its address is unknown`) };
      const remainingMs = deadlineMs - this.runtime.clock.now();
      if (remainingMs <= 0) return { kind: 'failed', error: kafkaError('REQUEST_TIMED_OUT', `describeMetadataQuorum ran out of time before asking node ${nodeId}`) };
      try {
        return readQuorumAnswer(await this.cluster.request(url, 'describeQuorum', body, { timeoutMs: Math.min(this.config.requestTimeoutMs, remainingMs) }), urlScheme);
      } catch (error) {
        if (!(error instanceof KafkaProtocolError)) throw error;
        this.logger.debug({ nodeId, err: error }, 'DescribeQuorum failed; asking another node');
        return { kind: 'failed', error };
      }
    };
    const nodeIds = [...metadata.brokers.keys()].sort((a, b) => a - b);
    return searchQuorumLeader({ nodeIds, firstNodeId: metadata.controllerId, ask });
  }

  /** Every group of the cluster with its type, classic or consumer (ListGroups to every broker, merged), sorted by id. Rejects when a broker cannot answer. */
  async listGroups(options: AdminCallOptions = {}): Promise<GroupListing[]> {
    this.assertOpen();
    return this.groups.listGroups(this.deadline(options.timeoutMs));
  }

  /**
   * Each group's type, state, protocol, generation, coordinator and members with their assignments; one result per group. Kafka's
   * describeConsumerGroups: ConsumerGroupDescribe first, so a consumer group (KIP-848) also has its epochs and each member's epoch,
   * reconciliation state and target assignment, and DescribeGroups for a classic group.
   */
  async describeGroups(groupIds: readonly string[], options: AdminCallOptions = {}): Promise<GroupDescription[]> {
    this.assertOpen();
    assertGroupIds(groupIds);
    return this.groups.describeGroups(groupIds, this.deadline(options.timeoutMs));
  }

  /** Every offset the group has committed (the next offset each partition's consumer reads). */
  async listConsumerGroupOffsets(groupId: string, options: AdminCallOptions = {}): Promise<CommittedOffset[]> {
    this.assertOpen();
    assertGroupIds([groupId]);
    return this.groups.listGroupOffsets(groupId, this.deadline(options.timeoutMs));
  }

  /** Deletes Empty groups and their offsets; NON_EMPTY_GROUP for a group with members, GROUP_ID_NOT_FOUND for an unknown one. */
  async deleteGroups(groupIds: readonly string[], options: AdminCallOptions = {}): Promise<GroupResult[]> {
    this.assertOpen();
    assertGroupIds(groupIds);
    return this.groups.deleteGroups(groupIds, this.deadline(options.timeoutMs));
  }

  /**
   * Sets a group's committed offsets (generation -1, as Kafka's admin does): the coordinator accepts it
   * only while the group has no members (an active group answers UNKNOWN_MEMBER_ID). One result per partition.
   */
  async alterConsumerGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[], options: AdminCallOptions = {}): Promise<PartitionResult[]> {
    this.assertOpen();
    assertGroupIds([groupId]);
    for (const entry of offsets) {
      if (!Number.isSafeInteger(entry.offset) || entry.offset < 0) throw new RangeError(`offset for ${entry.topic}-${entry.partition} must be an integer >= 0, got ${entry.offset}`);
    }
    return this.groups.alterGroupOffsets(groupId, offsets, this.deadline(options.timeoutMs));
  }

  /**
   * Kafka's `deleteConsumerGroupOffsets` (OffsetDelete, KIP-496): deletes the group's committed offsets of
   * `partitions`. `error` is set when the whole call failed (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP for an
   * active group that is not a consumer group); a partition whose topic the group still subscribes to gets
   * GROUP_SUBSCRIBED_TO_TOPIC alone.
   */
  async deleteConsumerGroupOffsets(groupId: string, partitions: readonly TopicPartition[], options: AdminCallOptions = {}): Promise<DeleteGroupOffsetsResult> {
    this.assertOpen();
    assertGroupIds([groupId]);
    if (partitions.length === 0) throw new RangeError('name at least one partition whose offset to delete');
    for (const tp of partitions) if (!Number.isSafeInteger(tp.partition) || tp.partition < 0) throw new RangeError(`partition of ${tp.topic} must be an integer >= 0, got ${tp.partition}`);
    return this.groups.deleteGroupOffsets(groupId, partitions, this.deadline(options.timeoutMs));
  }

  /**
   * Kafka's `listOffsets`: per partition its earliest offset, latest offset (high watermark), or the first
   * offset whose timestamp is at or after a time (offset -1 when no record is that recent). One result per
   * partition asked, each with `error: KafkaProtocolError | null`.
   */
  async listOffsets(requests: ReadonlyArray<TopicPartition & { readonly spec: OffsetSpec }>, options: AdminCallOptions = {}): Promise<ListOffsetsResult[]> {
    this.assertOpen();
    const seen = new Set<string>();
    for (const request of requests) {
      // Kafka's listOffsets takes a map: one spec per partition.
      if (seen.has(`${request.topic}\u0000${request.partition}`)) throw new RangeError(`${request.topic}-${request.partition} is named twice in one listOffsets call`);
      seen.add(`${request.topic}\u0000${request.partition}`);
      if (request.spec.kind === 'timestamp' && (!Number.isSafeInteger(request.spec.timestampMs) || request.spec.timestampMs < 0)) {
        throw new RangeError(`a timestamp must be an integer >= 0 (ms since the epoch), got ${request.spec.timestampMs}`);
      }
    }
    if (requests.length === 0) return [];
    const { cluster, runtime, config } = this;
    return listOffsetsAtLeaders({ cluster, runtime, config, withRetries: (callName, deadlineMs, attempt) => this.withRetries(callName, deadlineMs, attempt) }, requests, this.deadline(options.timeoutMs));
  }

  /**
   * kactor's own call (not Kafka's): the rebalances the group's coordinator recorded, oldest first, at most
   * `limit` of the newest (all it keeps by default, up to 100). Throws KafkaProtocolError GROUP_ID_NOT_FOUND
   * for a group the coordinator does not know.
   */
  async describeRebalances(groupId: string, options: AdminCallOptions & { limit?: number } = {}): Promise<GroupRebalanceRecord[]> {
    this.assertOpen();
    assertGroupIds([groupId]);
    if (options.limit !== undefined && (!Number.isSafeInteger(options.limit) || options.limit < 1)) throw new RangeError(`limit must be an integer >= 1, got ${options.limit}`);
    return this.groups.describeRebalances(groupId, options.limit ?? null, this.deadline(options.timeoutMs));
  }

  /**
   * Removes static members (group.instance.id, KIP-345) from a group, as Kafka's admin does: the group
   * rebalances without them. One outcome per member; UNKNOWN_MEMBER_ID for an instance id not in the group.
   */
  async removeMembersFromConsumerGroup(groupId: string, members: readonly MemberToRemove[], options: AdminCallOptions = {}): Promise<RemoveMembersResult> {
    this.assertOpen();
    assertGroupIds([groupId]);
    if (members.length === 0) throw new RangeError('name at least one member to remove');
    for (const member of members) if (member.groupInstanceId === '') throw new RangeError('a group.instance.id cannot be empty');
    return this.groups.removeMembers(groupId, members, this.deadline(options.timeoutMs));
  }

  /**
   * Kafka's `listTransactions` (KIP-664): every transactional id the brokers' transaction coordinators hold, with
   * its producer id, state and coordinator, optionally only those in some states or of some producer ids.
   * Sorted by transactional id. Rejects with the KafkaProtocolError of a broker that could not answer.
   */
  async listTransactions(options: AdminCallOptions & ListTransactionsOptions = {}): Promise<TransactionListing[]> {
    this.assertOpen();
    const states = options.states ?? [];
    const producerIds = options.producerIds ?? [];
    for (const state of states) if (!(transactionStates as readonly string[]).includes(state)) throw new RangeError(`unknown transaction state ${String(state)}: one of ${transactionStates.join(', ')}`);
    for (const producerId of producerIds) if (!Number.isSafeInteger(producerId) || producerId < 0) throw new RangeError(`a producer id must be an integer >= 0, got ${producerId}`);
    // The filters are bounded on the wire: refused here rather than as a frame the broker cannot accept.
    const maxFilters = wireLimits.maxListFilters;
    if (states.length > maxFilters || producerIds.length > maxFilters) throw new RangeError(`at most ${maxFilters} states and ${maxFilters} producer ids can filter one listTransactions call`);
    return this.transactions.listTransactions({ states, producerIds }, this.deadline(options.timeoutMs));
  }

  /**
   * Kafka's `describeTransactions` (KIP-664): each transactional id's state, producer id and epoch, timeout, when
   * its current (or last) transaction began and its partitions, from its transaction coordinator. One result per id; an id the
   * coordinator does not hold has `error` TransactionalIdNotFoundError (TRANSACTIONAL_ID_NOT_FOUND).
   */
  async describeTransactions(transactionalIds: readonly string[], options: AdminCallOptions = {}): Promise<TransactionDescription[]> {
    this.assertOpen();
    for (const id of transactionalIds) if (typeof id !== 'string' || id === '') throw new TypeError('every transactional id must be a non-empty string');
    return this.transactions.describeTransactions(transactionalIds, this.deadline(options.timeoutMs));
  }

  /** Closes the connections; calls under way fail with NETWORK_EXCEPTION. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cluster.close();
  }

  /**
   * Sends a controller API for `items` until each has an answer other than NOT_CONTROLLER, refreshing
   * metadata to find the controller, within `timeoutMs`. Topics still without an answer at the end get the
   * call's last error (REQUEST_TIMED_OUT when time ran out).
   */
  private async controllerCall<I extends { name: string }, R extends { name: string }>(
    callName: string,
    items: readonly I[],
    timeoutMs: number,
    failed: (name: string, error: KafkaProtocolError) => R,
    sendTo: (url: string, pending: readonly I[], requestTimeoutMs: number) => Promise<Array<[string, TopicOutcome<R>]>>,
  ): Promise<R[]> {
    const deadlineMs = this.runtime.clock.now() + timeoutMs;
    const results = new Map<string, R>();
    let pending = [...items];
    try {
      await this.withRetries(callName, deadlineMs, async (refreshMetadata) => {
        if (refreshMetadata || this.cluster.controllerUrl() === undefined) await this.cluster.fetchMetadata([]);
        const url = this.cluster.controllerUrl();
        if (url === undefined) throw kafkaError('NOT_CONTROLLER', 'no controller is known yet');
        const requestTimeoutMs = Math.max(1, Math.min(this.config.requestTimeoutMs, deadlineMs - this.runtime.clock.now()));
        for (const [name, answer] of await sendTo(url, pending, requestTimeoutMs)) {
          if (answer.kind === 'done' && pending.some((item) => item.name === name)) results.set(name, answer.result);
        }
        pending = pending.filter((item) => !results.has(item.name));
        if (pending.length > 0) throw kafkaError('NOT_CONTROLLER', `${url} is no longer the controller`);
      });
    } catch (error) {
      if (!(error instanceof KafkaProtocolError)) throw error;
      for (const item of pending) results.set(item.name, failed(item.name, error));
    }
    return items.map((item) => results.get(item.name) ?? failed(item.name, kafkaError('UNKNOWN_SERVER_ERROR', `the controller did not answer for ${item.name}`)));
  }

  private withRetries<T>(callName: string, deadlineMs: number, attempt: (refreshMetadata: boolean) => Promise<T>): Promise<T> {
    const { clock, random } = this.runtime;
    const backoff = { initialMs: this.config.retryBackoffMs, maxMs: this.config.retryBackoffMaxMs };
    const closedError = (): unknown => (this.closed ? new IllegalStateError('the admin client was closed') : undefined);
    return callWithRetries({ callName, deadlineMs, retries: this.config.retries, backoff, clock, random, logger: this.logger, closedError }, attempt);
  }

  private callTimeoutMs(timeoutMs: number | undefined): number {
    if (timeoutMs === undefined) return this.config.defaultApiTimeoutMs;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError(`timeoutMs must be a number >= 0, got ${timeoutMs}`);
    return timeoutMs;
  }

  private deadline(timeoutMs: number | undefined): number {
    return this.runtime.clock.now() + this.callTimeoutMs(timeoutMs);
  }

  private assertOpen(): void {
    if (this.closed) throw new IllegalStateError('the admin client is closed');
  }
}

function outcome<R>(errorCode: number, result: () => R): TopicOutcome<R> {
  return errorCode === errorCodes.NOT_CONTROLLER ? { kind: 'notController' } : { kind: 'done', result: result() };
}

function topicError(name: string, code: number, message: string | null): KafkaProtocolError | null {
  if (code === errorCodes.NONE) return null;
  return KafkaProtocolError.from(code, `topic ${name}: ${message ?? KafkaProtocolError.from(code).message}`);
}

function assertDistinctNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || name === '') throw new TypeError('every topic needs a non-empty name');
    if (seen.has(name)) throw new RangeError(`topic ${name} is named twice in one call`);
    seen.add(name);
  }
}

function assertGroupIds(groupIds: readonly string[]): void {
  for (const groupId of groupIds) if (typeof groupId !== 'string' || groupId === '') throw new TypeError('every group needs a non-empty id');
}
