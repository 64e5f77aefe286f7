/**
 * Parks a fetch that must wait (fewer than `fetch.min.bytes` available, `fetch.max.wait.ms` > 0) in the
 * purgatory as a DelayedFetch actor: the actor decides when to answer (a check finds enough data, or its
 * `fetchMaxWait` timer fires); the purgatory only wakes it when a partition it reads moves its high watermark.
 */
import type { RequestBody } from '@kactor/protocol';
import { actorIds, type Clock, type RequestRef } from '@kactor/runtime';
import { createActor, type ActorRefFrom, type InspectionEvent } from 'xstate';
import { delayedFetchMachine } from '../fetch/delayed-fetch.machine.js';
import type { FetchReadOutcome } from '../fetch/fetch-reader.js';
import { partitionKey } from './partition-host.js';
import type { DelayedOperation, DelayedOperationPurgatory } from './purgatory.js';

type DelayedFetchActor = ActorRefFrom<typeof delayedFetchMachine>;

/** The purgatory's view of a DelayedFetch actor: a check is new data on a partition, a cancel drops it. */
export class DelayedFetch implements DelayedOperation {
  constructor(
    readonly actor: DelayedFetchActor,
    private readonly request: RequestBody<'fetch'>,
  ) {}

  check(key: string): void {
    // The machine reads every partition of the request again, so which one moved only matters for the event.
    for (const topic of this.request.topics) {
      for (const partition of topic.partitions) {
        if (partitionKey(topic.topic, partition.partition) === key) {
          this.actor.send({ type: 'partition.dataAvailable', topic: topic.topic, partition: partition.partition });
          return;
        }
      }
    }
  }

  cancel(): void {
    this.actor.send({ type: 'fetch.cancelled' });
  }
}

export interface DelayedFetchStarter {
  brokerId: number;
  clock: Clock;
  purgatory: DelayedOperationPurgatory<DelayedFetch>;
  onFatalError(error: unknown): void;
  inspect?: ((event: InspectionEvent) => void) | undefined;
}

export interface DelayedFetchRequest {
  ref: RequestRef;
  request: RequestBody<'fetch'>;
  /** The outcome read just now, answered at once if the purgatory is full. */
  outcome: FetchReadOutcome;
  read(): FetchReadOutcome;
  respond(outcome: FetchReadOutcome): void;
}

/** Starts DelayedFetch actors with readable, increasing ids (`broker-1/fetch/42`). */
export class DelayedFetches {
  private started = 0;

  constructor(private readonly options: DelayedFetchStarter) {}

  start({ ref, request, outcome, read, respond }: DelayedFetchRequest): void {
    const { options } = this;
    const actor: DelayedFetchActor = createActor(delayedFetchMachine, {
      id: actorIds.delayedFetch(options.brokerId, this.started + 1),
      clock: options.clock,
      inspect: options.inspect,
      input: { ref, request, ports: { read, respond } },
    });
    const keys = request.topics.flatMap((topic) => topic.partitions.map((partition) => partitionKey(topic.topic, partition.partition)));
    const unwatch = options.purgatory.watch(new DelayedFetch(actor, request), { keys, connectionId: ref.connectionId });
    if (unwatch === undefined) {
      // Full: answer with what is there now, as fetch.max.wait.ms = 0 would, rather than hold more memory.
      respond(outcome);
      return;
    }
    this.started += 1;
    actor.subscribe({ complete: unwatch, error: (error) => options.onFatalError(error) });
    actor.start();
  }
}
