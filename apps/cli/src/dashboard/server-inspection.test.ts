/**
 * The dashboard as an inspection endpoint and a statechart server: a real XState actor inspected with
 * kactor's own inspection (`createInspection`, as `--inspect URL` wires it) streams to `/inspect` and shows
 * in `/api/actors`; upgrades elsewhere, from a foreign page or to a dashboard without inspection are
 * refused; `GET /api/statecharts/:machine.svg` serves a machine's SVG with state ids, rendered once.
 */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInspection, SystemClock } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { adminClusterSource } from './cluster-source.js';
import { fakeAdmin } from './fake-admin.fixture.js';
import { createInspectedActorDirectory } from './inspected-actors.js';
import { dashboardLimits } from './limits.js';
import { startDashboardServer, type RunningDashboard } from './server.js';
import { createStatechartImages, type StatechartImages } from './statechart-images.js';

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

async function start(options: { inspection?: boolean; statecharts?: StatechartImages } = {}) {
  const statecharts = options.statecharts ?? createStatechartImages();
  const actors = createInspectedActorDirectory({ maxActors: 10, maxRecentStates: 8, machineNames: statecharts.machineNames });
  const dashboard = await startDashboardServer({ source: adminClusterSource(fakeAdmin()), actors, ...(options.inspection === false ? {} : { inspection: actors }), statecharts, port: 0 });
  running.push(() => dashboard.close());
  return dashboard;
}

/** Polls `check` until it holds, for at most `timeoutMs` (the messages cross a real socket). */
async function waitFor(check: () => Promise<true | undefined>, options: { timeoutMs: number; description: string }): Promise<void> {
  for (let waited = 0; (await check()) !== true; waited += 20) {
    if (waited > options.timeoutMs) throw new Error(`${options.description}: not within ${options.timeoutMs} ms`);
    await sleep(20);
  }
}

const actorsOf = async (dashboard: RunningDashboard) => ((await (await fetch(`${dashboard.url}api/actors`)).json()) as { actors: Array<{ id: string; machine: string; state: unknown; recent: string[] }> }).actors;

/** The status line of a WebSocket upgrade request: 101 when accepted. */
function upgradeStatus(dashboard: RunningDashboard, path: string, headers: Record<string, string> = {}) {
  return new Promise<number>((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port: dashboard.port, path, headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers } });
    outgoing.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('response', (response) => resolve(response.statusCode ?? 0));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const toggle = createMachine({ id: 'toggle', initial: 'off', states: { off: { on: { FLIP: 'on' } }, on: { on: { FLIP: 'off' } } } });

describe('the dashboard as an inspection endpoint', () => {
  it('an actor inspected with --inspect ws://127.0.0.1:<port>/inspect appears in /api/actors and follows its state; gone when its process is', async () => {
    const dashboard = await start();
    expect(dashboard.inspectUrl).toBe(`ws://127.0.0.1:${dashboard.port}/inspect`);
    const inspection = createInspection({ url: dashboard.inspectUrl, clock: new SystemClock({ unrefTimers: true }), sessionPrefix: '1234/' });
    const actor = createActor(toggle, { id: 'consumer/g/toggle', inspect: inspection.inspect }).start();
    await waitFor(async () => ((await actorsOf(dashboard)).length === 1 ? true : undefined), { timeoutMs: 10_000, description: 'the actor registered' });
    expect(await actorsOf(dashboard)).toEqual([{ id: 'consumer/g/toggle', machine: 'toggle', state: 'off', status: 'active', recent: ['off'] }]);
    actor.send({ type: 'FLIP' });
    await waitFor(async () => ((await actorsOf(dashboard))[0]?.state === 'on' ? true : undefined), { timeoutMs: 10_000, description: 'the snapshot after FLIP' });
    expect((await actorsOf(dashboard))[0]?.recent).toEqual(['off', 'on']);
    await inspection.close();
    await waitFor(async () => ((await actorsOf(dashboard)).length === 0 ? true : undefined), { timeoutMs: 10_000, description: 'the actor gone with its connection' });
    actor.stop();
  });

  it('refuses upgrades to another path (404), from another page (403), and when the dashboard has no inspection (404)', async () => {
    const dashboard = await start();
    expect(await upgradeStatus(dashboard, '/inspect')).toBe(101);
    expect(await upgradeStatus(dashboard, '/elsewhere')).toBe(404);
    expect(await upgradeStatus(dashboard, '/inspect', { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(dashboard, '/inspect', { origin: `http://127.0.0.1:${dashboard.port}` })).toBe(101);
    expect(await upgradeStatus(dashboard, '/inspect', { host: 'evil.example' })).toBe(403);
    const without = await start({ inspection: false });
    expect(await upgradeStatus(without, '/inspect')).toBe(404);
  });
});

describe('GET /api/statecharts/:machine.svg', () => {
  it("serves a machine's SVG with an id per state, rendered once per machine", async () => {
    const images = createStatechartImages();
    const dashboard = await start({ statecharts: images });
    const response = await fetch(`${dashboard.url}api/statecharts/consumer.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await response.text();
    for (const state of ['joining', 'syncing', 'stable', 'rebalancing', 'dead', 'joining.awaitingJoin']) expect(svg).toContain(`id="state:${state}"`);
    expect(await (await fetch(`${dashboard.url}api/statecharts/group-coordinator.svg`)).text()).toContain('id="state:Stable"');
    // The same promise each time: rendered on the first request, then served from the cache.
    expect(images.svg('consumer')).toBe(images.svg('consumer'));
    expect(await images.svg('consumer')).toBe(svg);
  });

  it('answers 404 for a machine kactor does not have', async () => {
    const dashboard = await start();
    expect((await fetch(`${dashboard.url}api/statecharts/nothing.svg`)).status).toBe(404);
    expect((await fetch(`${dashboard.url}api/statecharts/..%2Fconsumer.svg`)).status).toBe(404);
  });
});

describe('the dashboard limits for inspection', () => {
  it('are named and documented', () => {
    expect(dashboardLimits.maxInspectionConnections).toBeGreaterThan(0);
    expect(dashboardLimits.maxRecentStates).toBeGreaterThan(4);
  });
});
