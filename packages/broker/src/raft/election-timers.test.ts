import { describe, expect, it } from 'vitest';
import { binaryExponentialElectionBackoffMs, checkQuorumTimeoutMs, endEpochElectionBackoffMs, randomElectionTimeoutMs } from './election-timers.js';

describe('election timers', () => {
  it('election timeout is uniform in [T, 2T) and 0 stays 0', () => {
    const bounds: number[] = [];
    const random = (bound: number): number => {
      bounds.push(bound);
      return bound - 1;
    };
    expect(randomElectionTimeoutMs(1000, () => 0)).toBe(1000);
    expect(randomElectionTimeoutMs(1000, random)).toBe(1999);
    expect(bounds).toEqual([1000]);
    expect(randomElectionTimeoutMs(0, random)).toBe(0);
  });

  it('candidate backoff: min(100 ms x random(2 << min(20, retries - 1)), election.backoff.max.ms)', () => {
    const bounds: number[] = [];
    const highest = (bound: number): number => {
      bounds.push(bound);
      return bound - 1;
    };
    expect(binaryExponentialElectionBackoffMs(1, 1000, highest)).toBe(100); // random(2) answers at most 1
    expect(binaryExponentialElectionBackoffMs(2, 1000, highest)).toBe(300); // random(4)
    expect(binaryExponentialElectionBackoffMs(3, 1000, highest)).toBe(700); // random(8)
    expect(binaryExponentialElectionBackoffMs(4, 1000, highest)).toBe(1000); // capped
    expect(binaryExponentialElectionBackoffMs(40, 1000, highest)).toBe(1000);
    expect(bounds).toEqual([2, 4, 8, 16, 2 << 20]);
    expect(binaryExponentialElectionBackoffMs(3, 1000, () => 0)).toBe(0);
    expect(() => binaryExponentialElectionBackoffMs(0, 1000, highest)).toThrow(RangeError);
  });

  it('EndQuorumEpoch backoff by rank: first at once, then min(max, (max >> (n-1)) << (pos-1)), unnamed waits max', () => {
    const successors = [2, 3, 1];
    expect(endEpochElectionBackoffMs(successors, 2, 1000)).toBe(0);
    expect(endEpochElectionBackoffMs(successors, 3, 1000)).toBe(250);
    expect(endEpochElectionBackoffMs(successors, 1, 1000)).toBe(500);
    expect(endEpochElectionBackoffMs(successors, 4, 1000)).toBe(1000);
    expect(endEpochElectionBackoffMs([], 4, 1000)).toBe(1000);
  });

  it('check-quorum is 1.5 x the fetch timeout (3000 ms with Kafka\'s default 2000)', () => {
    expect(checkQuorumTimeoutMs(2000)).toBe(3000);
  });
});
