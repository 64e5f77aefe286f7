/**
 * The consumer's side of its group (Kafka's `ConsumerCoordinator`), whatever the group protocol: runs a
 * membership (group-membership.ts: the classic protocol's or KIP-848's), does on the application's turn
 * what the membership's events ask for (revocations with the auto-commit and the rebalance listener,
 * applying a new assignment, see assignment-steps.ts), auto-commits during poll, fetches committed offsets
 * for newly assigned partitions, commits, and keeps the record of its own rebalances (`rebalances()`, and
 * a `rebalance` event for each).
 *
 * The membership runs on its own (heartbeats, timers and answers); this class knows it only through the
 * seam: its events and its calls. Everything the application sees (listener calls, lifecycle events,
 * errors) happens inside its own calls: poll(), commitSync(), unsubscribe(), close().
 */
import { InFlight } from '../../internal/in-flight.js';
import type { TopicPartition } from '../../topic-partition.js';
import type { ConsumerRebalanceListener } from '../consumer-events.js';
import { AssignmentSteps, listenerError, type ConsumerGroupParts, type RevocationRequest } from './assignment-steps.js';
import { assignmentChange, type RebalanceProtocol } from './cooperative.js';
import { GroupCommits, type CommitCallback } from './group-commits.js';
import { FencedInstanceIdError } from './group-errors.js';
import type { GroupMembership, MembershipEvent, MembershipStateName, ReadyAssignment } from './group-membership.js';
import { createGroupMembership, type MembershipHostOptions } from './group-membership-factory.js';
import type { CommittedOffset, TopicPartitionOffset } from './group-offsets.js';
import { OffsetsClient } from './offsets-client.js';
import type { RebalanceRecord } from './rebalance-record.js';

export type { CommitCallback } from './group-commits.js';

export interface ConsumerCoordinatorOptions extends ConsumerGroupParts {
  readonly clientId: string;
  /** Whether the partitions come from the group (subscribe) rather than from assign(). */
  readonly autoAssigned: () => boolean;
  /** The membership for group.protocol (default createGroupMembership); tests pass a scripted one. */
  readonly createMembership?: (host: MembershipHostOptions) => GroupMembership;
}

export class ConsumerCoordinator {
  private readonly group: GroupMembership;
  private readonly steps: AssignmentSteps;
  private readonly offsets: OffsetsClient;
  private readonly commits: GroupCommits;
  /** Asynchronous commits and LeaveGroups under way, which close() waits for. */
  private readonly inFlight = new InFlight();
  /** The revocation the membership waits for, run by the next poll(). */
  private pendingRevocation: RevocationRequest | null = null;
  private revoking = false;
  /** The assignment the membership offers, applied by the next poll() unless a revocation or rebalance supersedes it. */
  private pendingAssignment: ReadyAssignment | null = null;
  /** True from an assignment until the next rebalance: auto-commits run only then. */
  private settled = false;
  private fatalError: unknown;
  private membershipError: unknown;
  private deferredError: unknown;
  private committedLookup: Promise<void> | null = null;
  private nextAutoCommitMs: number;
  private closed = false;
  readonly rebalanceProtocol: RebalanceProtocol;

