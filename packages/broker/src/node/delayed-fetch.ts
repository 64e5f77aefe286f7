/**
 * Parks a fetch that must wait (fewer than `fetch.min.bytes` available, `fetch.max.wait.ms` > 0) in the fetch
 * purgatory as a DelayedFetch operation, watched under the partitions it reads: a partition whose high watermark
 * or log end moves makes it check again, and its own timer on the node's clock answers it after fetch.max.wait.ms.
 * A full purgatory answers the fetch at once with what is there, as fetch.max.wait.ms = 0 would.
 */
import type { Clock } from '@kactor/runtime';
import { DelayedFetch, type DelayedFetchReadiness } from '../fetch/delayed-fetch.js';
import type { DelayedOperationPurgatory } from './purgatory.js';

export interface DelayedFetchesOptions {
  clock: Clock;
  purgatory: DelayedOperationPurgatory<DelayedFetch>;
  onFatalError(error: unknown): void;
}

export interface ParkedFetch {
  /** The connection waiting for the answer. */
  connectionId: string;
  /** fetch.max.wait.ms, as the request asks. */
  maxWaitMs: number;
  /** Whether the fetch may be answered now, from offsets alone; `keys` are the partitions it reads. */
  readiness: DelayedFetchReadiness & { readonly keys: readonly string[] };
  /** Reads the partitions and sends the answer: only when the fetch is answered. */
  answer(): void;
}

export class DelayedFetches {
  constructor(private readonly options: DelayedFetchesOptions) {}

  park({ connectionId, maxWaitMs, readiness, answer }: ParkedFetch): void {
    const { clock, purgatory, onFatalError } = this.options;
    const operation = new DelayedFetch(clock, readiness, answer, onFatalError);
    const unwatch = purgatory.watch(operation, { keys: readiness.keys, connectionId });
    if (unwatch === undefined) {
      // Full: answer now rather than hold more memory.
      answer();
      return;
    }
    operation.parked(unwatch, maxWaitMs);
  }
}
