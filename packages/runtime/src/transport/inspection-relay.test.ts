/**
 * The inspection relay's guards (issue 10 B6): a socket from another site's page (Origin) or for another
 * Host is refused with 403; with a secret, a sender without its token is refused with 401 and one with
 * it (or a viewer with the viewer token of the bridge page's address) is let in; at most
 * INSPECTION_RELAY_ACTORS_MAX registrations are kept for late viewers, a closed connection's are forgotten,
 * and a message past INSPECTION_RELAY_MESSAGE_BYTES_MAX closes its connection.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { INSPECTION_ENDPOINT_HEADER } from './inspection-access.js';
import { INSPECTION_RELAY_ACTORS_MAX, INSPECTION_RELAY_CONNECTIONS_MAX, INSPECTION_RELAY_KEPT_BYTES_MAX, INSPECTION_RELAY_MESSAGE_BYTES_MAX, startInspectionRelay, type InspectionRelay } from './inspection-relay.js';
import { bearerHeader } from './secret.js';
import { waitFor } from './test-support.js';

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

async function relay(secret?: string): Promise<InspectionRelay & { port: number }> {
  const started = await startInspectionRelay({ host: '127.0.0.1', port: 0, ...(secret === undefined ? {} : { secret }) });
  running.push(() => started.close());
  return { ...started, port: Number(new URL(started.url).port) };
}

/** The status of a WebSocket upgrade to the relay: 101 when accepted. */
function upgradeStatus(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<number>((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers } });
    outgoing.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('response', (response) => resolve(response.statusCode ?? 0));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** An open socket collecting what the relay sends it. */
async function connect(url: string, headers: Record<string, string> = {}) {
  const received: string[] = [];
  const socket = new WebSocket(url, { headers });
  socket.on('message', (data) => received.push(String(data)));
  const endpoint = await new Promise<boolean>((resolve, reject) => {
    let named = false;
    socket.once('upgrade', (response) => (named = response.headers[INSPECTION_ENDPOINT_HEADER] !== undefined));
    socket.once('open', () => resolve(named));
    socket.once('error', reject);
  });
  running.push(async () => void socket.terminate());
  return { socket, received, endpoint };
}

const registration = (sessionId: string) => JSON.stringify({ type: '@xstate.actor', sessionId, name: sessionId, snapshot: { value: 'a' } });

