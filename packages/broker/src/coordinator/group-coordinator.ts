/**
 * The group coordinator of one broker (Kafka's GroupCoordinatorService): finds a group's coordinator
 * (FindCoordinator, creating `__consumer_offsets` on first use), runs one shard per `__consumer_offsets`
 * partition this broker leads, and hands each group request to its group's actor. A group belongs to
 * partition `abs(javaStringHashCode(groupId)) % partitions`, Kafka's exact rule, so the same group lands on
 * the same partition as in Apache Kafka.
 */
import type { ApiRequest, ErrorName, MetadataImage, RequestBody, ResponseBody } from '@kactor/protocol';
import { coordinatorKeyTypes, errorByName } from '@kactor/protocol';
import type { Clock, IdGenerator, InboundRequest, Logger, PeerRequester, RequestRef, Responder } from '@kactor/runtime';
import type { InspectionEvent } from 'xstate';
import type { PartitionHost } from '../node/partition-host.js';
import type { GroupLimits } from './classic-group.js';
import type { ConsumerGroupConfig } from './consumer/consumer-group.machine.js';
import { heartbeatRefusal } from './consumer/consumer-group.setup.js';
import { consumerGroupDescribeAnswer, describeGroupAnswer, describeRebalancesAnswer } from './group-describe.js';
import { offsetFetchAnswer } from './group-offsets.js';
import { offsetDeleteRefusal } from './group-offset-delete.js';
import { groupRefusal } from './group-responses.js';
import { GroupCoordinatorShard } from './group-coordinator-shard.js';
import { groupRecordSerde, type GroupRecord } from './group-records.js';
import { CoordinatorRuntime } from '../coordinator-runtime/coordinator-runtime.js';
import type { TransactionMarker } from '../coordinator-runtime/coordinator-shard.js';

export const OFFSETS_TOPIC = '__consumer_offsets';

export interface OffsetsTopicConfig {
  /** offsets.topic.num.partitions */
  offsetsTopicNumPartitions: number;
  /** offsets.topic.replication.factor: the controller refuses it (INVALID_REPLICATION_FACTOR) while fewer brokers are registered. */
  offsetsTopicReplicationFactor: number;
  /** offsets.topic.segment.bytes */
  offsetsTopicSegmentBytes: number;
  /** offsets.commit.timeout.ms: how long a commit may wait for its append. */
  offsetsCommitTimeoutMs: number;
}

export interface GroupCoordinatorOptions {
  brokerId: number;
  topicConfig: OffsetsTopicConfig;
  limits: GroupLimits;
  /** The broker's group.consumer.* settings for consumer groups (KIP-848). */
  consumerConfig: ConsumerGroupConfig;
  clock: Clock;
  logger: Logger;
  responder: Responder;
  ids: IdGenerator;
  peers: PeerRequester;
  /** The active controller's URL now, or undefined while none is known (KRaft, during an election). */
  controllerUrl(): string | undefined;
  partitions: PartitionHost;
  currentImage(): MetadataImage | null;
  onFatalError(error: unknown): void;
  inspect?: ((event: InspectionEvent) => void) | undefined;
  /**
   * Answers FindCoordinator for transactional ids (key type 1): the leader of the id's `__transaction_state` partition
   * (the transaction coordinator's runtime). Undefined: such lookups are refused with INVALID_REQUEST.
   */
  transactionCoordinator?: { findCoordinator(transactionalId: string): ResponseBody<'findCoordinator'> } | undefined;
}

const groupApis = new Set([
  'findCoordinator',
  'joinGroup',
  'syncGroup',
  'heartbeat',
  'leaveGroup',
  'offsetCommit',
  'offsetFetch',
  'describeGroups',
  'listGroups',
  'deleteGroups',
  'offsetDelete',
  'describeRebalances',
  'txnOffsetCommit',
  'consumerGroupHeartbeat',
  'consumerGroupDescribe',
]);


