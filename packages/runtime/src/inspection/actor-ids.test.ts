import { describe, expect, it } from 'vitest';
import { actorIds, isDelayedFetchId } from './actor-ids.js';

describe('actorIds', () => {
  it('names every actor kactor creates the way the cluster reads', () => {
    expect(actorIds.partition(1, 'orders', 3)).toBe('broker-1/partition/orders-3');
    expect(actorIds.group(0, 'analytics')).toBe('broker-0/group/analytics');
    expect(actorIds.controller(0)).toBe('broker-0/controller');
    expect(actorIds.broker(1)).toBe('broker-1/broker');
    expect(actorIds.raft(2)).toBe('broker-2/raft/__cluster_metadata-0');
    expect(actorIds.delayedFetch(1, 42)).toBe('broker-1/fetch/42');
    expect(actorIds.consumer('analytics', 'console-consumer-abc')).toBe('consumer/analytics/console-consumer-abc');
  });

  it('tells delayed fetches from the actors a viewer wants', () => {
    expect(isDelayedFetchId(actorIds.delayedFetch(2, 7))).toBe(true);
    expect(isDelayedFetchId(actorIds.partition(2, 'fetch', 0))).toBe(false);
    expect(isDelayedFetchId(actorIds.group(2, 'fetch/1'))).toBe(false);
    expect(isDelayedFetchId(actorIds.consumer('g', 'broker-0/fetch/1'))).toBe(false);
  });
});
