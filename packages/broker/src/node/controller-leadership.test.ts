import { describe, expect, it } from 'vitest';
import { ControllerLeadership } from './controller-leadership.js';

function recorder() {
  const calls: string[] = [];
  const leadership = new ControllerLeadership({
    claim: (epoch) => calls.push(`claim ${epoch}`),
    renounce: (leaderId) => calls.push(`renounce ${leaderId ?? 'none'}`),
  });
  return { calls, leadership };
}

describe('ControllerLeadership (KafkaRaftClient ListenerContext.maybeFireLeaderChange)', () => {
  it('claims only once the records reach past the epoch start (testHandleLeaderChangeFiresAfterListenerReachesEpochStartOffset)', () => {
    const { calls, leadership } = recorder();
    leadership.onCommitted(5);
    leadership.onLeaderChanged({ leaderId: 1, epoch: 3, isLocal: true, epochStartOffset: 10 });
    expect(calls).toEqual([]);
    leadership.onCommitted(10);
    expect(calls).toEqual([]);
    leadership.onCommitted(11);
    expect(calls).toEqual(['claim 3']);
    expect(leadership.activeEpoch).toBe(3);
    leadership.onCommitted(20);
    expect(calls).toEqual(['claim 3']);
  });

  it('claims at once when the committed records already passed the epoch start', () => {
    const { calls, leadership } = recorder();
    leadership.onCommitted(8);
    leadership.onLeaderChanged({ leaderId: 1, epoch: 2, isLocal: true, epochStartOffset: 4 });
    expect(calls).toEqual(['claim 2']);
  });

  it('renounces at once when another replica leads, and forgets a claim it had not made', () => {
    const { calls, leadership } = recorder();
    leadership.onLeaderChanged({ leaderId: 1, epoch: 2, isLocal: true, epochStartOffset: 0 });
    leadership.onCommitted(1);
    leadership.onLeaderChanged({ leaderId: 2, epoch: 3, isLocal: false, epochStartOffset: undefined });
    expect(calls).toEqual(['claim 2', 'renounce 2']);
    expect(leadership.activeEpoch).toBeUndefined();
    leadership.onLeaderChanged({ leaderId: 1, epoch: 4, isLocal: true, epochStartOffset: 30 });
    leadership.onLeaderChanged({ leaderId: undefined, epoch: 5, isLocal: false, epochStartOffset: undefined });
    leadership.onCommitted(31);
    expect(calls).toEqual(['claim 2', 'renounce 2']);
  });

  it('renounces the old epoch before claiming a new one led by the same replica', () => {
    const { calls, leadership } = recorder();
    leadership.onLeaderChanged({ leaderId: 1, epoch: 2, isLocal: true, epochStartOffset: 0 });
    leadership.onCommitted(1);
    leadership.onLeaderChanged({ leaderId: 1, epoch: 4, isLocal: true, epochStartOffset: 5 });
    leadership.onCommitted(6);
    expect(calls).toEqual(['claim 2', 'renounce 1', 'claim 4']);
  });

  it('refuses a high watermark that goes back', () => {
    const { leadership } = recorder();
    leadership.onCommitted(5);
    expect(() => leadership.onCommitted(4)).toThrow(/went back/);
  });
});
