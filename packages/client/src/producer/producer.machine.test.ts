import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor, type Actor } from 'xstate';
import { producerMachine } from './producer.machine.js';

type ProducerActor = Actor<typeof producerMachine>;

function setUp() {
  const clock = new SimulatedClock({ startMs: 0 });
  const expiries: number[] = [];
  const actor: ProducerActor = createActor(producerMachine, {
    clock,
    input: { clientId: 'producer-a', ports: { clock, expireBlockedSends: () => expiries.push(clock.now()) } },
  }).start();
  return { clock, actor, expiries };
}

const value = (actor: ProducerActor) => actor.getSnapshot().value;

describe('producer statechart', () => {
  it('starts in ready, admitting, idle', () => {
    const { actor } = setUp();
    expect(value(actor)).toEqual({ ready: { admission: 'admitting', delivery: 'idle' } });
  });

  it('admitting -> blocked.awaitingMetadata on send.blocked (metadata)', () => {
    const { actor } = setUp();
    actor.send({ type: 'send.blocked', waitingFor: 'metadata', deadlineMs: 60_000 });
    expect(actor.getSnapshot().matches({ ready: { admission: { blocked: 'awaitingMetadata' } } })).toBe(true);
  });

  it('admitting -> blocked.awaitingBufferMemory on send.blocked (memory)', () => {
    const { actor } = setUp();
    actor.send({ type: 'send.blocked', waitingFor: 'memory', deadlineMs: 60_000 });
    expect(actor.getSnapshot().matches({ ready: { admission: { blocked: 'awaitingBufferMemory' } } })).toBe(true);
  });

  it('blocked -> admitting on send.admitted, and the max.block.ms timer is cancelled', () => {
    const { actor, clock, expiries } = setUp();
    actor.send({ type: 'send.blocked', waitingFor: 'metadata', deadlineMs: 1_000 });
    clock.advanceBy(500);
    actor.send({ type: 'send.admitted' });
    clock.advanceBy(10_000);
    expect(actor.getSnapshot().matches({ ready: { admission: 'admitting' } })).toBe(true);
    expect(expiries).toEqual([]);
  });

  it('blocked -> timedOut after maxBlock (max.block.ms), at the oldest send\'s deadline, which expires the waiting sends', () => {
    const { actor, clock, expiries } = setUp();
    clock.advanceBy(200);
    actor.send({ type: 'send.blocked', waitingFor: 'metadata', deadlineMs: 3_200 });
    clock.advanceBy(2_999);
    expect(expiries).toEqual([]);
    clock.advanceBy(1);
    expect(expiries).toEqual([3_200]);
    expect(actor.getSnapshot().matches({ ready: { admission: 'timedOut' } })).toBe(true);
  });

  it('timedOut -> admitting on send.admitted (no send waits any more)', () => {
    const { actor, clock } = setUp();
    actor.send({ type: 'send.blocked', waitingFor: 'memory', deadlineMs: 1_000 });
    clock.advanceBy(1_000);
    actor.send({ type: 'send.admitted' });
    expect(actor.getSnapshot().matches({ ready: { admission: 'admitting' } })).toBe(true);
  });

  it('timedOut -> blocked on send.blocked for the next waiting send, whose own deadline arms the timer again', () => {
    const { actor, clock, expiries } = setUp();
    actor.send({ type: 'send.blocked', waitingFor: 'memory', deadlineMs: 1_000 });
    clock.advanceBy(1_000);
    // The oldest send failed; the next one, made at 400 ms, waits for metadata now.
    actor.send({ type: 'send.blocked', waitingFor: 'metadata', deadlineMs: 1_400 });
    expect(actor.getSnapshot().matches({ ready: { admission: { blocked: 'awaitingMetadata' } } })).toBe(true);
    clock.advanceBy(1_000);
    expect(expiries).toEqual([1_000, 1_400]);
  });

  it('blocked -> blocked on send.blocked for a newer oldest send: the timer restarts for its deadline', () => {
    const { actor, clock, expiries } = setUp();
    actor.send({ type: 'send.blocked', waitingFor: 'metadata', deadlineMs: 1_000 });
    clock.advanceBy(500);
    actor.send({ type: 'send.blocked', waitingFor: 'memory', deadlineMs: 2_000 });
    expect(actor.getSnapshot().matches({ ready: { admission: { blocked: 'awaitingBufferMemory' } } })).toBe(true);
    clock.advanceBy(1_000);
    expect(expiries).toEqual([]);
    clock.advanceBy(500);
    expect(expiries).toEqual([2_000]);
  });

  it('idle -> sending on records.pending, sending -> idle on records.delivered', () => {
    const { actor } = setUp();
    actor.send({ type: 'records.pending' });
    expect(actor.getSnapshot().matches({ ready: { delivery: 'sending' } })).toBe(true);
    actor.send({ type: 'records.delivered' });
    expect(actor.getSnapshot().matches({ ready: { delivery: 'idle' } })).toBe(true);
  });

  it('sending -> flushing on flush.started, flushing -> idle on flush.completed once delivered', () => {
    const { actor } = setUp();
    actor.send({ type: 'records.pending' });
    actor.send({ type: 'flush.started' });
    expect(actor.getSnapshot().matches({ ready: { delivery: 'flushing' } })).toBe(true);
    actor.send({ type: 'records.delivered' });
    actor.send({ type: 'flush.completed' });
    expect(actor.getSnapshot().matches({ ready: { delivery: 'idle' } })).toBe(true);
  });

  it('flushing -> sending on flush.completed while records sent after the flush are pending', () => {
    const { actor } = setUp();
    actor.send({ type: 'flush.started' });
    actor.send({ type: 'records.pending' });
    actor.send({ type: 'flush.completed' });
    expect(actor.getSnapshot().matches({ ready: { delivery: 'sending' } })).toBe(true);
  });

  it('ready -> closing on close.requested, from any admission or delivery state, and no timer fires after', () => {
    const { actor, clock, expiries } = setUp();
    actor.send({ type: 'records.pending' });
    actor.send({ type: 'send.blocked', waitingFor: 'metadata', deadlineMs: 1_000 });
    actor.send({ type: 'close.requested' });
    expect(value(actor)).toBe('closing');
    clock.advanceBy(5_000);
    expect(expiries).toEqual([]);
  });

  it('closing -> closed on close.completed, a final state', () => {
    const { actor } = setUp();
    actor.send({ type: 'close.requested' });
    actor.send({ type: 'close.completed' });
    expect(value(actor)).toBe('closed');
    expect(actor.getSnapshot().status).toBe('done');
  });
});
