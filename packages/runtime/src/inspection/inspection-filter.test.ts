import { assign, createActor, setup, type InspectionEvent } from 'xstate';
import { describe, expect, it } from 'vitest';
import { actorIds } from './actor-ids.js';
import { createInspectionFilter } from './inspection-filter.js';

/** A member-like machine: polls and heartbeats are frequent; a heartbeat answer may start a rebalance. */
const member = setup({
  types: {
    context: {} as { polls: number; ports: { logger: object } },
    events: {} as { type: 'app.poll' } | { type: 'response.heartbeat'; rebalance: boolean } | { type: 'response.joinGroup' },
  },
}).createMachine({
  id: 'member',
  initial: 'stable',
  context: { polls: 0, ports: { logger: { write: () => undefined } } },
  on: { 'app.poll': { actions: assign({ polls: ({ context }) => context.polls + 1 }) } },
  states: {
    stable: { on: { 'response.heartbeat': { guard: ({ event }) => event.rebalance, target: 'joining' } } },
    joining: { on: { 'response.joinGroup': 'stable' } },
  },
});

function run(id: string, drive: (send: (event: Parameters<ReturnType<typeof createActor<typeof member>>['send']>[0]) => void) => void): InspectionEvent[] {
  const filter = createInspectionFilter();
  const kept: InspectionEvent[] = [];
  const actor = createActor(member, {
    id,
    inspect: (event) => {
      const forwarded = filter(event);
      if (forwarded !== undefined) kept.push(forwarded);
    },
  }).start();
  drive((event) => actor.send(event));
  actor.stop();
  return kept;
}

const describeEvent = (event: InspectionEvent) =>
  event.type === '@xstate.snapshot' ? `snapshot ${JSON.stringify((event.snapshot as unknown as { value: unknown }).value)} after ${event.event.type}` : event.type === '@xstate.event' ? `event ${event.event.type}` : event.type;

describe('createInspectionFilter', () => {
  it('keeps actor, event and snapshot; drops microsteps and actions', () => {
    const kept = run('consumer/g/c1', (send) => send({ type: 'response.joinGroup' }));
    expect(new Set(kept.map((event) => event.type))).toEqual(new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']));
    expect(kept.map(describeEvent)).toContain('event response.joinGroup');
  });

  it('drops high-rate events and the snapshots they cause while the state value stays the same', () => {
    const kept = run('consumer/g/c1', (send) => {
      for (let poll = 0; poll < 50; poll += 1) send({ type: 'app.poll' });
      send({ type: 'response.heartbeat', rebalance: false });
    });
    expect(kept.map(describeEvent).filter((line) => line.includes('app.poll') || line.includes('heartbeat'))).toEqual([]);
  });

  it('keeps the snapshot of a high-rate event that changes the state value (a heartbeat that starts a rebalance)', () => {
    const kept = run('consumer/g/c1', (send) => {
      send({ type: 'app.poll' });
      send({ type: 'response.heartbeat', rebalance: true });
      send({ type: 'response.joinGroup' });
    });
    const lines = kept.map(describeEvent);
    expect(lines).toContain('snapshot "joining" after response.heartbeat');
    expect(lines).not.toContain('event response.heartbeat');
    expect(lines.indexOf('snapshot "joining" after response.heartbeat')).toBeLessThan(lines.indexOf('snapshot "stable" after response.joinGroup'));
  });

  it('drops replication traffic (a fetcher\'s answers, a leader\'s follower fetches) unless it changes a state', () => {
    const fetcher = setup({ types: { events: {} as { type: 'fetch.responded'; ok: boolean } | { type: 'replica.fetch' } | { type: 'follower.fetchResponse' } } }).createMachine({
      id: 'replicaFetcher',
      initial: 'Fetching',
      on: { 'replica.fetch': {}, 'follower.fetchResponse': {} },
      states: { Fetching: { on: { 'fetch.responded': { guard: ({ event }) => !event.ok, target: 'BackingOff' } } }, BackingOff: {} },
    });
    const filter = createInspectionFilter();
    const kept: InspectionEvent[] = [];
    const actor = createActor(fetcher, { id: actorIds.replicaFetcher(1, 0), inspect: (event) => void (filter(event) !== undefined && kept.push(event)) }).start();
    for (let round = 0; round < 20; round += 1) {
      actor.send({ type: 'fetch.responded', ok: true });
      actor.send({ type: 'replica.fetch' });
      actor.send({ type: 'follower.fetchResponse' });
    }
    actor.send({ type: 'fetch.responded', ok: false });
    actor.stop();
    expect(kept.map(describeEvent).filter((line) => line.includes('fetch'))).toEqual(['snapshot "BackingOff" after fetch.responded']);
  });

  it('reduces snapshots to plain state without the injected ports', () => {
    const kept = run('consumer/g/c1', (send) => send({ type: 'response.joinGroup' }));
    const snapshot = kept.find((event) => event.type === '@xstate.snapshot' && event.event.type === 'response.joinGroup');
    expect(snapshot).toBeDefined();
    expect((snapshot as { snapshot: unknown }).snapshot).toEqual({ status: 'active', value: 'stable', context: { polls: 0 } });
  });
});

describe('actor registrations', () => {
  it('carry the first snapshot of the actor, not the one it has by the time they are converted', () => {
    const filter = createInspectionFilter();
    const kept: InspectionEvent[] = [];
    const actor = createActor(member, { id: 'consumer/g/c1', inspect: (event) => void kept.push(filter(event) ?? event) });
    actor.start();
    actor.send({ type: 'response.heartbeat', rebalance: true });
    const registration = kept.find((event) => event.type === '@xstate.actor');
    expect((registration?.actorRef as unknown as { getSnapshot(): { value: unknown } }).getSnapshot().value).toBe('stable');
    expect((registration?.actorRef as unknown as { id: string }).id).toBe('consumer/g/c1');
    expect(actor.getSnapshot().value).toBe('joining');
  });
});
