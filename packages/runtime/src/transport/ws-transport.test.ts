import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from './test-support.js';
import { secretToken } from './secret.js';
import { describeTransportCompliance } from './transport-compliance.js';
import { TransportError, type Connection, type Listener } from './transport.js';
import { WebSocketTransport } from './ws-transport.js';

const WAIT_MS = 5_000;

describeTransportCompliance('WebSocketTransport', () => {
  const transport = new WebSocketTransport();
  return {
    transport,
    host: '127.0.0.1',
    async unusedAddress() {
      // A port that was free a moment ago: bind it, note it, release it.
      const listener = await transport.listen({ host: '127.0.0.1', port: 0, maxFrameBytesHard: 1024 }, () => undefined);
      await listener.close();
      return listener.url;
    },
    waitFor: (condition, description) => waitFor(condition, WAIT_MS, description),
  };
});

describe('WebSocketTransport', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const listen = async (transport: WebSocketTransport, onConnection: (connection: Connection) => void = () => undefined) => {
    const listener = await transport.listen({ host: '127.0.0.1', port: 0, maxFrameBytesHard: 1024 }, onConnection);
    cleanups.push(() => listener.close());
    return listener;
  };

  /** Opens a raw ws client and resolves with the HTTP response to its upgrade (101 when it upgraded). */
  const upgradeResponse = (
    url: string,
    options: ConstructorParameters<typeof WebSocket>[2],
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      socket.on('upgrade', (response) => resolve({ status: 101, headers: response.headers }));
      socket.on('open', () => socket.close());
      socket.on('unexpected-response', (_request, response) => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers });
        socket.terminate();
      });
      socket.on('error', (error) => reject(error));
    });
  const upgradeStatus = async (url: string, options: ConstructorParameters<typeof WebSocket>[2]): Promise<number> =>
    (await upgradeResponse(url, options)).status;

  it('reports the real port it bound and serves a plain ws client', async () => {
    const listener = await listen(new WebSocketTransport());
    expect(listener.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(listener.url).not.toMatch(/:0$/);
    expect(await upgradeStatus(listener.url, {})).toBe(101);
  });

  it('refuses a browser origin with 403 unless it is allowed', async () => {
    const closed = await listen(new WebSocketTransport());
    expect(await upgradeStatus(closed.url, { origin: 'https://evil.example' })).toBe(403);
    const open = await listen(new WebSocketTransport({ allowedOrigins: ['http://localhost:5173'] }));
    expect(await upgradeStatus(open.url, { origin: 'http://localhost:5173' })).toBe(101);
    expect(await upgradeStatus(open.url, { origin: 'https://evil.example' })).toBe(403);
  });

  it('answers a wrong secret with 401 and a Bearer challenge, never upgrading', async () => {
    const transport = new WebSocketTransport();
    let accepted = 0;
    const listener = await transport.listen(
      { host: '127.0.0.1', port: 0, maxFrameBytesHard: 1024, secret: 's3cret' },
      () => (accepted += 1),
    );
    cleanups.push(() => listener.close());
    const refused = await upgradeResponse(listener.url, { headers: { Authorization: 'Bearer nope' } });
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(accepted).toBe(0);
    expect(await upgradeStatus(listener.url, { headers: { Authorization: `Bearer ${secretToken('s3cret')}` } })).toBe(101);
    await waitFor(() => accepted === 1, WAIT_MS, 'the right secret is accepted');
  });

  it('answers an upgrade past max.connections with 503 naming the limit in the status line and body', async () => {
    const transport = new WebSocketTransport();
    const listener = await transport.listen({ host: '127.0.0.1', port: 0, maxFrameBytesHard: 1024, maxConnections: 0 }, () => undefined);
    cleanups.push(() => listener.close());
    const refusal = await new Promise<{ status: number; statusMessage: string; body: string }>((resolve, reject) => {
      const socket = new WebSocket(listener.url);
      socket.on('unexpected-response', (_request, response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, statusMessage: response.statusMessage ?? '', body }));
      });
      socket.on('open', () => reject(new Error('upgraded past max.connections')));
      socket.on('error', () => undefined);
    });
    expect(refusal.status).toBe(503);
    expect(refusal.statusMessage).toBe('Too many connections: max.connections (0) reached: too many connections are open');
    expect(refusal.body).toContain('max.connections (0) reached');
  });

  it('answers plain HTTP requests with 426 Upgrade Required', async () => {
    const listener = await listen(new WebSocketTransport());
    const response = await fetch(listener.url.replace('ws:', 'http:'));
    expect(response.status).toBe(426);
  });

  it('hands frames over as plain Uint8Array views, not Buffers', async () => {
    const transport = new WebSocketTransport();
    const frames: Uint8Array[] = [];
    const listener = await listen(transport, (connection) => connection.onFrame((frame) => frames.push(frame)));
    const client = await transport.connect(listener.url);
    cleanups.push(() => client.close());
    client.send(Uint8Array.of(1, 2, 3));
    await waitFor(() => frames.length === 1, WAIT_MS, 'the frame arrives');
    expect(Object.getPrototypeOf(frames[0])).toBe(Uint8Array.prototype);
    expect(Array.from(frames[0]!)).toEqual([1, 2, 3]);
  });

  it('closes a connection that sends a text message with 1003', async () => {
    const closes: number[] = [];
    const listener = await listen(new WebSocketTransport(), (connection) => connection.onClose(({ code }) => closes.push(code)));
    const socket = new WebSocket(listener.url);
    const clientCloseCode = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('open', () => socket.send('hello as text'));
    expect(await clientCloseCode).toBe(1003);
    await waitFor(() => closes.length === 1, WAIT_MS, 'the server side reports the close');
  });

  it('times out a connect to a server that never answers the upgrade', async () => {
    // Accepts TCP and reads (so it notices the client hanging up) but never answers the HTTP upgrade.
    const silent: TcpServer = createTcpServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const { port } = silent.address() as { port: number };
    const startedMs = performance.now();
    const error = await new WebSocketTransport()
      .connect(`ws://127.0.0.1:${port}`, { connectTimeoutMs: 200 })
      .catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('TIMEOUT');
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(190);
    // The attempt was torn down, not left half-open: the server sees its socket go.
    let openSockets = -1;
    await waitFor(
      () => {
        silent.getConnections((_error, count) => (openSockets = count));
        return openSockets === 0;
      },
      WAIT_MS,
      'the abandoned socket closes',
    );
  });

  it('explains an address in use and a host it cannot bind', async () => {
    const transport = new WebSocketTransport();
    const listener = await listen(transport);
    const port = Number(new URL(listener.url).port);
    const inUse = await transport.listen({ host: '127.0.0.1', port, maxFrameBytesHard: 1024 }, () => undefined).catch((error: unknown) => error);
    expect(inUse).toMatchObject({ code: 'ADDRESS_IN_USE', message: expect.stringMatching(/already in use/) });
    const badHost = await transport.listen({ host: '192.0.2.1', port: 0, maxFrameBytesHard: 1024 }, () => undefined).catch((error: unknown) => error);
    expect(badHost).toMatchObject({ code: 'LISTEN_FAILED' });
  });

  it('rejects a malformed url, secret or frame limit instead of throwing', async () => {
    const transport = new WebSocketTransport();
    await expect(transport.connect('not a url')).rejects.toThrow();
    await expect(transport.connect('ws://127.0.0.1:1', { secret: '' })).rejects.toThrow(RangeError);
    await expect(transport.connect('ws://127.0.0.1:1', { maxFrameBytesHard: 0 })).rejects.toThrow(RangeError);
    await expect(transport.listen({ host: '127.0.0.1', port: 0, maxFrameBytesHard: 0 }, () => undefined)).rejects.toThrow(RangeError);
  });

  it('cuts connections that ignore the closing handshake when the listener closes', async () => {
    const transport = new WebSocketTransport();
    let serverSide: Connection | undefined;
    const listener: Listener = await transport.listen({ host: '127.0.0.1', port: 0, maxFrameBytesHard: 1024 }, (connection) => {
      serverSide = connection;
    });
    const client = await transport.connect(listener.url);
    await waitFor(() => serverSide !== undefined, WAIT_MS, 'the connection is accepted');
    client.pause(); // a paused client never reads the close frame, so it never answers it
    const startedMs = performance.now();
    await listener.close();
    expect(performance.now() - startedMs).toBeLessThan(WAIT_MS);
    expect(serverSide?.isOpen).toBe(false);
    client.resume();
  });
});
