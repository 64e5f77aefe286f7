/**
 * A group consumer's commits (Kafka's `ConsumerCoordinator.commitOffsetsSync/Async`): in which
 * generation to commit, Kafka's exceptions for refused commits (telling the membership when the
 * group fenced the member), and the callbacks of asynchronous commits, which run on the application's
 * turn (its next poll(), commitSync() or close()), as Kafka runs them on the application thread.
 */
import type { Logger } from '@kactor/runtime';
import type { ClientRuntime } from '../../client-runtime.js';
import { MAX_PENDING_COMMIT_CALLBACKS } from '../../constants.js';
import { CommitFailedError, IllegalStateError, KafkaClientError, RebalanceInProgressError } from '../../errors.js';
import type { InFlight } from '../../internal/in-flight.js';
import type { TopicPartition } from '../../topic-partition.js';
import type { SubscriptionState } from '../subscription-state.js';
import type { CommitGeneration, CommitOutcome, CommittedOffset, TopicPartitionOffset } from './group-offsets.js';
import type { GroupMembership } from './group-membership.js';
import type { OffsetsClient } from './offsets-client.js';

export type CommitCallback = (error: Error | null, offsets: TopicPartitionOffset[]) => void;

export interface GroupCommitsOptions {
  readonly offsets: OffsetsClient;
  readonly subscriptions: SubscriptionState;
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  /** default.api.timeout.ms: how long an asynchronous commit may look for the coordinator. */
  readonly defaultApiTimeoutMs: number;
  readonly inFlight: InFlight;
  /** The membership: whether and with which identity a commit goes out, and whom to tell of a refusal. */
  readonly membership: Pick<GroupMembership, 'commitPermission' | 'commitRefused' | 'membership'>;
  /** Whether the partitions come from the group (subscribe) rather than from assign(). */
  readonly autoAssigned: () => boolean;
}

export class GroupCommits {
  private readonly completed: Array<() => void> = [];

  constructor(private readonly options: GroupCommitsOptions) {}

  /** Commits (default: every consumed position), retrying retriable errors until `timeoutMs`. */
  async commitSync(offsets: readonly TopicPartitionOffset[] | undefined, timeoutMs: number): Promise<void> {
    this.runCallbacks();
    const toCommit = offsets ?? this.options.subscriptions.allConsumed();
    if (toCommit.length === 0) return;
    let sent: CommitGeneration = { generationId: -1, memberId: '' };
    const outcome = await this.options.offsets.commitWithRetries(toCommit, () => (sent = this.generation()), this.options.runtime.clock.now() + timeoutMs);
    const error = this.commitError(outcome, sent);
    if (error !== null) throw error;
  }

  /** One attempt, no retries (as Kafka's commitAsync); `callback` runs on the application's next turn. */
  commitAsync(offsets: readonly TopicPartitionOffset[] | undefined, callback: CommitCallback | undefined): void {
    if (this.completed.length + this.options.inFlight.size >= MAX_PENDING_COMMIT_CALLBACKS) {
      throw new IllegalStateError(`${MAX_PENDING_COMMIT_CALLBACKS} asynchronous commits wait for their callbacks: call poll() to run them`);
    }
    const toCommit = [...(offsets ?? this.options.subscriptions.allConsumed())];
    const complete = (error: Error | null): void => {
      this.completed.push(() => callback?.(error, toCommit));
    };
    if (toCommit.length === 0) return complete(null);
    let sent: CommitGeneration;
    try {
      sent = this.generation();
    } catch (error) {
      return complete(error as Error);
    }
    const deadlineMs = this.options.runtime.clock.now() + this.options.defaultApiTimeoutMs;
    this.options.inFlight.add(
      this.options.offsets.commitOnce(toCommit, sent, deadlineMs).then(
        (outcome) => complete(this.commitError(outcome, sent)),
        (error: unknown) => complete(error instanceof Error ? error : new KafkaClientError(String(error))),
      ),
    );
  }

  /** The group's committed offsets for `partitions`, in the order asked. */
  async committed(partitions: readonly TopicPartition[], timeoutMs: number): Promise<CommittedOffset[]> {
    const found = await this.options.offsets.fetchCommitted(partitions, this.options.runtime.clock.now() + timeoutMs);
    const byKey = new Map(found.map((entry) => [`${entry.topic}\u0000${entry.partition}`, entry]));
    return partitions.map((tp) => byKey.get(`${tp.topic}\u0000${tp.partition}`) ?? { topic: tp.topic, partition: tp.partition, offset: null, metadata: null, leaderEpoch: -1 });
  }

  /** Runs the callbacks of asynchronous commits that completed since the last call. */
  runCallbacks(): void {
    for (const run of this.completed.splice(0)) {
      try {
        run();
      } catch (error) {
        this.options.logger.warn({ err: error }, 'an offset commit callback threw');
      }
    }
  }

  /**
   * The generation to commit in: the member's while it has one (Kafka's `generationIfStable`), -1 outside
   * group management; else Kafka's exception (the group is rebalancing, or the member was fenced).
   */
  generation(): CommitGeneration {
    if (!this.options.autoAssigned()) return { generationId: -1, memberId: '' };
    const permission = this.options.membership.commitPermission();
    if (permission.kind === 'member') return permission.generation;
    if (permission.kind === 'rebalancing') throw new RebalanceInProgressError('the group is rebalancing: call poll() to complete the rebalance, then commit again');
    throw new CommitFailedError('the consumer is not part of an active generation of its group (it was fenced, or left after max.poll.interval.ms): its partitions may belong to another member now');
  }

  /** Kafka's commit exceptions for an outcome, telling the membership when the group fenced the member. */
  private commitError(outcome: CommitOutcome, sent: CommitGeneration): Error | null {
    switch (outcome.kind) {
      case 'committed':
        return null;
      case 'fenced': {
        const current = this.options.membership.membership();
        const unchanged = sent.generationId >= 0 && current.generationId === sent.generationId && current.memberId === sent.memberId;
        this.options.membership.commitRefused(outcome.errorName, sent);
        if (sent.generationId < 0) return new CommitFailedError('the group has active members, so a commit from outside the group (assign()) is refused', { cause: outcome.error });
        return unchanged
          ? new CommitFailedError(`the group fenced this member (${outcome.errorName}): it rebalanced without it, probably because poll() was not called within max.poll.interval.ms`, { cause: outcome.error })
          : new RebalanceInProgressError(`the offset commit was refused with ${outcome.errorName} while the member was rejoining`, { cause: outcome.error });
      }
      case 'rebalancing':
        this.options.membership.commitRefused('REBALANCE_IN_PROGRESS', sent);
        return new RebalanceInProgressError('the group is rebalancing: call poll() to complete the rebalance, then commit again', { cause: outcome.error });
      case 'retriable':
      case 'failed':
        return outcome.error;
    }
  }
}