export class GroupCoordinator {
  /** The shards of the `__consumer_offsets` partitions this broker leads, loaded and kept by the shared coordinator runtime. */
  readonly runtime: CoordinatorRuntime<GroupRecord, GroupCoordinatorShard>;

  constructor(private readonly options: GroupCoordinatorOptions) {
    const config = options.topicConfig;
    this.runtime = new CoordinatorRuntime({
      name: 'group coordinator',
      brokerId: options.brokerId,
      topic: {
        name: OFFSETS_TOPIC,
        numPartitions: config.offsetsTopicNumPartitions,
        replicationFactor: config.offsetsTopicReplicationFactor,
        replicationFactorConfig: 'offsets.topic.replication.factor',
        // Kafka declares it cleanup.policy=compact; kactor does not compact yet (and refuses the setting until it
        // does), so the offsets topic keeps every record and is declared with what kactor really does.
        configs: [{ name: 'segment.bytes', value: String(config.offsetsTopicSegmentBytes) }],
      },
      appendTimeoutMs: config.offsetsCommitTimeoutMs,
      serde: groupRecordSerde,
      buildShard: (context) =>
        new GroupCoordinatorShard(
          {
            brokerId: options.brokerId,
            clock: options.clock,
            responder: options.responder,
            limits: options.limits,
            consumerConfig: options.consumerConfig,
            currentImage: options.currentImage,
            uniqueId: () => options.ids.next(),
            onFatalError: options.onFatalError,
            inspect: options.inspect,
          },
          context,
        ),
      clock: options.clock,
      logger: options.logger,
      peers: options.peers,
      controllerUrl: options.controllerUrl,
      partitions: options.partitions,
      currentImage: options.currentImage,
    });
  }

  handles(api: string): boolean {
    return groupApis.has(api);
  }

  handle(request: InboundRequest): void {
    switch (request.api) {
      case 'findCoordinator':
        return this.respond(request.ref, this.findCoordinator(request.body));
      case 'listGroups':
        return this.respond(request.ref, this.listGroups(request.body));
      case 'describeGroups':
        return this.respond(request.ref, this.describeGroups(request.body));
      case 'deleteGroups':
        return this.deleteGroups(request.ref, request.body);
      case 'consumerGroupDescribe':
        return this.respond(request.ref, this.consumerGroupDescribe(request.body));
      case 'offsetFetch': {
        const shard = this.activeShard(request);
        if (shard !== undefined) this.respond(request.ref, offsetFetchAnswer(shard.offsets(request.body.groupId), request.body));
        return;
      }
      case 'describeRebalances': {
        const shard = this.activeShard(request);
        if (shard !== undefined) this.respond(request.ref, describeRebalancesAnswer(shard.rebalances(request.body.groupId), request.body));
        return;
      }
      case 'joinGroup': {
        const shard = this.activeShard(request);
        if (shard === undefined) return;
        const group = shard.classicGroupOrNew(request.body.groupId);
        if ('refused' in group) this.respond(request.ref, groupRefusal(request, group.errorName));
        else group.send({ type: 'request.joinGroup', ref: request.ref, body: request.body });
        return;
      }
      case 'consumerGroupHeartbeat': {
        const shard = this.activeShard(request);
        if (shard === undefined) return;
        const group = shard.consumerGroupOrNew(request.body.groupId, request.body.memberEpoch === 0);
        if ('refused' in group) this.respond(request.ref, heartbeatRefusal(group.errorName, group.errorMessage));
        else group.send({ type: 'request.consumerGroupHeartbeat', ref: request.ref, body: request.body });
        shard.forgetIfUnused(request.body.groupId);
        return;
      }
      case 'offsetCommit':
      case 'txnOffsetCommit': {
        const shard = this.activeShard(request);
        if (shard === undefined) return;
        // A commit goes to whichever kind of group holds the id; an unknown id gets a classic group, as in Kafka.
        const event = { type: `request.${request.api}`, ref: request.ref, body: request.body } as never;
        if (shard.kindOf(request.body.groupId) === 'consumer') shard.consumerGroup(request.body.groupId)?.send(event);
        else shard.groupOrNew(request.body.groupId).send(event);
        return;
      }
      case 'offsetDelete': {
        const shard = this.activeShard(request);
        if (shard === undefined) return;
        const group = shard.group(request.body.groupId) ?? shard.consumerGroup(request.body.groupId);
        if (group === undefined) this.respond(request.ref, offsetDeleteRefusal('GROUP_ID_NOT_FOUND'));
        else group.send({ type: 'request.offsetDelete', ref: request.ref, body: request.body });
        return;
      }
      case 'syncGroup':
      case 'heartbeat':
      case 'leaveGroup': {
        const shard = this.activeShard(request);
        if (shard === undefined) return;
        const group = shard.group(request.body.groupId);
        if (group === undefined) this.respond(request.ref, groupRefusal(request, 'UNKNOWN_MEMBER_ID'));
        else group.send({ type: `request.${request.api}`, ref: request.ref, body: request.body } as never);
        return;
      }
      default:
        throw new Error(`${request.api} is not a group API`);
    }
  }

