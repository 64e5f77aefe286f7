/**
 * The dashboard as an inspection endpoint and a statechart server: a real XState actor inspected with
 * kactor's own inspection (`createInspection`, as `--inspect URL` wires it) streams to `/inspect` and shows
 * in `/api/actors`; upgrades elsewhere, from a foreign page or to a dashboard without inspection are
 * refused; `GET /api/statecharts/:machine.svg` serves a machine's SVG with state ids, rendered once.
 */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
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

async function start(options: { inspection?: boolean; statecharts?: StatechartImages; secret?: string } = {}) {
  const statecharts = options.statecharts ?? createStatechartImages();
  const actors = createInspectedActorDirectory({ maxActors: 10, maxRecentStates: 8, machineNames: statecharts.machineNames });
  const dashboard = await startDashboardServer({ source: adminClusterSource(fakeAdmin(), { now: () => 0 }), actors, ...(options.inspection === false ? {} : { inspection: actors }), statecharts, port: 0, secret: options.secret });
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

const actorsOf = async (dashboard: RunningDashboard) => ((await (await fetch(`${dashboard.url}api/actors`)).json()) as { actors: Array<{ id: string; machine: string; state: unknown; recent: string[]; previousState?: unknown }> }).actors;

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

/** What a kactor process presents for a secret (as to brokers): the SHA-256 of the secret in hex. */
const bearerHeader = (secret: string) => `Bearer ${createHash('sha256').update(secret, 'utf8').digest('hex')}`;

const toggle = createMachine({ id: 'toggle', initial: 'off', states: { off: { on: { FLIP: 'on' } }, on: { on: { FLIP: 'off' } } } });

describe('the dashboard as an inspection endpoint', () => {
  it('an actor inspected with --inspect ws://127.0.0.1:<port>/inspect appears in /api/actors and follows its state; gone when its process is', async () => {
    const dashboard = await start();
    expect(dashboard.inspectUrl).toBe(`ws://127.0.0.1:${dashboard.port}/inspect`);
    const inspection = createInspection({ url: dashboard.inspectUrl, clock: new SystemClock({ unrefTimers: true }), sessionPrefix: '1234/' });
    const actor = createActor(toggle, { id: 'consumer/g/toggle', inspect: inspection.inspect }).start();
    await waitFor(async () => ((await actorsOf(dashboard)).length === 1 ? true : undefined), { timeoutMs: 10_000, description: 'the actor registered' });
    expect(await actorsOf(dashboard)).toEqual([{ id: 'consumer/g/toggle', machine: 'toggle', state: 'off', stateText: 'off', previousState: null, status: 'active', recent: ['off'] }]);
    actor.send({ type: 'FLIP' });
    await waitFor(async () => ((await actorsOf(dashboard))[0]?.state === 'on' ? true : undefined), { timeoutMs: 10_000, description: 'the snapshot after FLIP' });
    expect((await actorsOf(dashboard))[0]?.recent).toEqual(['off', 'on']);
    expect((await actorsOf(dashboard))[0]?.previousState).toBe('off');
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

describe("the dashboard's own address as --inspect (issue 10)", () => {
  it('ws://127.0.0.1:<port> (no /inspect) is an inspection endpoint: the actor shows', async () => {
    const dashboard = await start();
    expect(await upgradeStatus(dashboard, '/')).toBe(101);
    const reported: string[] = [];
    const inspection = createInspection({ url: `ws://127.0.0.1:${dashboard.port}`, clock: new SystemClock({ unrefTimers: true }), onConnectionError: (message) => reported.push(message) });
    const actor = createActor(toggle, { id: 'consumer/g/bare', inspect: inspection.inspect }).start();
    await waitFor(async () => ((await actorsOf(dashboard))[0]?.id === 'consumer/g/bare' ? true : undefined), { timeoutMs: 10_000, description: 'the actor registered' });
    expect(reported).toEqual([]);
    await inspection.close();
    actor.stop();
  });
});

describe('the dashboard with a shared secret (issue 10 B6)', () => {
  it('its JSON needs the viewer token of the printed address (401 without), its page and charts do not', async () => {
    const dashboard = await start({ secret: 's3cret' });
    const token = new URL(dashboard.url).searchParams.get('token');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const base = `http://127.0.0.1:${dashboard.port}`;
    const refused = await fetch(`${base}/api/actors`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toBe('UNAUTHORIZED');
    expect((await fetch(`${base}/api/actors`, { headers: { authorization: `Bearer ${token ?? ''}` } })).status).toBe(200);
    expect((await fetch(`${base}/api/cluster?token=${token ?? ''}`)).status).toBe(200);
    expect((await fetch(`${base}/api/actors`, { headers: { authorization: bearerHeader('s3cret') } })).status).toBe(200);
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/api/statecharts/consumer.svg`)).status).toBe(200);
  });

  it('/inspect needs the secret from a process (401 without, 101 with), and an inspection given the secret shows', async () => {
    const dashboard = await start({ secret: 's3cret' });
    expect(await upgradeStatus(dashboard, '/inspect')).toBe(401);
    expect(await upgradeStatus(dashboard, '/inspect', { authorization: bearerHeader('wrong') })).toBe(401);
    expect(await upgradeStatus(dashboard, '/inspect', { authorization: bearerHeader('s3cret') })).toBe(101);
    const without: string[] = [];
    const refused = createInspection({ url: dashboard.inspectUrl, clock: new SystemClock({ unrefTimers: true }), onConnectionError: (message) => without.push(message) });
    await waitFor(async () => (without.length > 0 ? true : undefined), { timeoutMs: 10_000, description: 'the refusal said' });
    expect(without[0]).toMatch(/HTTP 401 \(the endpoint wants the shared secret/);
    await refused.close();
    const inspection = createInspection({ url: dashboard.inspectUrl, clock: new SystemClock({ unrefTimers: true }), secret: 's3cret' });
    const actor = createActor(toggle, { id: 'consumer/g/secret', inspect: inspection.inspect }).start();
    const authorized = { headers: { authorization: bearerHeader('s3cret') } };
    const listed = async () => ((await (await fetch(`http://127.0.0.1:${dashboard.port}/api/actors`, authorized)).json()) as { actors: unknown[] }).actors;
    await waitFor(async () => ((await listed()).length === 1 ? true : undefined), { timeoutMs: 10_000, description: 'the actor registered' });
    await inspection.close();
    actor.stop();
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
