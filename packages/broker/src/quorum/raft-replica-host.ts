/**
 * Runs one node's KRaft replica of `__cluster_metadata`-0 (Kafka's KafkaRaftClient with its NetworkChannel and
 * RaftManager; KIP-595): the Raft replica statechart (raft/raft-replica.machine.ts) on the node's clock, its
 * `quorum-state` in storage's durable store and its log over the node's PartitionLog. The chart decides; this class
 * executes: it sends the chart's `raft.send.*` messages to the voters through the node's PeerRequester and turns
 * their answers (or their failures: `raft.request.failed`) back into events, serves the Raft requests the node
 * routes to it and answers each through the Responder, appends the controller's records as the leader, and tells
 * the node what was committed, who leads and how far each replica has applied (quorum-notices.ts).
 *
 * Correlation: Vote, BeginQuorumEpoch and EndQuorumEpoch are answered within the same event; a Fetch may be held by
 * the leader and answered later, so the held requests wait in arrival order per fetching replica.
 */
import type { ApiName, BrokerConfig, RequestBody, ResponseBody } from '@kactor/protocol';
import { wireError } from '@kactor/protocol';
import { actorIds, type Clock, type InboundRequest, type Logger, type PeerRequester, type Random, type RequestRef, type Responder, type RpcResult } from '@kactor/runtime';
import { MemorySnapshotStore, type PartitionLog, type QuorumStateStore, type SnapshotId, type SnapshotStore } from '@kactor/storage';
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import { encodeMetadataBatch, METADATA_TOPIC } from '../controller/metadata-log.js';
import type { MetadataRecord } from '../controller/metadata-records.js';
import { isUnauthorizedFollowerFetch, unauthorizedFollowerFetchResponse } from '../node/follower-fetch-authorization.js';
import { partitionLogRaftPort } from '../raft/partition-log-raft-port.js';
import { leaderIdOfQuorum, type QuorumState } from '../raft/quorum-state.js';
import { raftReplicaMachine } from '../raft/raft-replica.machine.js';
import type { RaftReplicaEmitted, RaftReplicaEvent, RaftRequestApi } from '../raft/raft-replica-ports.js';
import { describeQuorumResponse, isMetadataPartitionRequest, unknownPartitionResponse } from './describe-quorum-response.js';
import { quorumStateDataOf, readElectionState } from './election-state-store.js';
import { NotLeaderError } from './not-leader-error.js';
import { QuorumNotices, type CommittedMetadata, type LeaderChange, type ReplicaProgress } from './quorum-notices.js';
import { admitFetchSnapshotRequest, fetchSnapshotAnswerOf, fetchSnapshotErrorBody, fetchSnapshotRequestBody, fetchSnapshotResponseBody } from './fetch-snapshot-response.js';
import * as wire from './raft-wire.js';

export type { CommittedMetadata, LeaderChange, ReplicaProgress } from './quorum-notices.js';

/** The requests the chart answers within the event that delivers them. */
type AnsweredWithin = 'vote' | 'beginQuorumEpoch' | 'endQuorumEpoch' | 'fetchSnapshot';

/** How many bytes one Fetch answer of the metadata log reads at most (Kafka's KafkaRaftClient.MAX_FETCH_SIZE_BYTES, 8 MiB). */
export const RAFT_MAX_FETCH_BYTES = 8 * 1024 * 1024;

export interface RaftReplicaHostOptions {
  readonly nodeId: number;
  readonly clusterId: string;
  /** `controller.quorum.voters`: the voters and where they listen. */
  readonly voters: ReadonlyArray<{ readonly id: number; readonly url: string }>;
  /** Reads the `controller.quorum.*` timers. */
  readonly config: BrokerConfig;
  /** `__cluster_metadata`-0, opened by the node. */
  readonly log: PartitionLog;
  /** The snapshots beside it (KIP-630); none kept when absent (tests of the replica alone). */
  readonly snapshots?: SnapshotStore | undefined;
  readonly quorumState: QuorumStateStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly peers: PeerRequester;
  readonly responder: Responder;
  readonly inspect?: ((event: InspectionEvent) => void) | undefined;
  /** The most bytes of the log one Fetch answer carries (its first batch always goes whole); RAFT_MAX_FETCH_BYTES by default. */
  readonly maxFetchBytes?: number | undefined;
  onCommitted(batch: CommittedMetadata): void;
  /** A snapshot fetched from the leader replaced the log (KIP-630): reload the state from it. */
  onSnapshotInstalled?(id: SnapshotId): void;
  onLeaderChanged(change: LeaderChange): void;
  /** Leader only: `replicaId` has applied every committed record up to `appliedOffset`. */
  onReplicaProgress(progress: ReplicaProgress): void;
  onFatalError(error: unknown): void;
}

