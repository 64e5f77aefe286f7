import type { RequestBody } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { delayedFetchMachine } from './delayed-fetch.machine.js';
import type { FetchReadOutcome } from './fetch-reader.js';

const request: RequestBody<'fetch'> = {
  replicaId: -1,
  maxWaitMs: 500,
  minBytes: 100,
  maxBytes: 1_000_000,
  isolationLevel: 0,
  topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1_000 }] }],
};

function outcome(totalBytes: number, hasError = false): FetchReadOutcome {
  return { response: { throttleTimeMs: 0, errorCode: 0, responses: [] }, totalBytes, hasError };
}

function start() {
  const clock = new SimulatedClock();
  let available = outcome(0);
  const answers: FetchReadOutcome[] = [];
  const actor = createActor(delayedFetchMachine, {
    clock,
    input: {
      ref: { connectionId: 'c', correlationId: 1, api: 'fetch', version: 0, remoteAddress: 'test' },
      request,
      ports: { read: () => available, respond: (answer) => answers.push(answer) },
    },
  }).start();
  return { clock, actor, answers, setAvailable: (bytes: number, hasError = false) => (available = outcome(bytes, hasError)) };
}

describe('delayed fetch machine', () => {
  it('Waiting -> Answered after fetch.max.wait.ms with whatever is there', async () => {
    const { clock, actor, answers, setAvailable } = start();
    setAvailable(40);
    await clock.advanceByAsync(499);
    expect(answers).toEqual([]);
    await clock.advanceByAsync(1);
    expect(actor.getSnapshot().value).toBe('Answered');
    expect(answers.map((answer) => answer.totalBytes)).toEqual([40]);
  });

  it('Waiting stays Waiting on partition.dataAvailable below fetch.min.bytes', () => {
    const { actor, answers, setAvailable } = start();
    setAvailable(99);
    actor.send({ type: 'partition.dataAvailable', topic: 'orders', partition: 0 });
    expect(actor.getSnapshot().value).toBe('Waiting');
    expect(answers).toEqual([]);
  });

  it('Waiting -> Answered on partition.dataAvailable once fetch.min.bytes are there', () => {
    const { actor, answers, setAvailable } = start();
    setAvailable(100);
    actor.send({ type: 'partition.dataAvailable', topic: 'orders', partition: 0 });
    expect(actor.getSnapshot().value).toBe('Answered');
    expect(answers.map((answer) => answer.totalBytes)).toEqual([100]);
  });

  it('Waiting -> Answered at once when a partition reports an error', () => {
    const { actor, answers, setAvailable } = start();
    setAvailable(0, true);
    actor.send({ type: 'partition.dataAvailable', topic: 'orders', partition: 0 });
    expect(answers).toHaveLength(1);
  });

  it('Waiting -> Cancelled on fetch.cancelled, answering nothing even after fetch.max.wait.ms', async () => {
    const { clock, actor, answers } = start();
    actor.send({ type: 'fetch.cancelled' });
    await clock.advanceByAsync(1_000);
    expect(actor.getSnapshot().value).toBe('Cancelled');
    expect(answers).toEqual([]);
  });
});
