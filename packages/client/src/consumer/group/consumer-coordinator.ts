/**
 * The consumer's side of its group (Kafka's `ConsumerCoordinator`): runs the membership machine, does on
 * the application's turn what Kafka does on the application thread (revocation with auto-commit and
 * the rebalance listener before a rejoin, applying a new assignment, auto-commits during poll), fetches
 * committed offsets for newly assigned partitions, and commits.
 *
 * The machine runs on its own (heartbeats, timers and answers arrive as events); this class only reads
 * its snapshot and sends it what the application did. Everything the application sees (listener calls,
 * lifecycle events, errors) happens inside its own calls: poll(), commitSync(), unsubscribe(), close().
 *
 * COOPERATIVE rebalancing (KIP-429) changes only what is revoked and when: the consumer keeps fetching
 * and delivering its partitions while the member rejoins, gives up the partitions of topics it no longer
 * subscribes to before a JoinGroup and, after a SyncGroup, those the assignment took away (then the
 * member rejoins for the second round). It also keeps the record of its own rebalances
 * (`rebalances()`, and a `rebalance` event for each).
 */
import type { ConsumerConfig } from '@kactor/protocol';
import { actorIds, type Logger, type RpcResult } from '@kactor/runtime';
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import type { ClientRuntime } from '../../client-runtime.js';
import { ASSIGNOR_NAMES } from '@kactor/assignors';
import { KafkaClientError, RebalanceListenerError } from '../../errors.js';
import { InFlight } from '../../internal/in-flight.js';
import type { Signal } from '../../internal/signal.js';
import type { ClusterClient } from '../../network/cluster-client.js';
import type { TopicPartition } from '../../topic-partition.js';
import type { ConsumerEvents, ConsumerRebalanceListener } from '../consumer-events.js';
import type { Fetcher } from '../fetcher.js';
import type { SubscriptionState } from '../subscription-state.js';
import { availableAssignors } from './assignor-adapter.js';
import { consumerGroupMachine } from './consumer-group.machine.js';
import { assignmentChange, partitionsMinus, partitionsOfUnsubscribedTopics, rebalanceProtocolOf, type RebalanceProtocol } from './cooperative.js';
import { GroupCommits, type CommitCallback } from './group-commits.js';
import { FencedInstanceIdError } from './group-errors.js';
import type { CommittedOffset, TopicPartitionOffset } from './group-offsets.js';
import type { ConsumerGroupPorts, ConsumerGroupStateName, GroupApi } from './group-types.js';
import { OffsetsClient } from './offsets-client.js';
import { RebalanceRecorder, type RebalanceRecord } from './rebalance-record.js';

export type { CommitCallback } from './group-commits.js';

export interface ConsumerCoordinatorOptions {
  readonly groupId: string;
  readonly clientId: string;
  readonly config: ConsumerConfig;
  readonly cluster: ClusterClient;
  readonly subscriptions: SubscriptionState;
  readonly fetcher: Fetcher;
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  readonly signal: Signal;
  readonly events: ConsumerEvents;
  /** Whether the partitions come from the group (subscribe) rather than from assign(). */
  readonly autoAssigned: () => boolean;
}

type GroupSnapshot = SnapshotFrom<typeof consumerGroupMachine>;

export function groupStateName(snapshot: GroupSnapshot): ConsumerGroupStateName {
  const value = snapshot.value;
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as ConsumerGroupStateName;
}

export class ConsumerCoordinator {
  private readonly actor: Actor<typeof consumerGroupMachine>;
  private readonly offsets: OffsetsClient;
  private listener: ConsumerRebalanceListener = {};
  /** The generation whose assignment the application holds (-1: none). */
  private appliedGeneration = -1;
  /** Bumped whenever the assignment changes, so a committed-offset answer for an older one is dropped. */
  private assignmentVersion = 0;
  private lastState: ConsumerGroupStateName = 'unjoined';
  private revoking = false;
  private committedLookup: Promise<void> | null = null;
  private nextAutoCommitMs: number;
  private readonly commits: GroupCommits;
  /** Asynchronous commits and LeaveGroups under way, which close() waits for. */
  private readonly inFlight = new InFlight();
  private reportedError: unknown;
  private deferredError: unknown;
  private closed = false;
  private readonly recorder = new RebalanceRecorder();
  /** Renames the inspected actor after its member id; undefined when the actor is not inspected. */
  private readonly renameInspected: ((id: string) => void) | undefined;
  /** The member id the inspected actor is named after ('' while it goes by its client id). */
  private inspectedMemberId = '';
  readonly rebalanceProtocol: RebalanceProtocol;

