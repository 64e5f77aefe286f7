/**
 * Runs a client call until it succeeds, retrying retriable failures as `decideRetry` says (exponential
 * backoff, `retries`, and the call's deadline, which default.api.timeout.ms sets for admin-style calls).
 * Each attempt is told whether the previous failure asked for fresh metadata, so it can refresh first.
 */
import type { Clock, Logger, Random } from '@kactor/runtime';
import { timeoutError } from '../errors.js';
import type { BackoffPolicy } from '../internal/backoff.js';
import { withDeadline } from '../internal/deadline.js';
import { sleep } from '../internal/signal.js';
import { decideRetry } from './retry-decision.js';

export interface CallWithRetriesOptions {
  readonly callName: string;
  readonly deadlineMs: number;
  /** retries */
  readonly retries: number;
  readonly backoff: BackoffPolicy;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Checked after each failure: a closed client stops retrying and throws what this returns. */
  readonly closedError?: () => unknown;
}

export async function callWithRetries<T>(options: CallWithRetriesOptions, attempt: (refreshMetadata: boolean) => Promise<T>): Promise<T> {
  const { callName, deadlineMs, clock } = options;
  let refreshMetadata = false;
  for (let attempts = 1; ; attempts++) {
    try {
      return await withDeadline(clock, attempt(refreshMetadata), deadlineMs, () => timeoutError(`${callName} timed out after ${attempts} attempt(s)`));
    } catch (error) {
      const closed = options.closedError?.();
      if (closed !== undefined) throw closed;
      const decision = decideRetry(error, { callName, attempts, retries: options.retries, nowMs: clock.now(), deadlineMs, backoff: options.backoff }, options.random);
      if (!decision.retry) throw decision.error;
      options.logger.debug({ callName, attempts, err: error, waitMs: decision.waitMs }, 'retrying');
      refreshMetadata = decision.refreshMetadata;
      await sleep(clock, decision.waitMs);
    }
  }
}
