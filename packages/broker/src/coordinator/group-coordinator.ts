/**
 * The group coordinator of one broker (Kafka's GroupCoordinatorService): finds a group's coordinator
 * (FindCoordinator, creating `__consumer_offsets` on first use), runs one shard per `__consumer_offsets`
 * partition this broker leads, and hands each group request to its group's actor. A group belongs to
 * partition `abs(javaStringHashCode(groupId)) % partitions`, Kafka's exact rule, so the same group lands on
 * the same partition as in Apache Kafka.
 */
import type { ApiRequest, ErrorName, MetadataImage, RequestBody, ResponseBody } from '@kactor/protocol';
import { coordinatorKeyTypes, errorByName, groupCoordinatorPartition } from '@kactor/protocol';
import type { Clock, IdGenerator, InboundRequest, Logger, PeerRequester, RequestRef, Responder } from '@kactor/runtime';
import type { InspectionEvent } from 'xstate';
import type { PartitionHost } from '../node/partition-host.js';
import type { GroupLimits } from './classic-group.js';
import { describeGroupAnswer, describeRebalancesAnswer } from './group-describe.js';
import { offsetFetchAnswer } from './group-offsets.js';
import { offsetDeleteRefusal } from './group-offset-delete.js';
import { groupRefusal } from './group-responses.js';
import { GroupCoordinatorShard } from './group-coordinator-shard.js';
import { encodeGroupRecordBatch, readGroupRecords } from './group-records.js';

export const OFFSETS_TOPIC = '__consumer_offsets';

export interface OffsetsTopicConfig {
  /** offsets.topic.num.partitions */
  offsetsTopicNumPartitions: number;
  /** offsets.topic.replication.factor (capped at 1 until replication lands). */
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
  clock: Clock;
  logger: Logger;
  responder: Responder;
  ids: IdGenerator;
  peers: PeerRequester;
  controllerUrl(): string;
  partitions: PartitionHost;
  currentImage(): MetadataImage | null;
  onFatalError(error: unknown): void;
  inspect?: ((event: InspectionEvent) => void) | undefined;
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
]);
/** The replication factor of __consumer_offsets until followers exist. */
const maxSupportedReplicationFactor = 1;

export class GroupCoordinator {
  private readonly shards = new Map<number, GroupCoordinatorShard>();
  private creatingOffsetsTopic = false;