  constructor(private readonly options: ConsumerCoordinatorOptions) {
    const { config, runtime, cluster, logger } = options;
    const assignors = availableAssignors(config.partitionAssignmentStrategy);
    if (assignors.length === 0) {
      throw new KafkaClientError(`none of partition.assignment.strategy (${config.partitionAssignmentStrategy.join(', ')}) is available: kactor has ${ASSIGNOR_NAMES.join(', ')}`);
    }
    this.rebalanceProtocol = rebalanceProtocolOf(assignors);
    this.nextAutoCommitMs = runtime.clock.now() + config.autoCommitIntervalMs;
    const ports: ConsumerGroupPorts = {
      clock: runtime.clock,
      random: runtime.random,
      logger,
      findCoordinator: (body, onResult) => cluster.send(cluster.anyBrokerUrl(), 'findCoordinator', body, onResult, { timeoutMs: config.requestTimeoutMs }),
      request: (url, api, body, onResult, requestOptions) => this.send(url, api, body, onResult, requestOptions?.timeoutMs),
      partitionCount: (topic) => cluster.partitionCount(topic),
    };
    this.actor = createActor(consumerGroupMachine, {
      id: actorIds.consumer(options.groupId, options.clientId),
      clock: runtime.clock,
      inspect: runtime.inspect,
      input: {
        settings: {
          groupId: options.groupId,
          groupInstanceId: config.groupInstanceId,
          clientId: options.clientId,
          sessionTimeoutMs: config.sessionTimeoutMs,
          heartbeatIntervalMs: config.heartbeatIntervalMs,
          maxPollIntervalMs: config.maxPollIntervalMs,
          retryBackoffMs: config.retryBackoffMs,
          retryBackoffMaxMs: config.retryBackoffMaxMs,
          requestTimeoutMs: config.requestTimeoutMs,
          assignors: assignors.map((assignor) => assignor.name),
          rebalanceProtocol: this.rebalanceProtocol,
        },
        ports,
      },
    });
    const rename = runtime.inspect === undefined ? undefined : runtime.renameInspectedActor;
    this.renameInspected = rename === undefined ? undefined : (id) => rename(this.actor, id);
    this.actor.subscribe((snapshot) => this.onSnapshot(snapshot));
    this.actor.start();
    const offsets = new OffsetsClient({
      cluster,
      groupId: options.groupId,
      groupInstanceId: config.groupInstanceId,
      runtime,
      logger,
      backoff: { initialMs: config.retryBackoffMs, maxMs: config.retryBackoffMaxMs },
      requestTimeoutMs: config.requestTimeoutMs,
      requireStable: config.isolationLevel === 'read_committed',
      isClosed: () => this.closed,
      coordinator: {
        current: () => this.actor.getSnapshot().context.coordinator,
        discovered: (coordinator) => this.sendToMachine({ type: 'coordinator.discovered', coordinator }),
        lost: (url, reason) => this.sendToMachine({ type: 'coordinator.lost', url, reason }),
      },
    });
    this.offsets = offsets;
    this.commits = new GroupCommits({
      offsets,
      subscriptions: options.subscriptions,
      runtime,
      logger,
      defaultApiTimeoutMs: config.defaultApiTimeoutMs,
      inFlight: this.inFlight,
      membership: () => this.membership,
      autoAssigned: options.autoAssigned,
      refused: (event) => this.sendToMachine(event),
    });
  }

  /** The membership's state, generation and member id, for tooling and tests. */
  get membership(): { state: ConsumerGroupStateName; generationId: number; memberId: string } {
    const snapshot = this.actor.getSnapshot();
    return { state: groupStateName(snapshot), generationId: snapshot.context.generationId, memberId: snapshot.context.memberId };
  }

  /** This member's rebalances, oldest first (at most MAX_REBALANCE_RECORDS), as copies. */
  rebalances(): RebalanceRecord[] {
    return this.recorder.all();
  }

  subscribe(topics: readonly string[], listener: ConsumerRebalanceListener): void {
    this.listener = listener;
    this.sendToMachine({ type: 'app.subscribe', topics });
  }