const QUORUM_APIS: ReadonlySet<ApiName> = new Set<ApiName>(['vote', 'beginQuorumEpoch', 'endQuorumEpoch', 'describeQuorum', 'fetchSnapshot']);

export class RaftReplicaHost {
  private actor: Actor<typeof raftReplicaMachine> | undefined;
  private status: 'new' | 'running' | 'shutting-down' | 'stopped' = 'new';
  private readonly notices: QuorumNotices;
  /** The Vote / BeginQuorumEpoch / EndQuorumEpoch being handled: its answer is emitted within the same event. */
  private answering: { readonly api: AnsweredWithin; readonly from: number; readonly ref: RequestRef } | undefined;
  /** Fetches waiting for the chart's answer, per fetching replica, oldest first. */
  private readonly heldFetches = new Map<number, RequestRef[]>();
  private appendOutcome: { readonly baseOffset: number; readonly lastOffset: number } | 'rejected' | undefined;
  private shutdownDone: (() => void) | undefined;
  /**
   * The latest request per (api, replica): only its answer is expected (Kafka's RequestManager.isResponseExpected).
   * When the chart asks again before an answer came (it re-entered a state), the older answer is dropped, so a
   * follower never appends the same records twice.
   */
  private readonly expectedAnswers = new Map<string, number>();
  private requestSequence = 0;
  private snapshotStore: SnapshotStore | undefined;

  constructor(private readonly options: RaftReplicaHostOptions) {
    this.notices = new QuorumNotices(options.clock, options.log, options, (error) => this.fail(error));
  }

  start(): void {
    if (this.status !== 'new') throw new Error('the Raft replica host was already started');
    const { options } = this;
    const { config, clock } = options;
    const actor = createActor(raftReplicaMachine, {
      id: actorIds.raft(options.nodeId),
      clock,
      inspect: options.inspect,
      input: {
        config: {
          localId: options.nodeId,
          voters: options.voters.map((voter) => ({ id: voter.id, endpoints: [voter.url] })),
          electionTimeoutMs: config.controllerQuorumElectionTimeoutMs,
          fetchTimeoutMs: config.controllerQuorumFetchTimeoutMs,
        },
        clusterId: options.clusterId,
        electionBackoffMaxMs: config.controllerQuorumElectionBackoffMaxMs,
        retryBackoffMs: config.controllerQuorumRetryBackoffMs,
        ...optional('stored', readElectionState(options.quorumState)),
        ports: {
          persist: (election) => options.quorumState.write(quorumStateDataOf(election)),
          random: (bound) => options.random.nextInt(bound),
          now: () => clock.now(),
          log: partitionLogRaftPort(options.log, { now: () => clock.now(), maxFetchBytes: this.maxFetchBytes, snapshots: this.snapshots }),
        },
      },
    });
    this.actor = actor;
    this.status = 'running';
    actor.on('*', (emitted) => this.onEmitted(emitted));
    actor.subscribe({ error: (error) => this.fail(error) });
    actor.start();
  }

  handles(api: ApiName, body: unknown): boolean {
    if (QUORUM_APIS.has(api)) return true;
    if (api !== 'fetch') return false;
    const topics = (body as RequestBody<'fetch'>).topics;
    return topics.length === 1 && topics[0]?.topic === METADATA_TOPIC;
  }