  constructor(private readonly options: ConsumerCoordinatorOptions) {
    const { config, runtime, cluster, logger, subscriptions } = options;
    this.nextAutoCommitMs = runtime.clock.now() + config.autoCommitIntervalMs;
    this.group = (options.createMembership ?? createGroupMembership)({ ...options, inFlight: this.inFlight, heldPartitions: () => subscriptions.assignedPartitions() });
    this.rebalanceProtocol = this.group.rebalanceProtocol;
    this.steps = new AssignmentSteps({
      ...options,
      rebalanceProtocol: this.rebalanceProtocol,
      commitSync: (timeoutMs) => this.commitSync(undefined, timeoutMs),
      installed: () => (this.nextAutoCommitMs = runtime.clock.now() + config.autoCommitIntervalMs),
    });
    this.group.start((event) => this.onMembershipEvent(event));
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
        current: () => this.group.coordinator(),
        discovered: (coordinator) => this.group.coordinatorDiscovered(coordinator),
        lost: (url, reason) => this.group.coordinatorLost(url, reason),
      },
    });
    this.offsets = offsets;
    this.commits = new GroupCommits({
      offsets,
      subscriptions,
      runtime,
      logger,
      defaultApiTimeoutMs: config.defaultApiTimeoutMs,
      inFlight: this.inFlight,
      membership: this.group,
      autoAssigned: options.autoAssigned,
    });
  }

  /** The membership's state (the protocol's own name), generation (or member epoch) and member id, for tooling and tests. */
  get membership(): { state: MembershipStateName; generationId: number; memberId: string } {
    const { state, generationId, memberId } = this.group.membership();
    return { state, generationId, memberId };
  }

  /** This member's rebalances, oldest first (at most MAX_REBALANCE_RECORDS), as copies. */
  rebalances(): RebalanceRecord[] {
    return this.steps.rebalances();
  }

  subscribe(topics: readonly string[], listener: ConsumerRebalanceListener): void {
    this.steps.listener = listener;
    this.group.subscribe(topics);
  }

  /** Revokes (or loses) what the member owns, then leaves the group (Kafka's onLeavePrepare + maybeLeaveGroup). */
  async unsubscribe(): Promise<void> {
    const failure = this.options.autoAssigned() ? await this.steps.leavePrepare(this.group.releaseOnLeave()) : undefined;
    this.group.unsubscribe();
    this.steps.listener = {};
    if (failure !== undefined) throw failure;
  }

  /** Tells the membership that metadata changed (a classic leader compares partition counts). */
  metadataUpdated(): void {
    this.group.metadataUpdated();
  }

  /** A manual assignment replaced the partitions: committed-offset answers for the old ones no longer apply. */
  assignmentChanged(): void {
    this.steps.assignmentVersion += 1;
  }

  /**
   * The group's part of one poll() turn: run due commit callbacks, let the membership know the application
   * polled, run the revocation or apply the assignment it waits for, and auto-commit when due.
   * Throws what poll() must throw: a fatal group error, a listener's error, a failed offset lookup.
   */
  async poll(nowMs: number): Promise<void> {
    this.commits.runCallbacks();
    this.throwDeferred();
    if (this.options.autoAssigned()) {
      this.group.poll();
      this.throwMembershipErrors();
      if (this.pendingRevocation !== null) await this.revoke();
      else if (this.pendingAssignment !== null) await this.applyAssignment();
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
    const version = this.steps.assignmentVersion;
    const lookup = this.offsets.fetchCommitted(waiting, nowMs + this.options.config.defaultApiTimeoutMs).then(
      (committed) => {
        if (version !== this.steps.assignmentVersion) return;
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
   * leave the group and wait a little for the leave to go out. Rejects with a listener's error after closing.
   */
  async close(deadlineMs: number): Promise<void> {
    if (this.closed) return;
    const { clock } = this.options.runtime;
    // A member out of its group for good (fenced, refused) has no generation to commit in: the commit
    // could only fail, and its warning would bury the error the application already got from poll().
    const outForGood = this.fatalError !== undefined;
    if (this.options.config.enableAutoCommit && !outForGood) {
      try {
        await this.commitSync(undefined, Math.max(0, deadlineMs - clock.now()));
      } catch (error) {
        this.options.logger.warn({ err: error }, 'auto-commit on close failed');
      }
    }
    await this.inFlight.settle(clock, deadlineMs);
    const failure = this.options.autoAssigned() ? await this.steps.leavePrepare(this.group.releaseOnLeave()) : undefined;
    this.group.close();
    await this.inFlight.settle(clock, deadlineMs);
    this.commits.runCallbacks();
    this.closed = true;
    this.group.stop();
    if (failure !== undefined) throw failure;
  }

  /**
   * The membership's events, as they happen: lifecycle events and rebalance records at once, revocations
   * and assignments kept for the next poll() (the application's turn). A revocation, a new rebalance or
   * leaving the group supersedes an assignment not applied yet.
   */
  private onMembershipEvent(event: MembershipEvent): void {
    switch (event.type) {
      case 'state':
        this.options.events.emit({ type: 'state', from: event.from, to: event.to, generation: event.generation, protocol: this.rebalanceProtocol });
        break;
      case 'rebalance.started':
        this.pendingAssignment = null;
        this.settled = false;
        this.steps.rebalanceStarted(event);
        break;
      case 'rebalance.joined':
        this.steps.rebalanceJoined(event.generation);
        break;
      case 'rebalance.ended':
        if (!event.completed) {
          this.pendingAssignment = null;
          this.pendingRevocation = null;
          this.settled = false;
        }
        this.steps.rebalanceEnded(event.completed);
        break;
      case 'revocation.requested':
        this.pendingRevocation = event;
        this.pendingAssignment = null;
        this.settled = false;
        break;
      case 'assignment.ready':
        this.pendingAssignment = event;
        this.settled = true;
        break;
      case 'error':
        if (event.fatal) this.fatalError = event.error;
        else this.membershipError = event.error;
        break;
    }
    this.options.signal.notify();
  }

  private throwDeferred(): void {
    if (this.deferredError === undefined) return;
    const error = this.deferredError;
    this.deferredError = undefined;
    throw error;
  }

  /** A fatal error is thrown by every poll(); a non-fatal one (an assignment that could not be computed) once. */
  private throwMembershipErrors(): void {
    if (this.fatalError !== undefined) throw this.fatalError;
    if (this.membershipError !== undefined) {
      const error = this.membershipError;
      this.membershipError = undefined;
      throw error;
    }
  }

  private maybeAutoCommit(nowMs: number): void {
    const { config, logger } = this.options;
    if (!config.enableAutoCommit || nowMs < this.nextAutoCommitMs || this.closed) return;
    if (this.options.autoAssigned() && (this.steps.appliedGeneration < 0 || !this.settled)) return;
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

  /** The revocation the membership waits for, on the application's turn; then tells it what the consumer still owns. */
  private async revoke(): Promise<void> {
    const request = this.pendingRevocation;
    if (this.revoking || request === null) return;
    this.revoking = true;
    try {
      const { ran, owned, failure } = await this.steps.revoke(request, () => this.revocationAfterAutoCommit(request));
      if (this.pendingRevocation === ran) this.pendingRevocation = null;
      this.group.revocationDone(owned);
      if (failure !== undefined) throw listenerError(failure);
    } finally {
      this.revoking = false;
    }
  }

  /**
   * The revocation to run once the auto-commit is done: the membership's latest request, which its answer
   * to autoCommitDone() (or a fencing during the commit) may have made a loss of everything held.
   */
  private revocationAfterAutoCommit(request: RevocationRequest): RevocationRequest {
    this.group.autoCommitDone();
    return this.pendingRevocation ?? request;
  }

  /**
   * The assignment the membership offers (Kafka's onJoinComplete), acknowledged in every case. One the
   * consumer holds already, in the generation already applied, is not applied again when the membership
   * says so (`skipWhenHeld`, classic). KIP-848 offers the member epoch it already has after a revocation
   * (the coordinator moves the epoch only once nothing is left to revoke) and is applied each time, as
   * Kafka's reconciliation calls onPartitionsAssigned with the added partitions, even none; its membership
   * waits for the acknowledgement before it tells the coordinator.
   */
  private async applyAssignment(): Promise<void> {
    const ready = this.pendingAssignment;
    this.pendingAssignment = null;
    if (ready === null) return;
    const change = assignmentChange(this.options.subscriptions.assignedPartitions(), [...ready.partitions]);
    const held = ready.skipWhenHeld === true && ready.generation === this.steps.appliedGeneration && change.added.length === 0 && change.revoked.length === 0;
    const failure = held ? undefined : await this.steps.apply(ready);
    this.group.assignmentApplied(ready.generation);
    this.options.signal.notify();
    if (failure !== undefined) throw listenerError(failure);
  }
}
