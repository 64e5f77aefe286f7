/**
 * What the consumer does with its partitions at each step of a rebalance, whatever the group protocol:
 * gives up what a membership's `revocation.requested` names (auto-commit first when asked, then
 * onPartitionsRevoked or onPartitionsLost), installs what an `assignment.ready` brings
 * (onPartitionsAssigned with what was added), gives everything up before leaving, and keeps the record
 * of the member's rebalances from the membership's `rebalance.*` events. Kafka does these on the
 * application thread (its ConsumerCoordinator's onJoinPrepare/onJoinComplete/onLeavePrepare, and the new
 * consumer's callback events); so does kactor, inside poll(), unsubscribe() and close().
 */
import type { ConsumerConfig } from '@kactor/protocol';
import type { Logger } from '@kactor/runtime';
import type { ClientRuntime } from '../../client-runtime.js';
import { RebalanceListenerError } from '../../errors.js';
import type { Signal } from '../../internal/signal.js';
import type { ClusterClient } from '../../network/cluster-client.js';
import type { TopicPartition } from '../../topic-partition.js';
import type { ConsumerEvents, ConsumerRebalanceListener } from '../consumer-events.js';
import type { Fetcher } from '../fetcher.js';
import type { SubscriptionState } from '../subscription-state.js';
import { assignmentChange, partitionsMinus, partitionsWithin, type RebalanceProtocol } from './cooperative.js';
import type { MembershipEvent, ReadyAssignment, ReleaseKind } from './group-membership.js';
import { RebalanceRecorder, type RebalanceRecord } from './rebalance-record.js';

/** What a consumer's group machinery works with: its group, its settings, and the consumer's parts it acts on. */
export interface ConsumerGroupParts {
  readonly groupId: string;
  readonly config: ConsumerConfig;
  readonly cluster: ClusterClient;
  readonly subscriptions: SubscriptionState;
  readonly fetcher: Fetcher;
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  readonly signal: Signal;
  readonly events: ConsumerEvents;
}

export interface AssignmentStepsOptions extends ConsumerGroupParts {
  readonly rebalanceProtocol: RebalanceProtocol;
  /** The auto-commit before a revocation (commitSync of every consumed position). */
  readonly commitSync: (timeoutMs: number) => Promise<void>;
  /** An assignment was installed: the auto-commit interval starts again. */
  readonly installed: () => void;
}

export type RevocationRequest = Extract<MembershipEvent, { type: 'revocation.requested' }>;

const copy = (partitions: readonly TopicPartition[]): TopicPartition[] => partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition }));

export class AssignmentSteps {
  listener: ConsumerRebalanceListener = {};
  /** The generation (or member epoch) whose assignment the application holds (-1: none). */
  appliedGeneration = -1;
  /** Bumped whenever the assignment changes, so a committed-offset answer for an older one is dropped. */
  assignmentVersion = 0;
  private readonly recorder = new RebalanceRecorder();

  constructor(private readonly options: AssignmentStepsOptions) {}

  /** This member's rebalances, oldest first (at most MAX_REBALANCE_RECORDS), as copies. */
  rebalances(): RebalanceRecord[] {
    return this.recorder.all();
  }

  rebalanceStarted(event: Extract<MembershipEvent, { type: 'rebalance.started' }>): void {
    this.recorder.start(this.nowMs(), {
      trigger: event.trigger,
      reason: event.reason,
      protocol: this.options.rebalanceProtocol,
      generation: this.appliedGeneration,
      owned: this.options.subscriptions.assignedPartitions(),
    });
  }

  rebalanceJoined(generation: number): void {
    this.recorder.joined(generation);
  }

  rebalanceEnded(completed: boolean): void {
    const record = this.recorder.finish(this.nowMs(), completed);
    if (record !== null) this.options.events.emit({ type: 'rebalance', record });
  }

  /**
   * Gives up what the membership asked for (and applies the assignment that comes with it, if any).
   * After the auto-commit the membership has the last word (`afterAutoCommit`): it may have replaced the
   * request meanwhile, with the partitions lost because the member lost its generation during the commit
   * (Kafka's onJoinPrepare decides revoked or lost after its commit). Returns the request run, what the
   * consumer still holds, and what a listener callback threw.
   */
  async revoke(requested: RevocationRequest, afterAutoCommit: () => RevocationRequest): Promise<{ ran: RevocationRequest; owned: TopicPartition[]; failure: unknown }> {
    let request = requested;
    if (this.options.config.enableAutoCommit && request.autoCommitFirst) {
      await this.autoCommitBeforeRevocation();
      request = afterAutoCommit();
    }
    const owned = this.options.subscriptions.assignedPartitions();
    const generation = this.appliedGeneration;
    let failure: unknown;
    // Only what is still held is given up: a loss asked for while an earlier revocation ran names
    // partitions that revocation gave up already, and the listener hears of each partition once.
    const partitions = copy(partitionsWithin(request.partitions, owned));
    // KIP-429: onPartitionsRevoked runs only when something is revoked, except under EAGER.
    if (partitions.length > 0 || request.notifyWhenEmpty) failure = await this.notify(request.kind === 'lose' ? 'lost' : 'revoked', partitions, generation);
    if (request.kind === 'lose') this.recorder.lost(this.nowMs(), partitions);
    else this.recorder.revoked(this.nowMs(), partitions);
    const next = request.thenAssign;
    if (next !== null) {
      const assigned = copy(next.partitions);
      const added = partitionsMinus(assigned, owned);
      this.install(assigned, next);
      failure = (await this.notify('assigned', added, next.generation)) ?? failure;
      this.recorder.assigned(this.nowMs(), added);
      return { ran: request, owned: assigned, failure };
    }
    const remaining = partitionsMinus(owned, partitions);
    if (remaining.length === 0) this.drop();
    else this.keepOnly(remaining);
    return { ran: request, owned: remaining, failure };
  }