  /** Follows the leadership of `__consumer_offsets` in the image (see CoordinatorRuntime.onImage). */
  onImage(image: MetadataImage): void {
    this.runtime.onImage(image);
  }

  closeAll(): void {
    this.runtime.closeAll();
  }

  /** A crash (kill -9): every group actor stops at once, answering no one; members find out by timing out. */
  haltAll(): void {
    this.runtime.haltAll();
  }

  /**
   * A transaction marker for a `__consumer_offsets` partition this broker leads (WriteTxnMarkers, KIP-98): written
   * with acks=all, then the groups with offsets of that producer pending apply them (COMMIT) or drop them (ABORT).
   */
  completeTransaction(partition: number, marker: TransactionMarker, onDone: (errorName: ErrorName) => void): void {
    this.runtime.completeTransaction(partition, marker, onDone);
  }

  private respond(ref: RequestRef, body: unknown): void {
    this.options.responder.respond(ref as RequestRef & { api: 'heartbeat' }, body as ResponseBody<'heartbeat'>);
  }

  /** The shard coordinating the request's group, or undefined after answering NOT_COORDINATOR / LOAD_IN_PROGRESS. */
  private activeShard(request: Extract<ApiRequest, { body: { groupId: string } }> & { ref: RequestRef }): GroupCoordinatorShard | undefined {
    if (request.body.groupId === '') {
      this.respond(request.ref, groupRefusal(request, 'INVALID_GROUP_ID'));
      return undefined;
    }
    const lookup = this.runtime.shardFor(request.body.groupId);
    if (!lookup.ok) {
      this.respond(request.ref, groupRefusal(request, lookup.errorName));
      return undefined;
    }
    return lookup.shard;
  }

  private findCoordinator(request: RequestBody<'findCoordinator'>): ResponseBody<'findCoordinator'> {
    const refusal = (errorMessage: string) => ({ throttleTimeMs: 0, errorCode: errorByName('INVALID_REQUEST').code, errorMessage, nodeId: -1, host: '', port: -1, url: '' });
    if (request.keyType === coordinatorKeyTypes.transaction) {
      if (this.options.transactionCoordinator === undefined) return refusal('this broker has no transaction coordinator');
      if (request.key === '') return refusal('the transactional id is empty');
      return this.options.transactionCoordinator.findCoordinator(request.key);
    }
    if (request.keyType !== coordinatorKeyTypes.group) return refusal(`key type ${request.keyType} is not a coordinator key type (0 group, 1 transaction)`);
    if (request.key === '') return refusal('the group id is empty');
    return this.runtime.findCoordinator(request.key);
  }

