/**
 * A fetch that could not be answered at once (Kafka's DelayedFetch in the fetch purgatory): it waits until
 * its partitions hold `fetch.min.bytes` (re-checked whenever one of them advances its high watermark) or
 * until `fetch.max.wait.ms` has passed, then answers with whatever is there. Spawned only for fetches that
 * must wait; one actor per waiting fetch.
 */
import type { RequestBody } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import { assign, enqueueActions, setup } from 'xstate';
import type { FetchReadOutcome } from './fetch-reader.js';

export interface DelayedFetchInput {
  ref: RequestRef;
  request: RequestBody<'fetch'>;
  ports: {
    /** Reads the fetch again from the partitions. */
    read(): FetchReadOutcome;
    /** Sends the response. */
    respond(outcome: FetchReadOutcome): void;
  };
}

export interface DelayedFetchContext extends DelayedFetchInput {
  outcome: FetchReadOutcome | null;
}

export type DelayedFetchEvent =
  | { type: 'partition.dataAvailable'; topic: string; partition: number }
  | { type: 'fetch.satisfied' }
  | { type: 'fetch.cancelled' };

export const delayedFetchMachine = setup({
  types: { context: {} as DelayedFetchContext, events: {} as DelayedFetchEvent, input: {} as DelayedFetchInput },
  actions: {
    /** Kafka's tryComplete: read again and complete if minBytes are there now, or a partition has an error. */
    tryComplete: enqueueActions(({ context, enqueue }) => {
      const outcome = context.ports.read();
      if (outcome.hasError || outcome.totalBytes >= context.request.minBytes) {
        enqueue.assign({ outcome });
        enqueue.raise({ type: 'fetch.satisfied' });
      }
    }),
    readWhatIsThere: assign(({ context }) => ({ outcome: context.outcome ?? context.ports.read() })),
    respond: ({ context }) => {
      if (context.outcome !== null) context.ports.respond(context.outcome);
    },
  },
  delays: {
    fetchMaxWait: ({ context }) => Math.max(0, context.request.maxWaitMs),
  },
}).createMachine({
  id: 'delayedFetch',
  context: ({ input }) => ({ ...input, outcome: null }),
  initial: 'Waiting',
  states: {
    Waiting: {
      description: 'Parked until a partition it reads advances its high watermark far enough for fetch.min.bytes, or fetch.max.wait.ms passes.',
      on: {
        'partition.dataAvailable': { actions: 'tryComplete' },
        'fetch.satisfied': 'Answered',
        'fetch.cancelled': 'Cancelled',
      },
      after: { fetchMaxWait: 'Answered' },
    },
    Answered: {
      description: 'Answered with the data available (possibly none).',
      type: 'final',
      entry: ['readWhatIsThere', 'respond'],
    },
    Cancelled: {
      description: 'The connection closed or the broker is stopping: no answer is sent.',
      type: 'final',
    },
  },
});
