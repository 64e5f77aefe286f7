/**
 * The group coordinator of one broker (Kafka's GroupCoordinatorService): finds a group's coordinator
 * (FindCoordinator, creating `__consumer_offsets` on first use), runs one shard per `__consumer_offsets`
 * partition this broker leads, and hands each group request to its group's actor. A group belongs to
 * partition `abs(javaStringHashCode(groupId)) % partitions`, Kafka's exact rule, so the same group lands on
 * the same partition as in Apache Kafka.
 */
import type { ApiRequest, ErrorName, MetadataImage, RequestBody, ResponseBody } from '@kactor/protocol';
import { coordinatorKeyTypes, errorByCode, errorByName, groupCoordinatorPartition } from '@kactor/protocol';
import type { Clock, IdGenerator, InboundRequest, Logger, PeerRequester, RequestRef, Responder } from '@kactor/runtime';
import type { InspectionEvent } from 'xstate';
import type { PartitionHost } from '../node/partition-host.js';
import type { GroupLimits } from './classic-group.js';
import { describeGroupAnswer, describeRebalancesAnswer } from './group-describe.js';
import { offsetFetchAnswer } from './group-offsets.js';
import { offsetDeleteRefusal } from './group-offset-delete.js';
import { groupRefusal } from './group-responses.js';
import { GroupCoordinatorShard } from './group-coordinator-shard.js';
import { encodeGroupRecordBatch, readGroupRecordChunk } from './group-records.js';

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

export class GroupCoordinator {
  private readonly shards = new Map<number, GroupCoordinatorShard>();
  private creatingOffsetsTopic = false;
  /** The controller's last refusal to create `__consumer_offsets`, logged once until it changes. */
  private lastCreationRefusal: string | null = null;

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

