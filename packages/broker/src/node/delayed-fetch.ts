/**
 * Parks a fetch that must wait (fewer than `fetch.min.bytes` available, `fetch.max.wait.ms` > 0) in the fetch
 * purgatory as a DelayedFetch operation, watched under the partitions it reads: a partition whose high watermark
 * or log end moves makes it check again, and its own timer on the node's clock answers it after fetch.max.wait.ms.
 * A full purgatory answers the fetch at once with what is there, as fetch.max.wait.ms = 0 would.
 */
import type { RequestBody } from '@kactor/protocol';
import type { Clock, RequestRef } from '@kactor/runtime';
import { DelayedFetch } from '../fetch/delayed-fetch.js';
import type { FetchReadOutcome } from '../fetch/fetch-reader.js';
import type { FetchReadinessCheck } from '../fetch/fetch-readiness.js';
import { partitionKey } from './partition-host.js';
import type { DelayedOperationPurgatory } from './purgatory.js';

export interface DelayedFetchesOptions {
  clock: Clock;
  purgatory: DelayedOperationPurgatory<DelayedFetch>;
  onFatalError(error: unknown): void;
}

export interface DelayedFetchRequest {
  ref: RequestRef;
  request: RequestBody<'fetch'>;
  /** Whether the fetch may be answered now, from offsets alone. */
  readiness: Pick<FetchReadinessCheck, 'check'>;
  /** Reads the fetch from the partitions: only when it is answered. */
  read(): FetchReadOutcome;
  respond(outcome: FetchReadOutcome): void;
}

export class DelayedFetches {
  constructor(private readonly options: DelayedFetchesOptions) {}

  park({ ref, request, readiness, read, respond }: DelayedFetchRequest): void {
    const { clock, purgatory, onFatalError } = this.options;
    const operation = new DelayedFetch(clock, { isReady: () => readiness.check() === 'ready', answer: () => respond(read()), onFatalError });
    const keys = request.topics.flatMap((topic) => topic.partitions.map((partition) => partitionKey(topic.topic, partition.partition)));
    const unwatch = purgatory.watch(operation, { keys, connectionId: ref.connectionId });
    if (unwatch === undefined) {
      // Full: answer now rather than hold more memory.
      respond(read());
      return;
    }
    operation.parked(unwatch, request.maxWaitMs);
  }
}
