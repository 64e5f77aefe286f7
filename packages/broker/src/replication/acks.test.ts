import { describe, expect, it } from 'vitest';
import { checkBeforeAppend, produceCompletion, validateRequiredAcks } from './acks.js';
import { nextHighWatermark } from './high-watermark.js';
import { followerAt } from './test-support.js';

describe('validateRequiredAcks (ReplicaManagerTest.testIllegalRequiredAcks)', () => {
  it('refuses acks=3 with INVALID_REQUIRED_ACKS and accepts -1, 0 and 1', () => {
    expect(validateRequiredAcks(3)).toEqual({ ok: false, error: 'INVALID_REQUIRED_ACKS' });
    expect(validateRequiredAcks(-2)).toEqual({ ok: false, error: 'INVALID_REQUIRED_ACKS' });
    for (const acks of [-1, 0, 1]) expect(validateRequiredAcks(acks)).toEqual({ ok: true, acks });
  });
});

describe('checkBeforeAppend', () => {
  it('refuses acks=all with NOT_ENOUGH_REPLICAS when the ISR is below min.insync.replicas', () => {
    expect(checkBeforeAppend(-1, 1, 2)).toBe('NOT_ENOUGH_REPLICAS');
    expect(checkBeforeAppend(-1, 2, 2)).toBe('NONE');
  });

  it('does not check acks=1 or acks=0', () => {
    expect(checkBeforeAppend(1, 1, 2)).toBe('NONE');
    expect(checkBeforeAppend(0, 1, 2)).toBe('NONE');
  });
});

describe('produceCompletion', () => {
  const waiting = { requiredOffset: 10, deadlineMs: 30000 };
  const view = { isLeader: true, highWatermark: 9, maximalIsrSize: 2, minInsyncReplicas: 2, nowMs: 1000 };

  it('waits until the HW passes the batch, then answers NONE', () => {
    expect(produceCompletion(waiting, view)).toEqual({ done: false });
    expect(produceCompletion(waiting, { ...view, highWatermark: 10 })).toEqual({ done: true, error: 'NONE' });
  });

  it('answers REQUEST_TIMED_OUT at the deadline', () => {
    expect(produceCompletion(waiting, { ...view, nowMs: 30000 })).toEqual({ done: true, error: 'REQUEST_TIMED_OUT' });
  });

  it('answers NOT_LEADER_OR_FOLLOWER once the broker is no longer the leader (testDeltaToFollowerCompletesProduce)', () => {
    expect(produceCompletion(waiting, { ...view, isLeader: false })).toEqual({ done: true, error: 'NOT_LEADER_OR_FOLLOWER' });
  });
});

// ProducerFailureHandlingTest.testNotEnoughReplicasAfterBrokerShutdown: 2 brokers, RF 2, min.insync.replicas 2;
// one broker goes down. Depending on timing acks=all gets NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND or a timeout.
describe('acks=all when a follower goes away with min.insync.replicas = cluster size', () => {
  const minInsyncReplicas = 2;
  const hwInputs = { leaderId: 0, minInsyncReplicas, nowMs: 1000, replicaLagTimeMaxMs: 30000, highWatermark: 10, leaderLogEndOffset: 11 };
  const waiting = { requiredOffset: 11, deadlineMs: 30000 };

  it('the follower copied the batch before it left the ISR: NOT_ENOUGH_REPLICAS_AFTER_APPEND', () => {
    const highWatermark = nextHighWatermark({ ...hwInputs, isr: [0, 1], maximalIsr: [0, 1], followers: [followerAt(1, 11, 1000, 11)] });
    expect(highWatermark).toBe(11);
    // The ISR shrank to [0] before the waiting produce was re-checked.
    expect(produceCompletion(waiting, { isLeader: true, highWatermark, maximalIsrSize: 1, minInsyncReplicas, nowMs: 1001 })).toEqual({ done: true, error: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' });
  });

  it('the ISR shrank first: the HW is frozen and the write times out', () => {
    const highWatermark = nextHighWatermark({ ...hwInputs, isr: [0], maximalIsr: [0], followers: [] });
    expect(highWatermark).toBe(10);
    expect(produceCompletion(waiting, { isLeader: true, highWatermark, maximalIsrSize: 1, minInsyncReplicas, nowMs: 29999 })).toEqual({ done: false });
    expect(produceCompletion(waiting, { isLeader: true, highWatermark, maximalIsrSize: 1, minInsyncReplicas, nowMs: 30000 })).toEqual({ done: true, error: 'REQUEST_TIMED_OUT' });
  });

  it('the next write is refused before appending: NOT_ENOUGH_REPLICAS', () => {
    expect(checkBeforeAppend(-1, 1, minInsyncReplicas)).toBe('NOT_ENOUGH_REPLICAS');
  });
});