  handle(request: InboundRequest): void {
    const { ref } = request;
    if (this.status !== 'running' && this.status !== 'shutting-down') {
      this.options.responder.respondError(ref, wireError('BROKER_NOT_AVAILABLE', 'the metadata quorum replica of this node is not running'));
      return;
    }
    switch (request.api) {
      case 'vote':
        return this.handleVote(ref, request.body);
      case 'beginQuorumEpoch':
        return this.handleQuorumEpoch('beginQuorumEpoch', ref, wire.admitBeginQuorumEpochRequest(this.options.clusterId, request.body), (from, begin) => ({
          type: 'raft.begin-quorum-epoch.request',
          from,
          request: begin,
        }));
      case 'endQuorumEpoch':
        return this.handleQuorumEpoch('endQuorumEpoch', ref, wire.admitEndQuorumEpochRequest(this.options.clusterId, request.body), (from, end) => ({
          type: 'raft.end-quorum-epoch.request',
          from,
          request: end,
        }));
      case 'fetch':
        return this.handleFetch(ref, request.body);
      case 'describeQuorum':
        return this.respond(ref, 'describeQuorum', isMetadataPartitionRequest(request.body) ? this.describe() : unknownPartitionResponse(request.body));
      case 'fetchSnapshot':
        return this.handleFetchSnapshot(ref, request.body);
      default:
        this.options.responder.respondError(ref, wireError('INVALID_REQUEST', `${request.api} is not a metadata quorum request`));
    }
  }

  /**
   * The node loaded the snapshot `endOffset` (KIP-630) before starting the replica: committed records are told from
   * there on, and a log that ends before it (lost with unflushed data) starts again empty at it, as Kafka's
   * KafkaMetadataLog truncates to the latest snapshot.
   */
  snapshotLoaded(endOffset: number): void {
    if (this.status !== 'new') throw new Error('a snapshot is loaded before the Raft replica starts (or installed by it)');
    if (this.options.log.logEndOffset < endOffset) this.options.log.truncateFullyAndStartAt(endOffset);
    this.notices.skipTo(endOffset);
  }

  /** Appends `records` as one batch through the leader's chart; throws NotLeaderError unless this node leads. */
  append(records: readonly MetadataRecord[], timestampMs: number): { baseOffset: number; lastOffset: number } {
    if (records.length === 0) {
      this.assertLeading();
      return { baseOffset: this.logEndOffset, lastOffset: this.logEndOffset - 1 };
    }
    return this.appendBatches(encodeMetadataBatch(records, timestampMs));
  }

  /**
   * Appends already encoded record batches (the controller's, as it writes them to any metadata log) through the leader's
   * chart; throws NotLeaderError unless this node leads.
   */
  appendBatches(batches: Uint8Array): { baseOffset: number; lastOffset: number } {
    this.assertLeading();
    this.appendOutcome = undefined;
    this.send({ type: 'raft.append', records: batches });
    const outcome = this.takeAppendOutcome();
    if (outcome === 'rejected') throw this.notLeader();
    if (outcome === undefined) throw new Error('append reached the metadata quorum replica while it was handling another event; append from outside its notices');
    return { ...outcome };
  }

  private assertLeading(): void {
    if (this.actor === undefined || this.status !== 'running' || this.quorum()?.state.name !== 'Leader') throw this.notLeader();
  }

  /** What the chart emitted for the append just sent (read through a method: the send changed it). */
  private takeAppendOutcome(): { readonly baseOffset: number; readonly lastOffset: number } | 'rejected' | undefined {
    const outcome = this.appendOutcome;
    this.appendOutcome = undefined;
    return outcome;
  }

  private get snapshots(): SnapshotStore {
    this.snapshotStore ??= this.options.snapshots ?? new MemorySnapshotStore();
    return this.snapshotStore;
  }

  private get maxFetchBytes(): number {
    return this.options.maxFetchBytes ?? RAFT_MAX_FETCH_BYTES;
  }

  get logEndOffset(): number {
    return this.options.log.logEndOffset;
  }

  leader(): { leaderId: number | undefined; epoch: number } {
    const quorum = this.quorum();
    return { leaderId: quorum === undefined ? undefined : leaderIdOfQuorum(quorum), epoch: quorum?.state.epoch ?? 0 };
  }

