/**
 * The InspectionSocket's renaming of a registered actor, against a plain WebSocket server standing in for
 * the relay: registered again at once under the new name (at its latest state) when connected, kept for
 * the next connection when not, and nothing for an actor it does not hold or a name unchanged.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { Clock } from '../clock/clock.js';
import { SystemClock } from '../clock/system-clock.js';
import { INSPECTION_ENDPOINT_HEADER } from './inspection-access.js';
import { InspectionSocket } from './inspection-socket.js';
import { bearerHeader } from './secret.js';
import { WebSocketTransport } from './ws-transport.js';
import { waitFor } from './test-support.js';

interface Received {
  type: string;
  sessionId: string;
  name?: string;
  snapshot?: { value?: unknown };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A relay that only records: each connection's messages, in order. It names itself an inspection endpoint. */
async function recordingServer(port = 0): Promise<{ url: string; connections: Received[][]; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('headers', (headers) => headers.push(`${INSPECTION_ENDPOINT_HEADER}: 1`));
  const connections: Received[][] = [];
  server.on('connection', (socket) => {
    const received: Received[] = [];
    connections.push(received);
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as Received));
  });
  const close = async () => {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  };
  cleanups.push(close);
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, connections, close };
}

function socketTo(url: string): InspectionSocket {
  const socket = new InspectionSocket({ url, clock: new SystemClock({ unrefTimers: true }), stringify: (event) => JSON.stringify(event) });
  cleanups.push(() => socket.stop());
  return socket;
}

const registration = (sessionId: string, name: string, value: string) =>
  ({ type: '@xstate.actor', sessionId, name, snapshot: { status: 'active', value } }) as unknown as StatelyInspectionEvent;
const snapshot = (sessionId: string, value: string) => ({ type: '@xstate.snapshot', sessionId, snapshot: { status: 'active', value } }) as unknown as StatelyInspectionEvent;
const summary = (received: Received[]) => received.map((event) => [event.type, event.sessionId, ...(event.name === undefined ? [] : [event.name]), event.snapshot?.value]);

describe('renaming an actor the socket holds', () => {
  it('connected: sends its registration again under the new name, at its latest state', async () => {
    const server = await recordingServer();
    const socket = socketTo(server.url);
    socket.start();
    await waitFor(() => socket.connected, 5_000, 'the socket connected');
    socket.send(registration('7/x:1', 'consumer/g/c1', 'unjoined'));
    socket.send(snapshot('7/x:1', 'joining'));
    socket.renameActor('7/x:1', 'consumer/g/c1-abc');
    socket.send(snapshot('7/x:1', 'syncing'));
    await waitFor(() => (server.connections[0]?.length ?? 0) >= 4, 5_000, 'four messages');
    expect(summary(server.connections[0] ?? [])).toEqual([
      ['@xstate.actor', '7/x:1', 'consumer/g/c1', 'unjoined'],
      ['@xstate.snapshot', '7/x:1', 'joining'],
      ['@xstate.actor', '7/x:1', 'consumer/g/c1-abc', 'joining'],
      ['@xstate.snapshot', '7/x:1', 'syncing'],
    ]);
  });

  it('disconnected: the next connection registers it under the new name only, its states following in order', async () => {
    const server = await recordingServer();
    const socket = socketTo(server.url);
    socket.send(registration('x:1', 'consumer/g/c1', 'unjoined'));
    socket.send(snapshot('x:1', 'joining'));
    socket.renameActor('x:1', 'consumer/g/c1-abc');
    socket.start();
    await waitFor(() => (server.connections[0]?.length ?? 0) >= 2, 5_000, 'the registration and the snapshot');
    expect(summary(server.connections[0] ?? [])).toEqual([
      ['@xstate.actor', 'x:1', 'consumer/g/c1-abc', 'unjoined'],
      ['@xstate.snapshot', 'x:1', 'joining'],
    ]);
  });

  it('registers it under the new name again with a relay that restarted', async () => {
    const first = await recordingServer();
    const port = Number(new URL(first.url).port);
    const socket = socketTo(first.url);
    socket.start();
    await waitFor(() => socket.connected, 5_000, 'the socket connected');
    socket.send(registration('x:1', 'consumer/g/c1', 'stable'));
    socket.renameActor('x:1', 'consumer/g/c1-abc');
    await waitFor(() => (first.connections[0]?.length ?? 0) >= 2, 5_000, 'both registrations at the first relay');
    await first.close();
    await waitFor(() => !socket.connected, 5_000, 'the socket disconnected');
    const second = await recordingServer(port);
    await waitFor(() => (second.connections[0]?.length ?? 0) >= 1, 10_000, 'the registration at the restarted relay');
    expect(summary(second.connections[0] ?? [])).toEqual([['@xstate.actor', 'x:1', 'consumer/g/c1-abc', 'stable']]);
  });

  it('sends nothing for an actor it does not hold, nor for the name it already has', async () => {
    const server = await recordingServer();
    const socket = socketTo(server.url);
    socket.start();
    await waitFor(() => socket.connected, 5_000, 'the socket connected');
    socket.send(registration('x:1', 'consumer/g/c1', 'stable'));
    socket.renameActor('x:1', 'consumer/g/c1');
    socket.renameActor('x:2', 'consumer/g/other');
    // A marker after the renames: once it arrives, anything they sent would have arrived before it.
    socket.send(snapshot('x:1', 'marker'));
    await waitFor(() => (server.connections[0]?.length ?? 0) >= 2, 5_000, 'the registration and the marker');
    expect(summary(server.connections[0] ?? [])).toEqual([
      ['@xstate.actor', 'x:1', 'consumer/g/c1', 'stable'],
      ['@xstate.snapshot', 'x:1', 'marker'],
    ]);
  });
});