  /** Revokes (or loses) what the member owns, then leaves the group (Kafka's onLeavePrepare + maybeLeaveGroup). */
  async unsubscribe(): Promise<void> {
    const failure = await this.leavePrepare();
    this.sendToMachine({ type: 'app.unsubscribe' });
    this.listener = {};
    if (failure !== undefined) throw failure;
  }

  /** Tells the leader-side metadata check that metadata changed. */
  metadataUpdated(): void {
    this.sendToMachine({ type: 'metadata.updated' });
  }

  /** A manual assignment replaced the partitions: committed-offset answers for the old ones no longer apply. */
  assignmentChanged(): void {
    this.assignmentVersion += 1;
  }

  /**
   * The group's part of one poll() turn: run due commit callbacks, let the machine know the application
   * polled, revoke or apply an assignment when the machine waits for it, and auto-commit when due.
   * Throws what poll() must throw: a fatal group error, a listener's error, a failed offset lookup.
   */
  async poll(nowMs: number): Promise<void> {
    this.commits.runCallbacks();
    this.throwDeferred();
    if (this.options.autoAssigned()) {
      this.sendToMachine({ type: 'app.poll' });
      this.throwMachineErrors();
      const snapshot = this.actor.getSnapshot();
      if (snapshot.hasTag('revoking')) await this.revoke();
      else if (snapshot.matches('stable') && snapshot.context.generationId !== this.appliedGeneration) await this.applyAssignment();
    }
    this.maybeAutoCommit(nowMs);
  }

  /**
   * Starts the OffsetFetch for partitions waiting for their committed offset (one at a time); when it
   * answers, each gets its committed position, or auto.offset.reset applies where nothing is committed.
   */
  refreshCommittedOffsetsIfNeeded(nowMs: number): void {
    if (this.committedLookup !== null || this.closed) return;
    const waiting = this.options.subscriptions.partitionsAwaitingCommitted();
    if (waiting.length === 0) return;
    const version = this.assignmentVersion;
    const lookup = this.offsets.fetchCommitted(waiting, nowMs + this.options.config.defaultApiTimeoutMs).then(
      (committed) => {
        if (version !== this.assignmentVersion) return;
        const byKey = new Map(committed.map((entry) => [`${entry.topic}\u0000${entry.partition}`, entry]));
        for (const tp of waiting) {
          const entry = byKey.get(`${tp.topic}\u0000${tp.partition}`);
          this.options.subscriptions.completeCommittedLookup(tp, entry?.offset ?? null, entry?.leaderEpoch ?? -1);
        }
      },
      (error: unknown) => {
        // A lookup that ran out of time is tried again by the next poll(); anything else is the application's to see.
        if (error instanceof Error && 'retriable' in error && error.retriable === true) this.options.logger.debug({ err: error }, 'committed offsets not fetched yet; retrying');
        else this.deferredError ??= error;
      },
    );
    this.committedLookup = lookup;
    void lookup.finally(() => {
      this.committedLookup = null;
      this.options.signal.notify();
    });
  }

  commitSync(offsets: readonly TopicPartitionOffset[] | undefined, timeoutMs: number): Promise<void> {
    return this.commits.commitSync(offsets, timeoutMs);
  }

  commitAsync(offsets: readonly TopicPartitionOffset[] | undefined, callback: CommitCallback | undefined): void {
    this.commits.commitAsync(offsets, callback);
  }

  committed(partitions: readonly TopicPartition[], timeoutMs: number): Promise<CommittedOffset[]> {
    return this.commits.committed(partitions, timeoutMs);
  }

  /**
   * Kafka's close: auto-commit (sync), wait for asynchronous commits, revoke (or lose) the partitions,
   * send LeaveGroup and wait a little for it to go out. Rejects with a listener's error after closing.
   */
  async close(deadlineMs: number): Promise<void> {
    if (this.closed) return;
    const { clock } = this.options.runtime;
    // A member out of its group for good (fenced, refused) has no generation to commit in: the commit
    // could only fail, and its warning would bury the error the application already got from poll().
    const outForGood = this.actor.getSnapshot().context.fatalError !== undefined;
    if (this.options.config.enableAutoCommit && !outForGood) {
      try {
        await this.commitSync(undefined, Math.max(0, deadlineMs - clock.now()));
      } catch (error) {
        this.options.logger.warn({ err: error }, 'auto-commit on close failed');
      }
    }
    await this.inFlight.settle(clock, deadlineMs);
    const failure = this.options.autoAssigned() ? await this.leavePrepare() : undefined;
    this.sendToMachine({ type: 'app.close' });
    await this.inFlight.settle(clock, deadlineMs);
    this.commits.runCallbacks();
    this.closed = true;
    this.actor.stop();
    if (failure !== undefined) throw failure;
  }