  /**
   * Follows the leadership of `__consumer_offsets` in the image (Kafka's onElection/onResignation with the leader
   * epoch): a shard per partition this broker leads, loaded from the log under that leader epoch. A partition led
   * elsewhere now is unloaded (its members get NOT_COORDINATOR and look the coordinator up again); one led here under
   * a newer epoch (this broker lost and regained it, A -> B -> A) is unloaded and loaded again, since the other leader
   * may have written commits meanwhile. The partition actor must already be Leader in that epoch, so its log is the
   * leader's log (a former follower has truncated where it must) before the groups are read from it.
   */
  onImage(image: MetadataImage): void {
    const topic = image.topics.find((candidate) => candidate.name === OFFSETS_TOPIC);
    const ledEpochs = new Map<number, number>();
    for (const partition of topic?.partitions ?? []) {
      if (partition.leader === this.options.brokerId) ledEpochs.set(partition.partitionIndex, partition.leaderEpoch);
    }
    for (const [partition, shard] of this.shards) {
      if (ledEpochs.get(partition) === shard.leaderEpoch && shard.state !== 'FAILED') continue;
      shard.close();
      this.shards.delete(partition);
    }
    for (const [partition, leaderEpoch] of ledEpochs) {
      if (this.shards.has(partition)) continue;
      const replica = this.options.partitions.view(OFFSETS_TOPIC, partition);
      if (replica?.state !== 'Leader' || replica.context.leaderEpoch !== leaderEpoch) continue;
      const shard = this.createShard(partition, leaderEpoch);
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
    const problem: ErrorName | undefined = shard === undefined ? 'NOT_COORDINATOR' : shardRefusal(shard.state);
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

  /**
   * Asks the controller for `__consumer_offsets`, once at a time; FindCoordinator is retried by clients meanwhile,
   * and each retry asks again, of the controller known then: so a NOT_CONTROLLER answer or a lost controller
   * (KRaft failover) is retried at the new one, and nothing is sent while no controller is known.
   */
  private createOffsetsTopic(): void {
    if (this.creatingOffsetsTopic) return;
    const url = this.options.controllerUrl();
    if (url === undefined) return;
    this.creatingOffsetsTopic = true;
    const config = this.options.topicConfig;
    this.options.peers.request(
      url,
      'createTopics',
      {
        topics: [
          {
            name: OFFSETS_TOPIC,
            numPartitions: config.offsetsTopicNumPartitions,
            // Kafka's number as configured, never lowered here: a cluster with fewer brokers is refused by the controller
            // (INVALID_REPLICATION_FACTOR) and FindCoordinator keeps answering COORDINATOR_NOT_AVAILABLE until enough have registered.
            replicationFactor: config.offsetsTopicReplicationFactor,
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
        if (errorCode === errorByName('NOT_CONTROLLER').code) {
          // The controller moved (KRaft): the client's next FindCoordinator asks the new one; nothing to warn about.
          this.options.logger.debug({ error: result.ok ? result.body.topics[0]?.errorMessage : result.error.message }, `${OFFSETS_TOPIC} creation refused: NOT_CONTROLLER`);
        } else if (errorCode !== 0 && errorCode !== errorByName('TOPIC_ALREADY_EXISTS').code) {
          const errorName = errorByCode(errorCode)?.name ?? `error ${errorCode}`;
          const error = (result.ok ? result.body.topics[0]?.errorMessage : result.error.message) ?? null;
          // Clients retry FindCoordinator every retry.backoff.ms: the same refusal is said once, not every time.
          const said = `${errorName}: ${error}`;
          if (said === this.lastCreationRefusal) return;
          this.lastCreationRefusal = said;
          const hint =
            errorName === 'INVALID_REPLICATION_FACTOR'
              ? ` with offsets.topic.replication.factor=${config.offsetsTopicReplicationFactor} (${error}); this can be ignored while the cluster is starting and not every broker is up yet`
              : ` (${error})`;
          this.options.logger.warn({ errorCode, errorName, error }, `could not create ${OFFSETS_TOPIC}: ${errorName}${hint}`);
        } else {
          this.lastCreationRefusal = null;
          this.options.logger.info({ partitions: config.offsetsTopicNumPartitions, replicationFactor: config.offsetsTopicReplicationFactor }, `${OFFSETS_TOPIC} created`);
        }
      },
    );
  }

  private listGroups(request: RequestBody<'listGroups'>): ResponseBody<'listGroups'> {
    // As Kafka's handleListGroups: while a partition is loading the list would be incomplete, so the admin asks again.
    if ([...this.shards.values()].some((shard) => shard.state === 'LOADING')) return { throttleTimeMs: 0, errorCode: errorByName('COORDINATOR_LOAD_IN_PROGRESS').code, groups: [] };
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
        if (shard === undefined || shard.state !== 'ACTIVE') return describeGroupAnswer(groupId, undefined, shard === undefined ? 'NOT_COORDINATOR' : (shardRefusal(shard.state) ?? 'NOT_COORDINATOR'));
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
      if (shard === undefined || shard.state !== 'ACTIVE') done(index, shard === undefined ? 'NOT_COORDINATOR' : (shardRefusal(shard.state) ?? 'NOT_COORDINATOR'));
      else shard.deleteGroup(groupId, (errorName) => done(index, errorName));
    });
  }

  private createShard(partition: number, leaderEpoch: number): GroupCoordinatorShard {
    const { partitions, clock } = this.options;
    return new GroupCoordinatorShard({
      brokerId: this.options.brokerId,
      partition,
      leaderEpoch,
      clock,
      logger: this.options.logger.child({ actor: `coordinator-${partition}` }),
      responder: this.options.responder,
      limits: this.options.limits,
      uniqueId: () => this.options.ids.next(),
      loadSource: () => {
        const view = partitions.view(OFFSETS_TOPIC, partition);
        if (view === undefined) return undefined;
        const log = view.context.ports.log;
        return { startOffset: log.logStartOffset, endOffset: log.logEndOffset, readChunk: (fromOffset, endOffset) => readGroupRecordChunk(log, fromOffset, endOffset) };
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

/** What a request to a shard that is not serving gets (CoordinatorRuntime's withActiveContextOrThrow). */
function shardRefusal(state: GroupCoordinatorShard['state']): ErrorName | undefined {
  switch (state) {
    case 'LOADING':
      return 'COORDINATOR_LOAD_IN_PROGRESS';
    case 'CLOSED':
    case 'FAILED':
      return 'NOT_COORDINATOR';
    case 'ACTIVE':
      return undefined;
  }
}
