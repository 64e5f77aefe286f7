import { describe, expect, it } from 'vitest';
import { actorIds } from './actor-ids.js';

describe('actorIds', () => {
  it('names every actor kactor creates the way the cluster reads', () => {
    expect(actorIds.partition(1, 'orders', 3)).toBe('broker-1/partition/orders-3');
    expect(actorIds.group(0, 'analytics')).toBe('broker-0/group/analytics');
    expect(actorIds.controller(0)).toBe('broker-0/controller');
    expect(actorIds.broker(1)).toBe('broker-1/broker');
    expect(actorIds.raft(2)).toBe('broker-2/raft/__cluster_metadata-0');
    expect(actorIds.consumer('analytics', 'console-consumer-abc')).toBe('consumer/analytics/console-consumer-abc');
  });
});
