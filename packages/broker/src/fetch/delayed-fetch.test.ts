import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { DelayedFetch } from './delayed-fetch.js';

function park(maxWaitMs = 500) {
  const clock = new SimulatedClock();
  let ready = false;
  let answers = 0;
  let unwatched = 0;
  const errors: unknown[] = [];
  const fetch = new DelayedFetch(
    clock,
    { check: () => (ready ? 'ready' : 'nothing') },
    () => {
      answers += 1;
    },
    (error) => errors.push(error),
  );
  fetch.parked(() => {
    unwatched += 1;
  }, maxWaitMs);
  return {
    clock,
    fetch,
    errors,
    answers: () => answers,
    unwatched: () => unwatched,
    setReady: (value: boolean) => {
      ready = value;
    },
  };
}

describe('delayed fetch operation', () => {
  it('Waiting -> Answered on fetch.max.wait.ms, with whatever is there', async () => {
    const { clock, fetch, answers, unwatched } = park();
    await clock.advanceByAsync(499);
    expect([fetch.state, answers()]).toEqual(['Waiting', 0]);
    await clock.advanceByAsync(1);
    expect([fetch.state, answers(), unwatched()]).toEqual(['Answered', 1, 1]);
  });

  it('Waiting stays Waiting on a check below fetch.min.bytes', () => {
    const { fetch, answers, unwatched } = park();
    fetch.check();
    expect([fetch.state, answers(), unwatched()]).toEqual(['Waiting', 0, 0]);
  });

  it('Waiting -> Answered on a check once fetch.min.bytes are there (or a partition has an error)', async () => {
    const { clock, fetch, answers, unwatched, setReady } = park();
    setReady(true);
    fetch.check();
    expect([fetch.state, answers(), unwatched()]).toEqual(['Answered', 1, 1]);
    // fetch.max.wait.ms no longer applies: the timer was cleared.
    expect(clock.pendingTimerCount).toBe(0);
    await clock.advanceByAsync(1_000);
    expect(answers()).toBe(1);
  });

  it('Waiting -> Cancelled on cancel, answering nothing even after fetch.max.wait.ms', async () => {
    const { clock, fetch, answers, unwatched } = park();
    fetch.cancel();
    await clock.advanceByAsync(1_000);
    expect([fetch.state, answers(), unwatched()]).toEqual(['Cancelled', 0, 1]);
  });

  it('Answered is final: later checks, cancels and forceComplete answer nothing more', () => {
    const { fetch, answers, unwatched, setReady } = park();
    expect(fetch.forceComplete()).toBe(true);
    setReady(true);
    fetch.check();
    fetch.cancel();
    expect(fetch.forceComplete()).toBe(false);
    expect([fetch.state, answers(), unwatched()]).toEqual(['Answered', 1, 1]);
  });

  it('Waiting -> Answered at once when fetch.max.wait.ms is 0', async () => {
    const { clock, fetch, answers } = park(0);
    await clock.advanceByAsync(0);
    expect([fetch.state, answers()]).toEqual(['Answered', 1]);
  });

  it('a check that throws reaches onFatalError, as an actor error would', () => {
    const clock = new SimulatedClock();
    const errors: unknown[] = [];
    const fetch = new DelayedFetch(
      clock,
      {
        check: () => {
          throw new Error('bug');
        },
      },
      () => undefined,
      (error) => errors.push(error),
    );
    fetch.parked(() => undefined, 500);
    fetch.check();
    expect(errors).toHaveLength(1);
  });
});