describe('the inspection relay refuses', () => {
  it('a page of another site (403) and another Host (403), and lets in a process (no Origin) and its own bridge page', async () => {
    const started = await relay();
    expect(await upgradeStatus(started.port, '/', { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(started.port, '/', { host: 'evil.example' })).toBe(403);
    expect(await upgradeStatus(started.port, '/', { origin: `http://localhost:${started.port}` })).toBe(101);
    expect(await upgradeStatus(started.port, '/')).toBe(101);
    expect((await connect(started.url)).endpoint).toBe(true);
  });

  it('with a secret: a sender without it (401), and lets in one with its token and a viewer with the page token', async () => {
    const started = await relay('s3cret');
    expect(started.viewerUrl).toMatch(/\?token=[0-9a-f]{64}$/);
    expect(await upgradeStatus(started.port, '/')).toBe(401);
    expect(await upgradeStatus(started.port, '/', { authorization: bearerHeader('wrong') })).toBe(401);
    expect(await upgradeStatus(started.port, '/', { authorization: bearerHeader('s3cret') })).toBe(101);
    const pageToken = new URL(started.viewerUrl).search;
    expect(await upgradeStatus(started.port, `/${pageToken}`, { origin: `http://127.0.0.1:${started.port}` })).toBe(101);
    // The page token is for watching: it is not the secret's token, which the brokers accept.
    expect(pageToken).not.toContain(bearerHeader('s3cret').slice('Bearer '.length));
    // The bridge page itself holds no data and loads without a token (it reads the token from its address).
    expect((await fetch(started.viewerUrl.replace(/\?.*/, ''))).status).toBe(200);
  });
});

describe('what the relay keeps', () => {
  it(`at most INSPECTION_RELAY_ACTORS_MAX (${INSPECTION_RELAY_ACTORS_MAX}) registrations, forgotten with their connection`, async () => {
    const started = await relay();
    const sender = await connect(started.url);
    const watcher = await connect(started.url); // relayed everything live: once it has the last, the relay has all
    const sent = INSPECTION_RELAY_ACTORS_MAX + 100;
    for (let index = 0; index < sent; index += 1) sender.socket.send(registration(`x:${index}`));
    sender.socket.send('{"type":"@xstate.event","sessionId":"x:0"}'); // after all the others: its arrival says they arrived
    await waitFor(() => watcher.received.some((message) => message.includes('@xstate.event')), 20_000, 'everything relayed');
    expect(watcher.received.filter((message) => message.includes('@xstate.actor'))).toHaveLength(sent);
    const lateViewer = await connect(started.url);
    await waitFor(() => lateViewer.received.some((message) => message.includes('@xstate.event')), 20_000, 'the replay');
    expect(lateViewer.received.filter((message) => message.includes('@xstate.actor'))).toHaveLength(INSPECTION_RELAY_ACTORS_MAX);
    sender.socket.close();
    await waitFor(() => sender.socket.readyState === WebSocket.CLOSED, 5_000, 'the sender closed');
    // The relay notices the close a moment later: a viewer connecting after that is sent none of its actors.
    const deadline = performance.now() + 10_000;
    let registrations = -1;
    while (registrations !== 0 && performance.now() < deadline) {
      const viewer = await connect(started.url);
      await waitFor(() => viewer.received.some((message) => message.includes('@xstate.event')), 10_000, 'the replayed event');
      registrations = viewer.received.filter((message) => message.includes('@xstate.actor')).length;
      viewer.socket.terminate();
    }
    expect(registrations).toBe(0);
  });

  it(`closes a connection whose message exceeds ${INSPECTION_RELAY_MESSAGE_BYTES_MAX} bytes (1009)`, async () => {
    const started = await relay();
    const sender = await connect(started.url);
    const closed = new Promise<number>((resolve) => sender.socket.once('close', (code) => resolve(code)));
    sender.socket.send('x'.repeat(INSPECTION_RELAY_MESSAGE_BYTES_MAX + 1));
    expect(await closed).toBe(1009);
  });

  it(`keeps at most INSPECTION_RELAY_KEPT_BYTES_MAX (${INSPECTION_RELAY_KEPT_BYTES_MAX}) bytes for late viewers`, async () => {
    const started = await relay();
    const sender = await connect(started.url);
    const watcher = await connect(started.url);
    const padding = 'x'.repeat(INSPECTION_RELAY_MESSAGE_BYTES_MAX - 200);
    const sent = Math.ceil(INSPECTION_RELAY_KEPT_BYTES_MAX / padding.length) + 4;
    for (let index = 0; index < sent; index += 1) sender.socket.send(JSON.stringify({ type: '@xstate.actor', sessionId: `x:${index}`, padding }));
    sender.socket.send('{"type":"@xstate.event","sessionId":"x:0"}');
    await waitFor(() => watcher.received.some((message) => message.includes('@xstate.event')), 30_000, 'everything relayed');
    expect(watcher.received.filter((message) => message.includes('@xstate.actor'))).toHaveLength(sent);
    watcher.socket.terminate();
    const lateViewer = await connect(started.url);
    await waitFor(() => lateViewer.received.some((message) => message.includes('@xstate.event')), 30_000, 'the replay');
    const replayedBytes = lateViewer.received.reduce((sum, message) => sum + message.length, 0);
    expect(replayedBytes).toBeLessThanOrEqual(INSPECTION_RELAY_KEPT_BYTES_MAX);
    expect(lateViewer.received.filter((message) => message.includes('@xstate.actor')).length).toBeLessThan(sent);
  });
});

describe('connections to the relay', () => {
  it(`at most INSPECTION_RELAY_CONNECTIONS_MAX (${INSPECTION_RELAY_CONNECTIONS_MAX}) at once; one more is refused with 503`, async () => {
    const started = await relay();
    for (let index = 0; index < INSPECTION_RELAY_CONNECTIONS_MAX; index += 1) await connect(started.url);
    expect(await upgradeStatus(started.port, '/')).toBe(503);
  });
});