  /** Whether this replica is the Raft leader now. */
  isLeader(): boolean {
    return this.quorum()?.state.name === 'Leader';
  }

  urlOf(nodeId: number): string | undefined {
    return this.options.voters.find((voter) => voter.id === nodeId)?.url;
  }

  describe(): ResponseBody<'describeQuorum'> {
    return describeQuorumResponse(this.quorum(), this.options.clock.now(), this.options.voters);
  }

  /**
   * Graceful stop: a Leader resigns (EndQuorumEpoch to the other voters) before the replica stops; bounded by
   * `controller.quorum.request.timeout.ms` in case the chart never says it is done.
   */
  async shutdown(): Promise<void> {
    if (this.status !== 'running') return;
    this.status = 'shutting-down';
    await new Promise<void>((resolve) => {
      const timer = this.options.clock.setTimeout(() => this.shutdownDone?.(), this.options.config.controllerQuorumRequestTimeoutMs);
      this.shutdownDone = () => {
        this.options.clock.clearTimeout(timer);
        this.shutdownDone = undefined;
        resolve();
      };
      this.send({ type: 'raft.shutdown' });
    });
    this.stop();
    // Nobody will answer the held fetches any more: their replicas back off and look for the next leader.
    for (const refs of this.heldFetches.values()) for (const ref of refs) this.respond(ref, 'fetch', wire.fetchErrorBody('BROKER_NOT_AVAILABLE'));
    this.heldFetches.clear();
  }

  /** A crash: everything stops at once and nothing more is sent or answered. */
  halt(): void {
    this.stop();
    this.heldFetches.clear();
    this.answering = undefined;
  }

  private stop(): void {
    if (this.status === 'stopped') return;
    this.status = 'stopped';
    this.notices.stop();
    this.actor?.stop();
    this.shutdownDone?.();
  }

  private fail(error: unknown): void {
    if (this.status === 'stopped') return;
    this.options.logger.error({ err: error }, 'metadata quorum replica failed');
    this.halt();
    this.options.onFatalError(error);
  }

  private quorum(): QuorumState | undefined {
    return this.actor?.getSnapshot().context.quorum;
  }

  private notLeader(): NotLeaderError {
    const { leaderId, epoch } = this.leader();
    return new NotLeaderError(leaderId === this.options.nodeId ? undefined : leaderId, epoch);
  }

  private send(event: RaftReplicaEvent): void {
    if (this.status === 'stopped') return;
    this.actor?.send(event);
  }

  private respond<A extends ApiName>(ref: RequestRef, api: A, body: ResponseBody<A>): void {
    this.options.responder.respond({ ...ref, api } as RequestRef & { readonly api: A }, body);
  }

  private isVoter(id: number): boolean {
    return this.options.voters.some((voter) => voter.id === id);
  }

  private handleVote(ref: RequestRef, body: RequestBody<'vote'>): void {
    const admitted = wire.admitVoteRequest(this.options.clusterId, body);
    if (!admitted.ok) return this.respond(ref, 'vote', wire.voteErrorBody(admitted.errorCode));
    const { from, request } = admitted.value;
    // A static quorum (controller.quorum.voters): only a voter may ask for votes (Kafka before KIP-853).
    if (!this.isVoter(from)) return this.respond(ref, 'vote', wire.voteResponseBody({ errorCode: 'INCONSISTENT_VOTER_SET', voteGranted: false, ...this.leaderOnWire() }));
    this.answerWithin('vote', from, ref, { type: 'raft.vote.request', from, request });
  }

  private handleQuorumEpoch<R>(
    api: 'beginQuorumEpoch' | 'endQuorumEpoch',
    ref: RequestRef,
    admitted: wire.Admitted<{ from: number; request: R }>,
    toEvent: (from: number, request: R) => RaftReplicaEvent,
  ): void {
    if (!admitted.ok) return this.respond(ref, api, wire.quorumEpochErrorBody(admitted.errorCode));
    const { from, request } = admitted.value;
    // Only a voter of the static quorum leads (or resigns); anyone else is misconfigured (Kafka before KIP-853).
    if (!this.isVoter(from)) return this.respond(ref, api, wire.quorumEpochResponseBody({ errorCode: 'INCONSISTENT_VOTER_SET', ...this.leaderOnWire() }));
    this.answerWithin(api, from, ref, toEvent(from, request));
  }

