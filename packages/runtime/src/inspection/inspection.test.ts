import { WebSocket } from 'ws';
import { createActor, createMachine } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../clock/simulated-clock.js';
import { SystemClock } from '../clock/system-clock.js';
import { startInspectionRelay, type InspectionRelay } from '../transport/inspection-relay.js';
import { INSPECTION_RECONNECT_MS } from '../transport/inspection-socket.js';
import type { TransportError } from '../transport/transport.js';
import { waitFor } from '../transport/test-support.js';
import { createInspection, inspectionOff, stringifyForViewer, type Inspection } from './inspection.js';

const toggle = createMachine({ id: 'toggle', initial: 'off', states: { off: { on: { flip: 'on' } }, on: { on: { flip: 'off' } } } });

interface Received {
  type: string;
  name?: string;
  sessionId: string;
  snapshot?: { value?: unknown };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relay(): Promise<InspectionRelay> {
  const started = await startInspectionRelay({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => started.close());
  return started;
}

async function viewer(url: string): Promise<Received[]> {
  const received: Received[] = [];
  const socket = new WebSocket(url);
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as Received));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  cleanups.push(async () => socket.close());
  return received;
}

function inspected(inspection: Inspection): void {
  cleanups.push(() => inspection.close());
}

describe('inspection through a relay', () => {
  it('shows an actor under its readable id, with its snapshots in order', async () => {
    const started = await relay();
    const received = await viewer(started.url);
    const inspection = createInspection({ url: started.url, clock: new SystemClock({ unrefTimers: true }) });
    inspected(inspection);
    const actor = createActor(toggle, { id: 'consumer/g/c1', inspect: inspection.inspect }).start();
    actor.send({ type: 'flip' });
    actor.send({ type: 'flip' });
    await waitFor(() => received.filter((event) => event.type === '@xstate.snapshot').length >= 3, 5_000, 'three snapshots at the viewer');
    const registration = received.find((event) => event.type === '@xstate.actor');
    expect(registration?.name).toBe('consumer/g/c1');
    const values = received.filter((event) => event.type === '@xstate.snapshot' && event.sessionId === registration?.sessionId).map((event) => event.snapshot?.value);
    expect(values).toEqual(['off', 'on', 'off']);
  });

  it('replays actor registrations to a viewer that connects later', async () => {
    const started = await relay();
    const inspection = createInspection({ url: started.url, clock: new SystemClock({ unrefTimers: true }) });
    inspected(inspection);
    const early = await viewer(started.url);
    createActor(toggle, { id: 'broker-0/controller', inspect: inspection.inspect }).start();
    await waitFor(() => early.some((event) => event.type === '@xstate.actor'), 5_000, 'the registration at the first viewer');
    const late = await viewer(started.url);
    await waitFor(() => late.some((event) => event.name === 'broker-0/controller'), 5_000, 'the registration replayed to a late viewer');
  });

  it('registers every live actor again, at its latest state, with a relay that restarted', async () => {
    const first = await startInspectionRelay({ host: '127.0.0.1', port: 0 });
    const port = Number(new URL(first.url).port);
    const inspection = createInspection({ url: first.url, clock: new SystemClock({ unrefTimers: true }) });
    inspected(inspection);
    const before = await viewer(first.url);
    const live = createActor(toggle, { id: 'consumer/g/live', inspect: inspection.inspect }).start();
    const gone = createActor(toggle, { id: 'consumer/g/gone', inspect: inspection.inspect }).start();
    await waitFor(() => before.filter((event) => event.type === '@xstate.actor').length >= 2, 5_000, 'both registrations at the first relay');
    await first.close();
    gone.stop();
    live.send({ type: 'flip' });
    // The same address again: the process reconnects on its own and tells the new relay what it has.
    const second = await startInspectionRelay({ host: '127.0.0.1', port });
    cleanups.push(() => second.close());
    const after = await viewer(second.url);
    await waitFor(() => after.some((event) => event.type === '@xstate.snapshot'), 10_000, 'the live actor at the restarted relay');
    const registrations = after.filter((event) => event.type === '@xstate.actor');
    expect(registrations.map((event) => event.name)).toEqual(['consumer/g/live']);
    const snapshots = after.filter((event) => event.type === '@xstate.snapshot' && event.sessionId === registrations[0]?.sessionId).map((event) => event.snapshot?.value);
    expect(snapshots).toEqual(['on']);
  });

  it('retries a missing relay on the injected clock, and close() ends the retries', async () => {
    const gone = await startInspectionRelay({ host: '127.0.0.1', port: 0 });
    await gone.close();
    const clock = new SimulatedClock({ startMs: 0 });
    const inspection = createInspection({ url: gone.url, clock });
    await waitFor(() => clock.nextTimerAt() !== undefined, 5_000, 'a reconnect timer after the refused connection');
    expect(clock.nextTimerAt()).toBe(INSPECTION_RECONNECT_MS);
    const closing = inspection.close();
    clock.runNext(); // close() lets converted events through on a 0 ms timer first
    await closing;
    expect(clock.nextTimerAt()).toBeUndefined();
  });

  it('names a port in use', async () => {
    const started = await relay();
    const port = Number(new URL(started.url).port);
    await expect(startInspectionRelay({ host: '127.0.0.1', port })).rejects.toMatchObject({ name: 'TransportError', code: 'ADDRESS_IN_USE' } satisfies Partial<TransportError>);
  });
});

