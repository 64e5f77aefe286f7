import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../trace.js';
import { CountsAnalyzer } from './counts.js';
import { acked, feed, memberEvent, ownership, paused, processed, runEnded } from './trace-builder.test-support.js';

const requests = (timeMs: number, client: string, counts: Record<string, number>): TraceEvent => ({ type: 'client.requests', timeMs, client, requests: counts });

describe('run counts', () => {
  it('counts records, the members\' latest request samples and their heartbeats of either protocol', () => {
    const counts = feed(new CountsAnalyzer(60_000), [
      acked(1, 'orders-0', 0),
      acked(2, 'orders-0', 1),
      processed(3, 'app/member-0', 'orders-0', 0),
      processed(4, 'app/member-1', 'orders-0', 0),
      runEnded(10),
      processed(11, 'app/member-0', 'orders-0', 1), // drain phase
      requests(12, 'app/member-0', { Heartbeat: 3, Fetch: 10 }),
      requests(12, 'app/member-0', { Heartbeat: 5, Fetch: 12, JoinGroup: 1 }), // a later sample includes the earlier
      requests(12, 'app/member-1', { consumerGroupHeartbeat: 4, fetch: 6 }),
      requests(12, 'producer-0', { Produce: 100 }),
    ]).result();
    expect(counts).toEqual({ recordsAcked: 2, recordsProcessed: 2, requests: 28, heartbeats: 9, falseEvictions: 0 });
  });

  it('counts a paused member that loses its partitions as a false eviction, once per pause, and not a crashed one', () => {
    const counts = feed(new CountsAnalyzer(60_000), [
      paused(1, 'app/member-0', 30_000),
      memberEvent('member.resumed', 30_001, 'app/member-0'),
      ownership('member.lost', 30_002, 'app/member-0', ['orders-0']),
      ownership('member.lost', 30_003, 'app/member-0', ['orders-1']),
      paused(40_000, 'app/member-1', 30_000),
      memberEvent('member.crashed', 41_000, 'app/member-1'),
      memberEvent('member.started', 42_000, 'app/member-1'),
      ownership('member.lost', 50_000, 'app/member-1', ['orders-2']),
      ownership('member.lost', 50_000, 'app/member-2', ['orders-3']), // never paused
    ]).result();
    expect(counts.falseEvictions).toBe(1);
  });
});
