import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import type { DelayedFetch } from '../fetch/delayed-fetch.js';
import type { FetchReadiness } from '../fetch/fetch-readiness.js';
import { DelayedFetches } from './delayed-fetch.js';
import { DelayedOperationPurgatory } from './purgatory.js';

/** A fetch of orders-3 with fetch.min.bytes 100 and fetch.max.wait.ms 500; the test sets what its partition holds. */
const minBytes = 100;

function setup(maxWaiting = 10) {
  const clock = new SimulatedClock();
  const purgatory = new DelayedOperationPurgatory<DelayedFetch>({ maxWaiting });
  const fetches = new DelayedFetches({ clock, purgatory, onFatalError: (error) => { throw error; } });
  let available = 0;
  let reads = 0;
  const answers: number[] = [];
  const readiness = { keys: ['orders-3'], check: (): FetchReadiness => (available >= minBytes ? 'ready' : available > 0 ? 'short' : 'nothing') };
  const park = (connectionId = 'c1') =>
    fetches.park({
      connectionId,
      maxWaitMs: 500,
      readiness,
      answer: () => {
        reads += 1;
        answers.push(available);
      },
    });
  return { clock, purgatory, park, answers, reads: () => reads, setAvailable: (bytes: number) => (available = bytes) };
}

describe('delayed fetches in the purgatory', () => {
  it('answers a parked fetch when its partition moves with fetch.min.bytes there, and stops watching it', () => {
    const { purgatory, park, answers, reads, setAvailable } = setup();
    park();
    purgatory.checkAndComplete('orders-3');
    expect(answers).toEqual([]);
    setAvailable(100);
    purgatory.checkAndComplete('orders-2');
    expect(answers).toEqual([]);
    purgatory.checkAndComplete('orders-3');
    expect(answers).toEqual([100]);
    expect(purgatory.waiting).toBe(0);
    // Checks compare offsets; the partitions are read once, for the answer.
    expect(reads()).toBe(1);
  });

  it('answers after fetch.max.wait.ms with what is there, and stops watching it', async () => {
    const { clock, purgatory, park, answers, setAvailable } = setup();
    park();
    setAvailable(40);
    await clock.advanceByAsync(499);
    expect(answers).toEqual([]);
    await clock.advanceByAsync(1);
    expect(answers).toEqual([40]);
    expect(purgatory.waiting).toBe(0);
  });

  it('drops the fetches of a closed connection without an answer', async () => {
    const { clock, purgatory, park, answers } = setup();
    park('c1');
    park('c2');
    purgatory.cancelConnection('c1');
    expect(purgatory.waiting).toBe(1);
    await clock.advanceByAsync(500);
    expect(answers).toEqual([0]);
  });

  it('drops every fetch without an answer when the broker stops', async () => {
    const { clock, purgatory, park, answers } = setup();
    park('c1');
    park('c2');
    purgatory.cancelAll();
    expect(purgatory.waiting).toBe(0);
    await clock.advanceByAsync(500);
    expect(answers).toEqual([]);
  });

  it('answers at once with what is there when the purgatory is full', () => {
    const { purgatory, park, answers, setAvailable } = setup(1);
    park();
    setAvailable(7);
    park();
    expect(answers).toEqual([7]);
    expect(purgatory.waiting).toBe(1);
  });
});
