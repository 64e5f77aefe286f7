/**
 * Kafka's exponential backoff with jitter (KIP-580, `ExponentialBackoff`): the wait before retry number
 * `attempt` (0 for the first retry) is `retry.backoff.ms * 2^attempt`, capped at `retry.backoff.max.ms`,
 * then multiplied by a random factor in [0.8, 1.2) so that clients that failed together do not retry in
 * lockstep. A `retry.backoff.ms` above the cap gives a constant wait of the cap, as the KIP specifies.
 */
import type { Random } from '@kactor/runtime';

/** Kafka's `CommonClientConfigs.RETRY_BACKOFF_EXP_BASE`. */
export const BACKOFF_EXPONENT_BASE = 2;
/** Kafka's `CommonClientConfigs.RETRY_BACKOFF_JITTER`. */
export const BACKOFF_JITTER = 0.2;

export interface BackoffPolicy {
  /** retry.backoff.ms */
  readonly initialMs: number;
  /** retry.backoff.max.ms */
  readonly maxMs: number;
}

/** The wait before retry `attempt` (0-based), jittered with `random`; 0 when `initialMs` is 0. */
export function backoffMs(policy: BackoffPolicy, attempt: number, random: Random): number {
  if (policy.initialMs <= 0 || policy.maxMs <= 0) return 0;
  // The exponent is capped so the power stays finite; by then the cap has long been reached.
  const exponential = policy.initialMs * BACKOFF_EXPONENT_BASE ** Math.min(Math.max(attempt, 0), 62);
  const capped = Math.min(exponential, policy.maxMs);
  const factor = 1 - BACKOFF_JITTER + random.next() * 2 * BACKOFF_JITTER;
  return Math.floor(capped * factor);
}
