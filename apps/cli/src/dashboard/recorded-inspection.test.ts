import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { createInspectedActorDirectory } from './inspected-actors.js';
import { createInspectionRecorder } from './recorded-inspection.js';

const doorMachine = createMachine({ id: 'door', initial: 'closed', states: { closed: { on: { open: 'opened' } }, opened: { after: { 1000: 'closed' } } } });

describe('recording a simulated run for the dashboard', () => {
  it("turns the actors' inspection into the dashboard's messages, stamped with simulated time", () => {
    const clock = new SimulatedClock({ startMs: 5_000 });
    const recorder = createInspectionRecorder();
    // Two root actors: each has its own actor system, so both have session id x:0.
    const first = createActor(doorMachine, { id: 'broker-0/group/app', clock, inspect: recorder.inspect }).start();
    const second = createActor(doorMachine, { id: 'broker-1/group/app', clock, inspect: recorder.inspect }).start();
    clock.advanceBy(500);
    first.send({ type: 'open' });
    clock.advanceBy(1_000);
    recorder.onTrace({ type: 'broker.killed', broker: 1 });
    second.stop();

    const entries = recorder.entries();
    // Registered with their first snapshot, the door opening and closing, the kill, then the stop of the killed actor.
    expect(entries.map((entry) => entry.timeMs)).toEqual([5_000, 5_000, 5_500, 6_500, 6_500, 6_500]);
    const directory = createInspectedActorDirectory({ maxActors: 10, maxRecentStates: 5, machineNames: new Map([['door', 'door']]) });
    const played = (upToMs: number) => {
      for (const entry of entries.filter((each) => each.timeMs <= upToMs)) {
        if ('disconnect' in entry) directory.disconnected(entry.disconnect);
        else directory.receive(entry.connection, entry.message);
      }
      return directory.list().map((actor) => ({ id: actor.id, machine: actor.machine, state: actor.state }));
    };
    expect(played(5_000)).toEqual([
      { id: 'broker-0/group/app', machine: 'door', state: 'closed' },
      { id: 'broker-1/group/app', machine: 'door', state: 'closed' },
    ]);
    // broker-0's door opened at 5.5 s and closed after its 1 s timer; broker-1 was killed at 6.5 s.
    expect(played(6_500)).toEqual([{ id: 'broker-0/group/app', machine: 'door', state: 'closed' }]);
    expect(directory.list()[0]?.recent).toEqual(['closed', 'opened', 'closed']);
    expect(recorder.brokers()).toEqual([
      { id: 0, lives: [{ startedMs: 5_000 }] },
      { id: 1, lives: [{ startedMs: 5_000, stoppedMs: 6_500 }] },
    ]);
  });

  it('keeps at most the bound and counts the rest', () => {
    const clock = new SimulatedClock();
    const recorder = createInspectionRecorder(2);
    const actor = createActor(doorMachine, { id: 'broker-0/group/app', clock, inspect: recorder.inspect }).start();
    actor.send({ type: 'open' });
    clock.advanceBy(1_000);
    expect(recorder.entries()).toHaveLength(2);
    expect(recorder.dropped()).toBe(1);
  });
});