  private onSnapshot(snapshot: GroupSnapshot): void {
    const to = groupStateName(snapshot);
    this.followMemberId(snapshot.context.memberId, to);
    if (to !== this.lastState) {
      const from = this.lastState;
      this.lastState = to;
      this.trackRebalance(from, to, snapshot);
      this.options.events.emit({ type: 'state', from, to, generation: snapshot.context.generationId, protocol: this.rebalanceProtocol });
    }
    this.options.signal.notify();
  }

  /**
   * Names the inspected actor after its member id, which is unique in the group where client ids often are
   * not (console consumers all default to `console-consumer`); back to the client id when the member id is
   * reset, unless the member is `dead` (closed or fenced for good): it ends under the last name it had.
   * Only on a change, so a member that keeps its id costs one string comparison per snapshot.
   */
  private followMemberId(memberId: string, state: ConsumerGroupStateName): void {
    if (this.renameInspected === undefined || memberId === this.inspectedMemberId) return;
    if (memberId === '' && state === 'dead') return;
    this.inspectedMemberId = memberId;
    this.renameInspected(actorIds.consumer(this.options.groupId, memberId === '' ? this.options.clientId : memberId));
  }

  /**
   * A rebalance starts when the member leaves `stable` (or starts joining) and ends when the consumer
   * applies an assignment in `stable` (see applyAssignment); leaving the group meanwhile ends it unfinished.
   */
  private trackRebalance(from: ConsumerGroupStateName, to: ConsumerGroupStateName, snapshot: GroupSnapshot): void {
    const nowMs = this.options.runtime.clock.now();
    const { context } = snapshot;
    if ((from === 'stable' || from === 'unjoined') && (to === 'joining' || to === 'rebalancing')) {
      this.recorder.start(nowMs, {
        trigger: context.rejoinTrigger,
        reason: context.rejoinReason,
        protocol: this.rebalanceProtocol,
        generation: this.appliedGeneration,
        owned: this.options.subscriptions.assignedPartitions(),
      });
    } else if (to === 'syncing') {
      this.recorder.joined(context.generationId);
    } else if (to === 'unjoined' || to === 'dead') {
      this.finishRebalance(false);
    }
  }

  private finishRebalance(completed: boolean): void {
    const record = this.recorder.finish(this.options.runtime.clock.now(), completed);
    if (record !== null) this.options.events.emit({ type: 'rebalance', record });
  }

  private sendToMachine(event: Parameters<Actor<typeof consumerGroupMachine>['send']>[0]): void {
    if (this.actor.getSnapshot().status === 'active') this.actor.send(event);
  }

  private send<A extends GroupApi>(url: string, api: A, body: Parameters<ConsumerGroupPorts['request']>[2], onResult: (result: RpcResult<A>) => void, timeoutMs: number | undefined): void {
    // LeaveGroup is tracked so that close() can wait for it to leave the process before the connections close.
    let settle: () => void = () => undefined;
    if (api === 'leaveGroup') this.inFlight.add(new Promise<void>((resolve) => (settle = resolve)));
    this.options.cluster.send(url, api, body as never, (result: RpcResult<A>) => {
      settle();
      onResult(result);
    }, timeoutMs === undefined ? undefined : { timeoutMs });
  }

  private throwDeferred(): void {
    if (this.deferredError === undefined) return;
    const error = this.deferredError;
    this.deferredError = undefined;
    throw error;
  }

  /** A fatal error is thrown by every poll(); a non-fatal one (an assignment that could not be computed) once. */
  private throwMachineErrors(): void {
    const { context } = this.actor.getSnapshot();
    if (context.fatalError !== undefined) throw context.fatalError;
    if (context.error !== undefined && context.error !== this.reportedError) {
      this.reportedError = context.error;
      throw context.error;
    }
  }

