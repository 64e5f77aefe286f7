import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { adminClusterSource } from './cluster-source.js';
import { watchCluster } from './cluster-watch.js';
import { fakeAdmin } from './fake-admin.fixture.js';

/** Lets the admin's promises (already resolved) settle between clock steps. */
const settle = () => new Promise((done) => setImmediate(done));

describe('watchCluster', () => {
  it('takes a view every interval with no page open, so a broker fenced meanwhile is on the timeline; none after stop', async () => {
    const clock = new SimulatedClock({ startMs: 0 });
    const state = { brokers: [0, 1] };
    const source = adminClusterSource(fakeAdmin(state), clock);
    const watch = watchCluster(source, clock, 1_000);
    clock.advanceBy(1_000);
    await settle();
    state.brokers = [0];
    clock.advanceBy(1_000);
    await settle();
    expect(source.msSinceLastView()).toBe(0);
    watch.stop();
    state.brokers = [0, 1];
    clock.advanceBy(5_000);
    await settle();
    expect((await source.cluster()).events).toEqual([
      { atMs: 2_000, kind: 'broker-fenced', broker: 1 },
      { atMs: 7_000, kind: 'broker-unfenced', broker: 1 },
    ]);
  });

  it('takes no view of its own while a page polls more often than the interval', async () => {
    const clock = new SimulatedClock({ startMs: 0 });
    const source = adminClusterSource(fakeAdmin(), clock);
    let views = 0;
    const counted = { ...source, cluster: () => ((views += 1), source.cluster()) };
    const watch = watchCluster(counted, clock, 1_000);
    for (let step = 0; step < 5; step += 1) {
      clock.advanceBy(600);
      await source.cluster(); // the page's poll
      await settle();
    }
    watch.stop();
    expect(views).toBe(0);
  });
});
