/**
 * OffsetCommit and OffsetFetch to the group's coordinator, as promises: the coordinator comes from the
 * membership machine when it knows it, else from its own FindCoordinator (which it then tells the
 * machine); NOT_COORDINATOR and the like make both forget it. Retriable failures are tried again after
 * an exponential backoff (KIP-580) until the caller's deadline; the rest are returned as outcomes for the
 * caller to turn into Kafka's exceptions.
 */
import { KafkaProtocolError } from '@kactor/protocol';
import type { Logger } from '@kactor/runtime';
import type { ClientRuntime } from '../../client-runtime.js';
import { timeoutError } from '../../errors.js';
import { backoffMs, type BackoffPolicy } from '../../internal/backoff.js';
import { sleep } from '../../internal/signal.js';
import type { ClusterClient } from '../../network/cluster-client.js';
import { findGroupCoordinator } from '../../network/find-coordinator.js';
import type { TopicPartition } from '../../topic-partition.js';
import {
  commitOutcome,
  fetchOutcome,
  offsetCommitRequest,
  offsetFetchRequest,
  type CommitGeneration,
  type CommitOutcome,
  type CommittedOffset,
  type TopicPartitionOffset,
} from './group-offsets.js';
import type { CoordinatorNode } from './group-types.js';

/** How the offsets path shares the coordinator with the membership machine. */
export interface CoordinatorAccess {
  current(): CoordinatorNode | null;
  discovered(coordinator: CoordinatorNode): void;
  lost(url: string, reason: string): void;
}

export interface OffsetsClientOptions {
  readonly cluster: ClusterClient;
  readonly groupId: string;
  readonly groupInstanceId: string | null;
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  /** retry.backoff.ms / retry.backoff.max.ms */
  readonly backoff: BackoffPolicy;
  /** request.timeout.ms */
  readonly requestTimeoutMs: number;
  /** isolation.level=read_committed asks OffsetFetch for stable offsets only (KIP-447). */
  readonly requireStable: boolean;
  readonly coordinator: CoordinatorAccess;
  /** Checked between attempts: a closed consumer stops retrying. */
  readonly isClosed: () => boolean;
}

export class OffsetsClient {
  constructor(private readonly options: OffsetsClientOptions) {}

  /** The coordinator's URL, looked up (and retried) when unknown; rejects with REQUEST_TIMED_OUT at the deadline. */
  async coordinatorUrl(deadlineMs: number): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const known = this.options.coordinator.current();
      if (known !== null) return known.url;
      try {
        const found = await findGroupCoordinator(this.options.cluster, this.options.groupId, this.requestTimeoutMs(deadlineMs));
        this.options.coordinator.discovered({ nodeId: found.nodeId, url: found.url });
        return found.url;
      } catch (error) {
        if (!(error instanceof KafkaProtocolError) || !error.retriable) throw error;
        await this.backOff(attempt, deadlineMs, 'finding the group coordinator', error);
      }
    }
  }

  /** One OffsetCommit in `generation`; a whole-request failure or coordinator error also forgets the coordinator. */
  async commitOnce(offsets: readonly TopicPartitionOffset[], generation: CommitGeneration, deadlineMs: number): Promise<CommitOutcome> {
    let url: string;
    try {
      url = await this.coordinatorUrl(deadlineMs);
    } catch (error) {
      if (error instanceof KafkaProtocolError) return error.retriable ? { kind: 'retriable', error, coordinatorLost: false } : { kind: 'failed', error };
      throw error;
    }
    const body = offsetCommitRequest(this.options.groupId, generation, this.options.groupInstanceId, offsets);
    let outcome: CommitOutcome;
    try {
      outcome = commitOutcome(await this.options.cluster.request(url, 'offsetCommit', body, { timeoutMs: this.requestTimeoutMs(deadlineMs) }));
    } catch (error) {
      if (!(error instanceof KafkaProtocolError)) throw error;
      outcome = commitOutcome(null, error);
    }
    if (outcome.kind === 'retriable' && outcome.coordinatorLost) this.options.coordinator.lost(url, outcome.error.errorName);
    return outcome;
  }

  /**
   * Commits until it works or cannot: retriable outcomes are retried until the deadline (then
   * REQUEST_TIMED_OUT), the rest returned. `generation()` is read before every attempt and may throw.
   */
  async commitWithRetries(offsets: readonly TopicPartitionOffset[], generation: () => CommitGeneration, deadlineMs: number): Promise<CommitOutcome> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.commitOnce(offsets, generation(), deadlineMs);
      if (outcome.kind !== 'retriable') return outcome;
      await this.backOff(attempt, deadlineMs, 'committing offsets', outcome.error);
    }
  }

  /** The group's committed offsets for `partitions` (null: every partition it committed), retrying until the deadline. */
  async fetchCommitted(partitions: readonly TopicPartition[] | null, deadlineMs: number): Promise<CommittedOffset[]> {
    for (let attempt = 0; ; attempt++) {
      const url = await this.coordinatorUrl(deadlineMs);
      const body = offsetFetchRequest(this.options.groupId, partitions, this.options.requireStable);
      let outcome;
      try {
        outcome = fetchOutcome(await this.options.cluster.request(url, 'offsetFetch', body, { timeoutMs: this.requestTimeoutMs(deadlineMs) }));
      } catch (error) {
        if (!(error instanceof KafkaProtocolError)) throw error;
        outcome = fetchOutcome(null, error);
      }
      if (outcome.kind === 'fetched') return outcome.offsets;
      if (outcome.kind === 'failed') throw outcome.error;
      if (outcome.coordinatorLost) this.options.coordinator.lost(url, outcome.error.errorName);
      await this.backOff(attempt, deadlineMs, 'fetching committed offsets', outcome.error);
    }
  }

  private requestTimeoutMs(deadlineMs: number): number {
    return Math.max(1, Math.min(this.options.requestTimeoutMs, deadlineMs - this.options.runtime.clock.now()));
  }

  /** Waits before retry `attempt`, or throws REQUEST_TIMED_OUT (with the last error as cause) when the deadline comes first. */
  private async backOff(attempt: number, deadlineMs: number, what: string, lastError: KafkaProtocolError): Promise<void> {
    const { clock, random } = this.options.runtime;
    const waitMs = backoffMs(this.options.backoff, attempt, random);
    if (this.options.isClosed()) throw lastError;
    if (clock.now() + waitMs >= deadlineMs) throw timeoutError(`${what} timed out; last error: ${lastError.errorName}: ${lastError.message}`, { cause: lastError });
    this.options.logger.debug({ what, error: lastError.errorName, waitMs }, 'retrying');
    await sleep(clock, waitMs);
  }
}