  private maybeAutoCommit(nowMs: number): void {
    const { config, logger } = this.options;
    if (!config.enableAutoCommit || nowMs < this.nextAutoCommitMs || this.closed) return;
    if (this.options.autoAssigned() && (this.appliedGeneration < 0 || !this.actor.getSnapshot().matches('stable'))) return;
    this.nextAutoCommitMs = nowMs + config.autoCommitIntervalMs;
    const offsets = this.options.subscriptions.allConsumed();
    if (offsets.length === 0) return;
    this.commitAsync(offsets, (error) => {
      if (error === null) return;
      // Fenced for good (KIP-345): poll() throws the same error next, so this is a detail, not a warning.
      if (error instanceof FencedInstanceIdError) logger.info({ error: error.message }, 'auto-commit of offsets failed: this group.instance.id was fenced');
      else logger.warn({ err: error }, 'auto-commit of offsets failed');
      // Kafka retries a retriable auto-commit failure after retry.backoff.ms instead of a whole interval.
      if ('retriable' in error && error.retriable === true) this.nextAutoCommitMs = Math.min(this.nextAutoCommitMs, this.options.runtime.clock.now() + config.retryBackoffMs);
    });
  }

  /**
   * The revocation the machine waits for, on the application's turn: Kafka's onJoinPrepare (EAGER: all;
   * COOPERATIVE: topics no longer subscribed; without a generation: all, lost) or, for COOPERATIVE,
   * onJoinComplete's revocation of what moved, with the new assignment applied. Then tells the machine
   * what the consumer still owns.
   */
  private async revoke(): Promise<void> {
    if (this.revoking) return;
    this.revoking = true;
    try {
      const { context } = this.actor.getSnapshot();
      const kind = context.revocation?.kind ?? 'all';
      const owned = this.options.subscriptions.assignedPartitions();
      const generation = this.appliedGeneration;
      const nowMs = () => this.options.runtime.clock.now();
      const autoCommit = this.options.config.enableAutoCommit;
      let failure: unknown;
      let remaining: TopicPartition[] = [];
      if (kind === 'lost') {
        if (owned.length > 0) failure = await this.notify('lost', owned, generation);
        this.recorder.lost(nowMs(), owned);
        this.dropAssignment();
      } else if (kind === 'all') {
        if (autoCommit) await this.autoCommitBeforeRevocation();
        failure = await this.notify('revoked', owned, generation);
        this.recorder.revoked(nowMs(), owned);
        this.dropAssignment();
      } else if (kind === 'unsubscribed') {
        const gone = partitionsOfUnsubscribedTopics(owned, context.subscription);
        if (autoCommit) await this.autoCommitBeforeRevocation();
        // KIP-429: onPartitionsRevoked runs only when something is revoked.
        if (gone.length > 0) failure = await this.notify('revoked', gone, generation);
        this.recorder.revoked(nowMs(), gone);
        remaining = partitionsMinus(owned, gone);
        this.keepOnly(remaining);
      } else {
        const change = assignmentChange(owned, context.assignment);
        // Committed before they move, so the new owner starts where this one stopped (Kafka leaves it to onPartitionsRevoked).
        if (autoCommit && change.revoked.length > 0) await this.autoCommitBeforeRevocation();
        if (change.revoked.length > 0) failure = await this.notify('revoked', change.revoked, generation);
        this.recorder.revoked(nowMs(), change.revoked);
        remaining = context.assignment.map((tp) => ({ topic: tp.topic, partition: tp.partition }));
        this.installAssignment(remaining, context.generationId, context.assignmentSnapshot);
        failure = (await this.notify('assigned', change.added, context.generationId)) ?? failure;
        this.recorder.assigned(nowMs(), change.added);
      }
      this.sendToMachine({ type: 'app.revocationDone', owned: remaining });
      if (failure !== undefined) throw new RebalanceListenerError('a rebalance listener callback failed', { cause: failure });
    } finally {
      this.revoking = false;
    }
  }