  /**
   * Applies an assignment (Kafka's onJoinComplete). A member that kept partitions (COOPERATIVE, KIP-848)
   * keeps their positions and buffered records, and onPartitionsAssigned gets only what was added (even
   * none, as Kafka calls it); a member that gave everything up gets everything. Returns what a listener threw.
   */
  async apply(ready: ReadyAssignment): Promise<unknown> {
    const partitions = copy(ready.partitions);
    const change = assignmentChange(this.options.subscriptions.assignedPartitions(), partitions);
    let failure: unknown;
    if (change.revoked.length > 0) {
      // Not expected: memberships revoke what moved first. Kept so the listener still sees every partition leave.
      failure = await this.notify('revoked', change.revoked, this.appliedGeneration);
      this.recorder.revoked(this.nowMs(), change.revoked);
    }
    this.install(partitions, ready);
    failure = (await this.notify('assigned', change.added, ready.generation)) ?? failure;
    this.recorder.assigned(this.nowMs(), change.added);
    return failure;
  }

  /** Kafka's onLeavePrepare: every held partition, revoked or lost as the membership says. */
  async leavePrepare(kind: ReleaseKind): Promise<RebalanceListenerError | undefined> {
    const owned = this.options.subscriptions.assignedPartitions();
    const failure = owned.length > 0 ? await this.notify(kind === 'lose' ? 'lost' : 'revoked', owned, this.appliedGeneration) : undefined;
    this.drop();
    return failure === undefined ? undefined : listenerError(failure);
  }

  /** Stops reading the partitions given up, keeps the positions and buffered records of the rest. */
  private keepOnly(partitions: readonly TopicPartition[]): void {
    this.options.subscriptions.assign(partitions);
    this.options.fetcher.retainAssigned();
    this.assignmentVersion += 1;
  }

  private drop(): void {
    this.options.subscriptions.assign([]);
    this.options.fetcher.retainAssigned();
    this.appliedGeneration = -1;
    this.assignmentVersion += 1;
  }

  private install(partitions: TopicPartition[], ready: ReadyAssignment): void {
    this.appliedGeneration = ready.generation;
    this.assignmentVersion += 1;
    this.options.subscriptions.assign(partitions, { awaitCommitted: true });
    this.options.fetcher.retainAssigned();
    this.options.cluster.trackTopics(new Set([...partitions.map((tp) => tp.topic), ...ready.watchTopics]));
    this.options.installed();
  }

  private async autoCommitBeforeRevocation(): Promise<void> {
    try {
      await this.options.commitSync(this.options.config.maxPollIntervalMs);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'auto-commit before the rebalance failed; the next owner may read these records again');
    }
  }

  /** Emits the lifecycle event and runs the listener callback; returns what the callback threw. */
  private async notify(type: 'assigned' | 'revoked' | 'lost', partitions: TopicPartition[], generation: number): Promise<unknown> {
    this.options.logger.info({ group: this.options.groupId, generation, partitions: partitions.length }, `partitions ${type}`);
    this.options.events.emit({ type, partitions: copy(partitions), generation });
    const listener = this.listener;
    const callback =
      type === 'assigned' ? listener.onPartitionsAssigned : type === 'revoked' ? listener.onPartitionsRevoked : (listener.onPartitionsLost ?? listener.onPartitionsRevoked);
    if (callback === undefined) return undefined;
    try {
      await callback.call(listener, copy(partitions));
      return undefined;
    } catch (error) {
      this.options.logger.error({ err: error, callback: type }, 'a rebalance listener callback threw');
      return error ?? new Error('a rebalance listener callback threw');
    }
  }

  private nowMs(): number {
    return this.options.runtime.clock.now();
  }
}

export function listenerError(failure: unknown): RebalanceListenerError {
  return new RebalanceListenerError('a rebalance listener callback failed', { cause: failure });
}