  /** FetchSnapshot (KIP-630): admitted here (cluster id, partition), answered by the chart within the same event. */
  private handleFetchSnapshot(ref: RequestRef, body: RequestBody<'fetchSnapshot'>): void {
    const admitted = admitFetchSnapshotRequest(this.options.clusterId, body);
    if (!admitted.ok) return this.respond(ref, 'fetchSnapshot', fetchSnapshotErrorBody(admitted.errorCode));
    const { from, request } = admitted.value;
    this.answerWithin('fetchSnapshot', from, ref, { type: 'raft.fetch-snapshot.request', from, request });
  }

  /** Sends `event` and answers `ref` with the answer the chart emits for it; a chart that said nothing gets an error. */
  private answerWithin(api: AnsweredWithin, from: number, ref: RequestRef, event: RaftReplicaEvent): void {
    this.answering = { api, from, ref };
    this.send(event);
    if (this.answering === undefined) return;
    this.answering = undefined;
    this.options.responder.respondError(ref, wireError('BROKER_NOT_AVAILABLE', 'the metadata quorum replica did not answer'));
  }

  private handleFetch(ref: RequestRef, body: RequestBody<'fetch'>): void {
    if (isUnauthorizedFollowerFetch(body, ref.principal)) return this.respond(ref, 'fetch', unauthorizedFollowerFetchResponse(body));
    const admitted = wire.admitFetchRequest(this.options.clusterId, body);
    if (!admitted.ok) return this.respond(ref, 'fetch', wire.fetchErrorBody(admitted.errorCode));
    const { from, request } = admitted.value;
    const held = this.heldFetches.get(from) ?? [];
    held.push(ref);
    this.heldFetches.set(from, held);
    this.send({ type: 'raft.fetch.request', from, request });
  }

  private leaderOnWire(): { leaderId: number; leaderEpoch: number } {
    const { leaderId, epoch } = this.leader();
    return { leaderId: leaderId ?? -1, leaderEpoch: epoch };
  }