describe('stopping', () => {
  it('stop() while the first connection is still opening waits for it and sends what was kept', async () => {
    const server = await recordingServer();
    const socket = socketTo(server.url);
    socket.start(); // connecting: nothing is open yet
    socket.send(registration('x:0', 'producer/console-producer', 'ready'));
    socket.send(snapshot('x:0', 'closing'));
    expect(socket.connected).toBe(false);
    await socket.stop();
    await waitFor(() => (server.connections[0]?.length ?? 0) >= 2, 5_000, 'the kept events at the relay');
    expect(summary(server.connections[0] ?? [])).toEqual([
      ['@xstate.actor', 'x:0', 'producer/console-producer', 'ready'],
      ['@xstate.snapshot', 'x:0', 'closing'],
    ]);
  });

  it('stop() with no relay there ends at once (the refused connection closes)', async () => {
    const server = await recordingServer();
    const url = server.url;
    await server.close();
    const socket = socketTo(url);
    socket.start();
    socket.send(registration('x:0', 'producer/console-producer', 'ready'));
    await socket.stop();
    expect(socket.connected).toBe(false);
  });
});

describe('a connection that fails is said, once (issue 10: a wrong --inspect URL was silent)', () => {
  function reportingSocket(url: string, secret?: string) {
    const reported: string[] = [];
    // The system clock, counting the timers the socket sets: each failed attempt schedules one reconnection.
    const systemClock = new SystemClock({ unrefTimers: true });
    const timers = { set: 0 };
    const clock: Clock = {
      now: () => systemClock.now(),
      setTimeout: (callback, delayMs) => {
        timers.set += 1;
        return systemClock.setTimeout(callback, delayMs);
      },
      clearTimeout: (handle) => systemClock.clearTimeout(handle),
    };
    const socket = new InspectionSocket({ url, clock, stringify: (event) => JSON.stringify(event), secret, onConnectionError: (message) => reported.push(message) });
    cleanups.push(() => socket.stop());
    socket.start();
    return { socket, reported, timers };
  }

  it('nothing listening: names the URL and ECONNREFUSED, and says it once over several retries', async () => {
    const server = await recordingServer();
    const url = server.url;
    await server.close();
    const { reported, timers } = reportingSocket(url);
    await waitFor(() => reported.length > 0, 5_000, 'the report');
    expect(reported[0]).toBe(`cannot connect to ${url}: nothing is listening there (ECONNREFUSED); retrying every 1 s`);
    // Three failed attempts later (three reconnections scheduled), the same failure has not been said again.
    await waitFor(() => timers.set >= 3, 10_000, 'three reconnections');
    expect(reported).toHaveLength(1);
  });

  it('an HTTP server that answers 404 at that path, and a kactor broker\'s port', async () => {
    const http = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => http.close(() => resolve())));
    const wrongPath = reportingSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/nothing`);
    await waitFor(() => wrongPath.reported.length > 0, 5_000, 'the 404 report');
    expect(wrongPath.reported[0]).toMatch(/^cannot connect to ws:\/\/127\.0\.0\.1:\d+\/nothing: HTTP 404 \(nothing receives inspection at this path/);

    const broker = await new WebSocketTransport().listen({ host: '127.0.0.1', port: 0, maxFrameBytesHard: 1024 }, () => undefined);
    cleanups.push(() => broker.close());
    const atBroker = reportingSocket(broker.url);
    await waitFor(() => atBroker.reported.length > 0, 5_000, 'the report');
    expect(atBroker.reported[0]).toMatch(/is a kactor broker, not an inspection endpoint/);
    expect(atBroker.socket.connected).toBe(false);
  });

  it('a WebSocket server that does not name itself (any Stately-compatible relay) gets the events, and is named once', async () => {
    const other = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => other.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => other.close(() => resolve(undefined))));
    const received: Received[] = [];
    other.on('connection', (connection) => connection.on('message', (data) => received.push(JSON.parse(String(data)) as Received)));
    const unknown = reportingSocket(`ws://127.0.0.1:${(other.address() as AddressInfo).port}`);
    unknown.socket.send(registration('x:1', 'consumer/g/c1', 'unjoined'));
    await waitFor(() => received.length > 0, 5_000, 'the registration at the unknown relay');
    expect(summary(received)).toEqual([['@xstate.actor', 'x:1', 'consumer/g/c1', 'unjoined']]);
    expect(unknown.reported).toEqual([expect.stringMatching(/is not a kactor relay or dashboard; streaming to it/)]);
  });

  it('presents the secret as to brokers (Authorization: Bearer) when it has one', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));
    server.on('headers', (headers) => headers.push(`${INSPECTION_ENDPOINT_HEADER}: 1`));
    const authorization = new Promise<string | undefined>((resolve) => server.once('connection', (_socket, request) => resolve(request.headers.authorization)));
    reportingSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, 's3cret');
    expect(await authorization).toBe(bearerHeader('s3cret'));
  });
});