describe('several processes on one relay', () => {
  it('keeps their actors apart: session ids get the process prefix, and the relay replays both', async () => {
    const started = await relay();
    const first = createInspection({ url: started.url, clock: new SystemClock({ unrefTimers: true }), sessionPrefix: '101/' });
    const second = createInspection({ url: started.url, clock: new SystemClock({ unrefTimers: true }), sessionPrefix: '202/' });
    inspected(first);
    inspected(second);
    const early = await viewer(started.url);
    createActor(toggle, { id: 'broker-0/broker', inspect: first.inspect }).start();
    createActor(toggle, { id: 'consumer/g/c1', inspect: second.inspect }).start();
    await waitFor(() => early.filter((event) => event.type === '@xstate.actor').length === 2, 5_000, 'both registrations');
    const sessions = early.filter((event) => event.type === '@xstate.actor').map((event) => event.sessionId);
    expect(sessions.map((session) => session.split('/')[0]).sort()).toEqual(['101', '202']);
    const late = await viewer(started.url);
    await waitFor(() => late.filter((event) => event.type === '@xstate.actor').length === 2, 5_000, 'both registrations replayed');
  });
});

describe('renaming an inspected actor (a consumer named after the member id it gets later)', () => {
  const registrations = (received: Received[]) => received.filter((event) => event.type === '@xstate.actor');

  it('renamed before its registration went out: registered under the new name only', async () => {
    const started = await relay();
    const received = await viewer(started.url);
    const inspection = createInspection({ url: started.url, clock: new SystemClock({ unrefTimers: true }), sessionPrefix: '101/' });
    inspected(inspection);
    // @statelyai/inspect converts the registration on a later macrotask: this rename comes first.
    const actor = createActor(toggle, { id: 'consumer/g/c1', inspect: inspection.inspect }).start();
    inspection.rename(actor, 'consumer/g/c1-member');
    actor.send({ type: 'flip' });
    await waitFor(() => received.some((event) => event.type === '@xstate.snapshot'), 5_000, 'a snapshot at the viewer');
    expect(registrations(received).map((event) => [event.sessionId, event.name])).toEqual([[`101/${actor.sessionId}`, 'consumer/g/c1-member']]);
  });

  it('renamed after its registration went out: registered again under the new name, with its latest state', async () => {
    const started = await relay();
    const received = await viewer(started.url);
    const inspection = createInspection({ url: started.url, clock: new SystemClock({ unrefTimers: true }), sessionPrefix: '101/' });
    inspected(inspection);
    const actor = createActor(toggle, { id: 'consumer/g/c1', inspect: inspection.inspect }).start();
    actor.send({ type: 'flip' });
    await waitFor(() => received.some((event) => event.type === '@xstate.snapshot'), 5_000, 'the first snapshot at the viewer');
    inspection.rename(actor, 'consumer/g/c1-member');
    await waitFor(() => registrations(received).length >= 2, 5_000, 'the second registration');
    expect(registrations(received).map((event) => [event.sessionId, event.name])).toEqual([
      [`101/${actor.sessionId}`, 'consumer/g/c1'],
      [`101/${actor.sessionId}`, 'consumer/g/c1-member'],
    ]);
    // At its latest state: a viewer shown the registration's first snapshot again would step back to it.
    expect(registrations(received)[1]?.snapshot?.value).toBe('on');
    // A late viewer gets the actor from the relay under its new name only.
    const late = await viewer(started.url);
    await waitFor(() => registrations(late).length >= 1, 5_000, 'the registration replayed');
    expect(registrations(late).map((event) => event.name)).toEqual(['consumer/g/c1-member']);
  });

  it('renamed while the relay is gone: registered under the new name when it is back', async () => {
    const first = await startInspectionRelay({ host: '127.0.0.1', port: 0 });
    const port = Number(new URL(first.url).port);
    const inspection = createInspection({ url: first.url, clock: new SystemClock({ unrefTimers: true }) });
    inspected(inspection);
    const before = await viewer(first.url);
    const actor = createActor(toggle, { id: 'consumer/g/c1', inspect: inspection.inspect }).start();
    await waitFor(() => registrations(before).length >= 1, 5_000, 'the registration at the first relay');
    await first.close();
    inspection.rename(actor, 'consumer/g/c1-member');
    const second = await startInspectionRelay({ host: '127.0.0.1', port });
    cleanups.push(() => second.close());
    const after = await viewer(second.url);
    await waitFor(() => registrations(after).length >= 1, 10_000, 'the registration at the restarted relay');
    expect(registrations(after).map((event) => event.name)).toEqual(['consumer/g/c1-member']);
  });
});

describe('inspection off', () => {
  it('gives XState no inspect callback at all', () => {
    expect(inspectionOff.inspect).toBeUndefined();
  });

  it('renames nothing, and does not throw', () => {
    const actor = createActor(toggle, { id: 'consumer/g/c1' }).start();
    expect(() => inspectionOff.rename(actor, 'consumer/g/c1-member')).not.toThrow();
    expect(actor.id).toBe('consumer/g/c1');
    actor.stop();
  });
});

describe('stringifyForViewer', () => {
  it('never throws: cycles, bigints, functions and bytes', () => {
    const cyclic: Record<string, unknown> = { name: 'a', big: 10n, run: () => undefined, bytes: Buffer.from('hello'), raw: new Uint8Array(3) };
    cyclic.self = cyclic;
    expect(JSON.parse(stringifyForViewer(cyclic))).toEqual({ name: 'a', big: '10', bytes: { bytes: 5 }, raw: { bytes: 3 }, self: '[seen]' });
  });
});