  private onEmitted(emitted: RaftReplicaEmitted): void {
    switch (emitted.type) {
      case 'raft.send.vote':
        return this.request(emitted.to, 'vote', wire.voteRequestBody(emitted.request), (body) => {
          const response = wire.voteResponseOf(emitted.to, body);
          return response === undefined ? undefined : { type: 'raft.vote.response', response };
        });
      case 'raft.send.begin-quorum-epoch':
        return this.request(emitted.to, 'beginQuorumEpoch', wire.beginQuorumEpochRequestBody(emitted.request, this.urlOf(emitted.request.leaderId)), (body) => {
          const response = wire.quorumEpochAnswerOf(body);
          return response === undefined ? undefined : { type: 'raft.begin-quorum-epoch.response', from: emitted.to, response };
        });
      case 'raft.send.end-quorum-epoch':
        return this.request(emitted.to, 'endQuorumEpoch', wire.endQuorumEpochRequestBody(emitted.request, this.urlOf(emitted.request.leaderId)), (body) => {
          const response = wire.quorumEpochAnswerOf(body);
          return response === undefined ? undefined : { type: 'raft.end-quorum-epoch.response', from: emitted.to, response };
        });
      case 'raft.send.fetch':
        return this.request(emitted.to, 'fetch', wire.fetchRequestBody(emitted.request, this.maxFetchBytes), (body) => {
          const response = wire.fetchAnswerOf(body);
          return response === undefined ? undefined : { type: 'raft.fetch.response', from: emitted.to, response };
        });
      case 'raft.send.fetch-snapshot':
        return this.request(emitted.to, 'fetchSnapshot', fetchSnapshotRequestBody(emitted.request, this.maxFetchBytes), (body) => {
          const response = fetchSnapshotAnswerOf(body);
          return response === undefined ? undefined : { type: 'raft.fetch-snapshot.response', from: emitted.to, response };
        });
      case 'raft.snapshot-installed':
        return this.notices.snapshotInstalled({ endOffset: emitted.snapshotId.offset, epoch: emitted.snapshotId.epoch });
      case 'raft.send.vote-answer':
        return this.answer('vote', emitted.to, wire.voteResponseBody(emitted.response));
      case 'raft.send.begin-quorum-epoch-answer':
        return this.answer('beginQuorumEpoch', emitted.to, wire.quorumEpochResponseBody(emitted.response));
      case 'raft.send.end-quorum-epoch-answer':
        return this.answer('endQuorumEpoch', emitted.to, wire.quorumEpochResponseBody(emitted.response));
      case 'raft.send.fetch-snapshot-answer':
        return this.answer('fetchSnapshot', emitted.to, fetchSnapshotResponseBody(emitted.response));
      case 'raft.send.fetch-answer': {
        const ref = this.heldFetches.get(emitted.to)?.shift();
        if (this.heldFetches.get(emitted.to)?.length === 0) this.heldFetches.delete(emitted.to);
        if (ref === undefined) return void this.options.logger.warn({ to: emitted.to }, 'a Fetch answer for no held Fetch');
        return this.respond(ref, 'fetch', wire.fetchResponseBody(emitted.response, this.options.log.logStartOffset));
      }
      case 'raft.appended':
        this.appendOutcome = { baseOffset: emitted.baseOffset, lastOffset: emitted.lastOffset };
        return;
      case 'raft.append-rejected':
        this.appendOutcome = 'rejected';
        return;
      case 'raft.high-watermark':
        return this.notices.highWatermark(emitted.highWatermark);
      case 'raft.leader-changed':
        return this.notices.leaderChanged({ leaderId: emitted.leaderId, epoch: emitted.epoch, isLocal: emitted.isLocal, epochStartOffset: emitted.epochStartOffset });
      case 'raft.replica-progress':
        // A fetcher that reports high watermark H has applied everything below it (KIP-1166).
        if (emitted.highWatermark !== undefined && emitted.highWatermark > 0) this.notices.progress({ replicaId: emitted.replicaId, appliedOffset: emitted.highWatermark - 1 });
        return;
      case 'raft.shutdown-complete':
        return this.shutdownDone?.();
    }
  }

  private answer<A extends AnsweredWithin>(api: A, to: number, body: ResponseBody<A>): void {
    const answering = this.answering;
    if (answering === undefined || answering.api !== api || answering.from !== to) return void this.options.logger.warn({ api, to }, 'an answer for no request being handled');
    this.answering = undefined;
    this.respond(answering.ref, api, body);
  }

  /**
   * Sends one Raft request to a voter; its answer becomes the event `toEvent` makes, and no usable answer (timeout,
   * disconnect, an error frame, a top-level error) becomes `raft.request.failed`. An answer to a request superseded
   * by a newer one to the same replica is dropped.
   */
  private request<A extends RaftRequestApi>(to: number, api: A, body: RequestBody<A>, toEvent: (body: ResponseBody<A>) => RaftReplicaEvent | undefined): void {
    const url = this.urlOf(to);
    const failed: RaftReplicaEvent = { type: 'raft.request.failed', to, api };
    if (url === undefined) {
      this.options.logger.warn({ to, api }, 'no URL for this replica: not a voter');
      return this.send(failed);
    }
    const key = `${api}:${to}`;
    const sequence = ++this.requestSequence;
    this.expectedAnswers.set(key, sequence);
    const onResult = (result: RpcResult<A>): void => {
      if (this.status === 'stopped' || this.expectedAnswers.get(key) !== sequence) return;
      this.expectedAnswers.delete(key);
      const event = result.ok ? toEvent(result.body) : undefined;
      if (!result.ok) this.options.logger.debug({ to, api, error: result.error.name }, 'quorum request failed');
      this.send(event ?? failed);
    };
    this.options.peers.request(url, api, body, onResult, { timeoutMs: this.options.config.controllerQuorumRequestTimeoutMs });
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
