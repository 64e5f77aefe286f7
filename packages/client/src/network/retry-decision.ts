/**
 * Whether and when a failed client call is tried again, as a plain function: the admin client and the
 * consumer's offset lookups use it. Kafka's rules: only retriable errors are retried, at most `retries`
 * times, after an exponential backoff (KIP-580), and never past the call's deadline (default.api.timeout.ms
 * or the caller's timeout). Errors that mean stale metadata ask for a metadata refresh first.
 */
import { KafkaProtocolError } from '@kactor/protocol';
import type { Random } from '@kactor/runtime';
import { timeoutError } from '../errors.js';
import { backoffMs, type BackoffPolicy } from '../internal/backoff.js';
import { isStaleMetadataError } from './stale-metadata.js';

export interface RetryContext {
  /** What is being retried, for the timeout message ("createTopics"). */
  readonly callName: string;
  /** Attempts made so far, the failed one included (1 after the first failure). */
  readonly attempts: number;
  /** retries */
  readonly retries: number;
  readonly nowMs: number;
  readonly deadlineMs: number;
  readonly backoff: BackoffPolicy;
}

export type RetryDecision =
  | { readonly retry: true; readonly waitMs: number; readonly refreshMetadata: boolean }
  | { readonly retry: false; readonly error: unknown };

export function decideRetry(error: unknown, context: RetryContext, random: Random): RetryDecision {
  if (!(error instanceof KafkaProtocolError) || !error.retriable) return { retry: false, error };
  if (context.attempts > context.retries) return { retry: false, error };
  const waitMs = backoffMs(context.backoff, context.attempts - 1, random);
  if (context.nowMs + waitMs >= context.deadlineMs) {
    const elapsed = `${context.attempts} attempt${context.attempts === 1 ? '' : 's'}`;
    return {
      retry: false,
      error: timeoutError(`${context.callName} timed out after ${elapsed}; last error: ${error.errorName}: ${error.message}`, { cause: error }),
    };
  }
  return { retry: true, waitMs, refreshMetadata: isStaleMetadataError(error.errorName) };
}