  constructor(private readonly options: GroupCoordinatorOptions) {}

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
      case 'offsetFetch': {
        const shard = this.activeShard(request);
        if (shard !== undefined) this.respond(request.ref, offsetFetchAnswer(shard.view(request.body.groupId)?.group, request.body));
        return;
      }
      case 'describeRebalances': {
        const shard = this.activeShard(request);
        if (shard !== undefined) this.respond(request.ref, describeRebalancesAnswer(shard.view(request.body.groupId), request.body));
        return;
      }
      case 'joinGroup':
      case 'offsetCommit': {
        const shard = this.activeShard(request);
        if (shard !== undefined) shard.groupOrNew(request.body.groupId).send({ type: `request.${request.api}`, ref: request.ref, body: request.body } as never);
        return;
      }
      case 'offsetDelete': {
        const shard = this.activeShard(request);
        if (shard === undefined) return;
        const group = shard.group(request.body.groupId);
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

  /** Starts a shard for each `__consumer_offsets` partition this broker now leads, and closes the others. */
  onImage(image: MetadataImage): void {
    const topic = image.topics.find((candidate) => candidate.name === OFFSETS_TOPIC);
    const led = new Set(
      (topic?.partitions ?? []).filter((partition) => partition.leader === this.options.brokerId).map((partition) => partition.partitionIndex),
    );
    for (const [partition, shard] of this.shards) {
      if (!led.has(partition)) {
        shard.close();
        this.shards.delete(partition);
      }
    }
    for (const partition of led) {
      if (this.shards.has(partition) || this.options.partitions.view(OFFSETS_TOPIC, partition)?.state !== 'Leader') continue;
      const shard = this.createShard(partition);
      this.shards.set(partition, shard);
      shard.load();
    }
  }

  closeAll(): void {
    for (const shard of this.shards.values()) shard.close();
    this.shards.clear();
  }

  /** A crash (kill -9): every group actor stops at once, answering no one; members find out by timing out. */
  haltAll(): void {
    for (const shard of this.shards.values()) shard.halt();
    this.shards.clear();
  }

  private respond(ref: RequestRef, body: unknown): void {
    this.options.responder.respond(ref as RequestRef & { api: 'heartbeat' }, body as ResponseBody<'heartbeat'>);
  }

  private partitionOf(groupId: string): number | undefined {
    const topic = this.options.currentImage()?.topics.find((candidate) => candidate.name === OFFSETS_TOPIC);
    return topic === undefined || topic.partitions.length === 0 ? undefined : groupCoordinatorPartition(groupId, topic.partitions.length);
  }

  /** The shard coordinating the request's group, or undefined after answering NOT_COORDINATOR / LOAD_IN_PROGRESS. */
  private activeShard(request: Extract<ApiRequest, { body: { groupId: string } }> & { ref: RequestRef }): GroupCoordinatorShard | undefined {
    if (request.body.groupId === '') {
      this.respond(request.ref, groupRefusal(request, 'INVALID_GROUP_ID'));
      return undefined;
    }
    const partition = this.partitionOf(request.body.groupId);
    const shard = partition === undefined ? undefined : this.shards.get(partition);
    const problem: ErrorName | undefined = shard === undefined || shard.state === 'CLOSED' ? 'NOT_COORDINATOR' : shard.state === 'LOADING' ? 'COORDINATOR_LOAD_IN_PROGRESS' : undefined;
    if (problem !== undefined) {
      this.respond(request.ref, groupRefusal(request, problem));
      return undefined;
    }
    return shard;
  }

  private findCoordinator(request: RequestBody<'findCoordinator'>): ResponseBody<'findCoordinator'> {
    const answer = (errorName: ErrorName, errorMessage: string | null, node?: { brokerId: number; host: string; port: number; url: string }) => ({
      throttleTimeMs: 0,
      errorCode: errorByName(errorName).code,
      errorMessage,
      nodeId: node?.brokerId ?? -1,
      host: node?.host ?? '',
      port: node?.port ?? -1,
      url: node?.url ?? '',
    });
    if (request.keyType !== coordinatorKeyTypes.group) return answer('INVALID_REQUEST', `key type ${request.keyType} is not supported yet (transactions arrive later)`);
    if (request.key === '') return answer('INVALID_REQUEST', 'the group id is empty');
    const image = this.options.currentImage();
    const topic = image?.topics.find((candidate) => candidate.name === OFFSETS_TOPIC);
    if (image === null || topic === undefined) {
      this.createOffsetsTopic();
      return answer('COORDINATOR_NOT_AVAILABLE', `${OFFSETS_TOPIC} is being created`);
    }
    const partition = topic.partitions[groupCoordinatorPartition(request.key, topic.partitions.length)];
    const leader = image.brokers.find((broker) => broker.brokerId === partition?.leader && !broker.fenced);
    if (leader === undefined) return answer('COORDINATOR_NOT_AVAILABLE', `partition ${partition?.partitionIndex} of ${OFFSETS_TOPIC} has no leader`);
    return answer('NONE', null, leader);
  }

  /** Asks the controller for `__consumer_offsets`, once at a time; FindCoordinator is retried by clients meanwhile. */
  private createOffsetsTopic(): void {
    if (this.creatingOffsetsTopic) return;
    this.creatingOffsetsTopic = true;
    const config = this.options.topicConfig;
    this.options.peers.request(
      this.options.controllerUrl(),
      'createTopics',
      {
        topics: [
          {
            name: OFFSETS_TOPIC,
            numPartitions: config.offsetsTopicNumPartitions,
            replicationFactor: Math.min(config.offsetsTopicReplicationFactor, maxSupportedReplicationFactor),
            assignments: [],
            // Kafka declares it cleanup.policy=compact; kactor does not compact yet (and refuses the setting until it
            // does), so the offsets topic keeps every record and is declared with what kactor really does.
            configs: [{ name: 'segment.bytes', value: String(config.offsetsTopicSegmentBytes) }],
          },
        ],
        timeoutMs: 30_000,
        validateOnly: false,
      },
      (result) => {
        this.creatingOffsetsTopic = false;
        const errorCode = result.ok ? (result.body.topics[0]?.errorCode ?? 0) : result.error.code;
        if (errorCode !== 0 && errorCode !== errorByName('TOPIC_ALREADY_EXISTS').code) {
          this.options.logger.warn({ errorCode, error: result.ok ? result.body.topics[0]?.errorMessage : result.error.message }, `could not create ${OFFSETS_TOPIC}`);
        } else {
          this.options.logger.info({ partitions: config.offsetsTopicNumPartitions }, `${OFFSETS_TOPIC} created`);
        }
      },
    );
  }

  private listGroups(request: RequestBody<'listGroups'>): ResponseBody<'listGroups'> {
    const wanted = new Set(request.statesFilter);
    const groups = [...this.shards.values()]
      .filter((shard) => shard.state === 'ACTIVE')
      .flatMap((shard) => shard.views())
      .filter((view) => wanted.size === 0 || wanted.has(view.state))
      .map((view) => ({ groupId: view.groupId, protocolType: view.group.protocolType ?? '', groupState: view.state }))
      .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
    return { throttleTimeMs: 0, errorCode: 0, groups };
  }

  private describeGroups(request: RequestBody<'describeGroups'>): ResponseBody<'describeGroups'> {
    return {
      throttleTimeMs: 0,
      groups: request.groups.map((groupId) => {
        const partition = this.partitionOf(groupId);
        const shard = partition === undefined ? undefined : this.shards.get(partition);
        if (shard === undefined || shard.state !== 'ACTIVE') return describeGroupAnswer(groupId, undefined, shard?.state === 'LOADING' ? 'COORDINATOR_LOAD_IN_PROGRESS' : 'NOT_COORDINATOR');
        return describeGroupAnswer(groupId, shard.view(groupId), 'NONE');
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
      const partition = this.partitionOf(groupId);
      const shard = partition === undefined ? undefined : this.shards.get(partition);
      if (shard === undefined || shard.state !== 'ACTIVE') done(index, shard?.state === 'LOADING' ? 'COORDINATOR_LOAD_IN_PROGRESS' : 'NOT_COORDINATOR');
      else shard.deleteGroup(groupId, (errorName) => done(index, errorName));
    });
  }

  private createShard(partition: number): GroupCoordinatorShard {
    const { partitions, clock } = this.options;
    return new GroupCoordinatorShard({
      brokerId: this.options.brokerId,
      partition,
      clock,
      logger: this.options.logger.child({ actor: `coordinator-${partition}` }),
      responder: this.options.responder,
      limits: this.options.limits,
      uniqueId: () => this.options.ids.next(),
      readRecords: () => {
        const view = partitions.view(OFFSETS_TOPIC, partition);
        if (view === undefined) return [];
        return readGroupRecords(view.context.ports.log, view.context.highWatermark);
      },
      append: (records, onDone) => {
        const batch = encodeGroupRecordBatch(records, clock.now());
        partitions.appendInternal(OFFSETS_TOPIC, partition, batch, this.options.topicConfig.offsetsCommitTimeoutMs, (errorName) =>
          onDone(errorName === 'NONE' ? { ok: true } : { ok: false, errorName }),
        );
      },
      onFatalError: this.options.onFatalError,
      inspect: this.options.inspect,
    });
  }
}

