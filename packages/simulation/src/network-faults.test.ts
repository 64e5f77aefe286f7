import { createSeededRandom } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { NetworkFaults } from './network-faults.js';

const faultsOf = (seed = 1, baseLatencyMs = 0) => new NetworkFaults(createSeededRandom(seed), baseLatencyMs);

describe('NetworkFaults', () => {
  it('holds several faults at once and heals each on its own', () => {
    const faults = faultsOf();
    faults.isolate('broker-1');
    faults.cutLink('broker-0', 'broker-2');
    expect(faults.filter('broker-1', 'broker-0', undefined)).toBe('drop');
    expect(faults.filter('client', 'broker-1', undefined)).toBe('drop');
    expect(faults.filter('broker-2', 'broker-0', undefined)).toBe('drop');
    expect(faults.filter('broker-0', 'client', undefined)).toBe('deliver');
    faults.heal('broker-1');
    expect(faults.filter('broker-1', 'broker-0', undefined)).toBe('deliver');
    expect(faults.filter('broker-0', 'broker-2', undefined)).toBe('drop');
    faults.healLink('broker-2', 'broker-0');
    expect(faults.filter('broker-0', 'broker-2', undefined)).toBe('deliver');
  });

  it('slows one link both ways and leaves the others at the base latency', () => {
    const faults = faultsOf(1, 2);
    faults.slowLink('broker-0', 'broker-1', 250);
    expect(faults.latencyMs('broker-0', 'broker-1')).toBe(250);
    expect(faults.latencyMs('broker-1', 'broker-0')).toBe(250);
    expect(faults.latencyMs('broker-0', 'broker-2')).toBe(2);
    faults.healAll();
    expect(faults.latencyMs('broker-0', 'broker-1')).toBe(2);
    expect(() => faults.slowLink('a', 'b', -1)).toThrow(RangeError);
  });

  it('drops about the given share of packets on a lossy link, the same ones for the same seed', () => {
    const run = (seed: number) => {
      const faults = faultsOf(seed);
      faults.lossyLink('broker-0', 'broker-1', 0.3);
      return Array.from({ length: 1000 }, () => faults.filter('broker-0', 'broker-1', undefined));
    };
    const dropped = run(7).filter((outcome) => outcome === 'drop').length;
    expect(dropped).toBeGreaterThan(250);
    expect(dropped).toBeLessThan(350);
    expect(run(7)).toEqual(run(7));
    expect(run(8)).not.toEqual(run(7));
    expect(() => faultsOf().lossyLink('a', 'b', 1.5)).toThrow(RangeError);
  });

  it('holds the packets to and from a stopped host until it runs again, delivering them then, not dropping them', () => {
    let nowMs = 1_000;
    const faults = new NetworkFaults(createSeededRandom(1), 2, { now: () => nowMs });
    faults.holdHost('app/member-0', 4_000);
    expect(faults.filter('broker-0', 'app/member-0', undefined)).toBe('deliver');
    expect(faults.latencyMs('broker-0', 'app/member-0')).toBe(3_000);
    expect(faults.latencyMs('app/member-0', 'broker-1')).toBe(3_000);
    expect(faults.latencyMs('broker-0', 'broker-1')).toBe(2);
    nowMs = 3_999;
    expect(faults.latencyMs('broker-0', 'app/member-0')).toBe(2);
    nowMs = 2_000;
    faults.releaseHost('app/member-0');
    expect(faults.latencyMs('broker-0', 'app/member-0')).toBe(2);
    expect(() => faultsOf().holdHost('a', 10)).toThrow(Error);
  });

  it('holds the packets of one link, both ways, until a time, and healLink ends the hold', () => {
    const nowMs = 500;
    const faults = new NetworkFaults(createSeededRandom(1), 1, { now: () => nowMs });
    faults.holdLink('broker-0', 'app/member-2', 6_000);
    expect(faults.filter('app/member-2', 'broker-0', undefined)).toBe('deliver');
    expect(faults.latencyMs('app/member-2', 'broker-0')).toBe(5_500);
    expect(faults.latencyMs('broker-0', 'app/member-2')).toBe(5_500);
    expect(faults.latencyMs('broker-1', 'app/member-2')).toBe(1);
    faults.healLink('app/member-2', 'broker-0');
    expect(faults.latencyMs('broker-0', 'app/member-2')).toBe(1);
  });
});
