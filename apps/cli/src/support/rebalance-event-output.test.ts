import type { RebalanceRecord } from '@kactor/client';
import { describe, expect, it } from 'vitest';
import { eventJson, eventText } from './group-output.js';

const record: RebalanceRecord = {
  trigger: 'rejoin',
  reason: 'the coordinator answered REBALANCE_IN_PROGRESS',
  protocol: 'COOPERATIVE',
  fromGeneration: 1,
  generations: [2, 3],
  startMs: 1_000,
  endMs: 1_250,
  revoked: [{ topic: 'orders', partition: 3 }],
  assigned: [],
  lost: [],
  pausedMs: 0,
  partiallyPausedMs: 200,
  completed: true,
};

describe('--events output of rebalances', () => {
  it('prints a rebalance as one JSON line with the record after its type', () => {
    expect(eventJson({ type: 'rebalance', record })).toBe(
      '{"type":"rebalance","trigger":"rejoin","reason":"the coordinator answered REBALANCE_IN_PROGRESS","protocol":"COOPERATIVE","fromGeneration":1,' +
        '"generations":[2,3],"startMs":1000,"endMs":1250,"revoked":[{"topic":"orders","partition":3}],"assigned":[],"lost":[],"pausedMs":0,"partiallyPausedMs":200,"completed":true}',
    );
    expect(eventText({ type: 'rebalance', record })).toBe(
      '[group] rebalance COOPERATIVE (rejoin) took 250 ms, paused 0 ms, partially paused 200 ms; generations 2, 3; revoked orders-3; assigned none; lost none',
    );
  });

  it('adds the protocol to state lines, after the existing keys', () => {
    expect(eventJson({ type: 'state', from: 'stable', to: 'rebalancing', generation: 2, protocol: 'EAGER' })).toBe('{"type":"state","from":"stable","to":"rebalancing","generation":2,"protocol":"EAGER"}');
  });
});