  /** Kafka's onLeavePrepare: the owned partitions are lost when the member has no generation (or is mid-rebalance), else revoked. */
  private async leavePrepare(): Promise<RebalanceListenerError | undefined> {
    const owned = this.options.subscriptions.assignedPartitions();
    let failure: unknown;
    if (this.options.autoAssigned() && owned.length > 0) {
      const snapshot = this.actor.getSnapshot();
      const state = groupStateName(snapshot);
      const lost = snapshot.context.generationId < 0 || snapshot.context.memberId === '' || state === 'joining' || state === 'syncing';
      failure = await this.notify(lost ? 'lost' : 'revoked', owned, this.appliedGeneration);
    }
    if (this.options.autoAssigned()) this.dropAssignment();
    return failure === undefined ? undefined : new RebalanceListenerError('a rebalance listener callback failed', { cause: failure });
  }

  private async autoCommitBeforeRevocation(): Promise<void> {
    try {
      await this.commitSync(undefined, this.options.config.maxPollIntervalMs);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'auto-commit before the rebalance failed; the next owner may read these records again');
    }
  }

  /**
   * Kafka's onJoinComplete: applies the generation's assignment. EAGER members own nothing by now, so
   * everything is added; COOPERATIVE members keep what they own (positions and buffered records stay)
   * and onPartitionsAssigned gets only what was added (even none, as Kafka calls it).
   */
  private async applyAssignment(): Promise<void> {
    const { context } = this.actor.getSnapshot();
    const partitions = context.assignment.map((tp) => ({ topic: tp.topic, partition: tp.partition }));
    const change = assignmentChange(this.options.subscriptions.assignedPartitions(), partitions);
    let failure: unknown;
    if (change.revoked.length > 0) {
      // Not expected: the machine revokes what moved before `stable`. Kept so the listener still sees every partition leave.
      failure = await this.notify('revoked', change.revoked, this.appliedGeneration);
      this.recorder.revoked(this.options.runtime.clock.now(), change.revoked);
    }
    this.installAssignment(partitions, context.generationId, context.assignmentSnapshot);
    failure = (await this.notify('assigned', change.added, context.generationId)) ?? failure;
    this.recorder.assigned(this.options.runtime.clock.now(), change.added);
    this.finishRebalance(true);
    this.options.signal.notify();
    if (failure !== undefined) throw new RebalanceListenerError('a rebalance listener callback failed', { cause: failure });
  }

  private installAssignment(partitions: TopicPartition[], generationId: number, assignmentSnapshot: Readonly<Record<string, number>> | null): void {
    this.appliedGeneration = generationId;
    this.assignmentVersion += 1;
    this.options.subscriptions.assign(partitions, { awaitCommitted: true });
    this.options.fetcher.retainAssigned();
    // The leader watches every topic the group subscribes to, so that it notices when one changes.
    this.options.cluster.trackTopics(new Set([...partitions.map((tp) => tp.topic), ...Object.keys(assignmentSnapshot ?? {})]));
    this.nextAutoCommitMs = this.options.runtime.clock.now() + this.options.config.autoCommitIntervalMs;
  }

  /** COOPERATIVE: stops reading the partitions given up, keeps the positions and buffered records of the rest. */
  private keepOnly(partitions: readonly TopicPartition[]): void {
    this.options.subscriptions.assign(partitions);
    this.options.fetcher.retainAssigned();
    this.assignmentVersion += 1;
  }

  private dropAssignment(): void {
    this.options.subscriptions.assign([]);
    this.options.fetcher.retainAssigned();
    this.appliedGeneration = -1;
    this.assignmentVersion += 1;
  }

  /** Emits the lifecycle event and runs the listener callback; returns what the callback threw. */
  private async notify(type: 'assigned' | 'revoked' | 'lost', partitions: TopicPartition[], generation: number): Promise<unknown> {
    this.options.logger.info({ group: this.options.groupId, generation, partitions: partitions.length }, `partitions ${type}`);
    this.options.events.emit({ type, partitions: partitions.map((tp) => ({ ...tp })), generation });
    const listener = this.listener;
    const callback =
      type === 'assigned' ? listener.onPartitionsAssigned : type === 'revoked' ? listener.onPartitionsRevoked : (listener.onPartitionsLost ?? listener.onPartitionsRevoked);
    if (callback === undefined) return undefined;
    try {
      await callback.call(listener, partitions.map((tp) => ({ ...tp })));
      return undefined;
    } catch (error) {
      this.options.logger.error({ err: error, callback: type }, 'a rebalance listener callback threw');
      return error ?? new Error('a rebalance listener callback threw');
    }
  }
}