  private listGroups(request: RequestBody<'listGroups'>): ResponseBody<'listGroups'> {
    // As Kafka's handleListGroups: while a partition is loading the list would be incomplete, so the admin asks again.
    if (this.runtime.isLoading()) return { throttleTimeMs: 0, errorCode: errorByName('COORDINATOR_LOAD_IN_PROGRESS').code, groups: [] };
    // Kafka matches the states and types case-insensitively (ListGroupsRequest v5, KIP-848).
    const wanted = new Set(request.statesFilter.map((state) => state.toLowerCase()));
    const wantedTypes = new Set(request.typesFilter.map((type) => type.toLowerCase()));
    const groups = this.runtime
      .activeShards()
      .flatMap((shard) => shard.listed())
      .filter((listed) => wanted.size === 0 || wanted.has(listed.state.toLowerCase()))
      .filter((listed) => wantedTypes.size === 0 || wantedTypes.has(listed.groupType))
      .map((listed) => ({ groupId: listed.groupId, protocolType: listed.protocolType, groupState: listed.state, groupType: listed.groupType }))
      .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
    return { throttleTimeMs: 0, errorCode: 0, groups };
  }

  private describeGroups(request: RequestBody<'describeGroups'>): ResponseBody<'describeGroups'> {
    return {
      throttleTimeMs: 0,
      groups: request.groups.map((groupId) => {
        const lookup = this.runtime.shardFor(groupId);
        if (!lookup.ok) return describeGroupAnswer(groupId, undefined, lookup.errorName);
        // Kafka answers DescribeGroups for a consumer group with GROUP_ID_NOT_FOUND: it is described by ConsumerGroupDescribe.
        if (lookup.shard.kindOf(groupId) === 'consumer') return describeGroupAnswer(groupId, undefined, 'GROUP_ID_NOT_FOUND');
        return describeGroupAnswer(groupId, lookup.shard.view(groupId), 'NONE');
      }),
    };
  }

  /** ConsumerGroupDescribe (KIP-848): each asked consumer group, or GROUP_ID_NOT_FOUND (an unknown id, or a classic group). */
  private consumerGroupDescribe(request: RequestBody<'consumerGroupDescribe'>): ResponseBody<'consumerGroupDescribe'> {
    return {
      throttleTimeMs: 0,
      groups: request.groupIds.map((groupId) => {
        const lookup = this.runtime.shardFor(groupId);
        if (!lookup.ok) return consumerGroupDescribeAnswer(groupId, undefined, lookup.errorName, null, this.options.consumerConfig);
        const kind = lookup.shard.kindOf(groupId);
        if (kind === 'classic') return consumerGroupDescribeAnswer(groupId, undefined, 'GROUP_ID_NOT_FOUND', `Group ${groupId} is not a consumer group.`, this.options.consumerConfig);
        const view = lookup.shard.consumerView(groupId);
        return consumerGroupDescribeAnswer(groupId, view, view === undefined ? 'GROUP_ID_NOT_FOUND' : 'NONE', view === undefined ? `Group ${groupId} not found.` : null, this.options.consumerConfig);
      }),
    };
  }

  private deleteGroups(ref: RequestRef, request: RequestBody<'deleteGroups'>): void {
    const results: ResponseBody<'deleteGroups'>['results'] = request.groupsNames.map((groupId) => ({ groupId, errorCode: -2 }));
    let remaining = results.length;
    const done = (index: number, errorName: ErrorName) => {
      const entry = results[index];
      if (entry === undefined || entry.errorCode !== -2) return;
      entry.errorCode = errorByName(errorName).code;
      remaining -= 1;
      if (remaining === 0) this.respond(ref, { throttleTimeMs: 0, results });
    };
    if (remaining === 0) return this.respond(ref, { throttleTimeMs: 0, results });
    request.groupsNames.forEach((groupId, index) => {
      const lookup = this.runtime.shardFor(groupId);
      if (!lookup.ok) done(index, lookup.errorName);
      else lookup.shard.deleteGroup(groupId, (errorName) => done(index, errorName));
    });
  }
}
