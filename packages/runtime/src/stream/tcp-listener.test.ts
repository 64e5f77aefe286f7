import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../transport/test-support.js';
import type { ByteStreamConnection, ByteStreamListener } from './byte-stream.js';
import { listenTcp } from './tcp-listener.js';

const WAIT_MS = 5_000;

interface Peer {
  socket: Socket;
  received: Buffer[];
  closed: boolean;
}

function connectPeer(port: number): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const peer: Peer = { socket, received: [], closed: false };
    socket.on('data', (chunk) => peer.received.push(chunk));
    socket.on('close', () => (peer.closed = true));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve(peer));
    socket.once('error', reject);
  });
}

describe('listenTcp', () => {
  const opened: Array<ByteStreamListener | Socket> = [];
  afterEach(async () => {
    for (const item of opened.splice(0)) {
      if ('destroy' in item) item.destroy();
      else await item.close();
    }
  });

  it('binds a free port when asked for port 0 and carries bytes both ways', async () => {
    const accepted: ByteStreamConnection[] = [];
    const listener = await listenTcp({ host: '127.0.0.1', port: 0 }, (connection) => {
      accepted.push(connection);
      connection.onData((bytes) => connection.write(Uint8Array.from(bytes, (byte) => byte + 1)));
    });
    opened.push(listener);
    expect(listener.port).toBeGreaterThan(0);
    const peer = await connectPeer(listener.port);
    opened.push(peer.socket);
    peer.socket.write(Buffer.from([1, 2, 3]));
    await waitFor(() => Buffer.concat(peer.received).length === 3, WAIT_MS, 'the answer');
    expect([...Buffer.concat(peer.received)]).toEqual([2, 3, 4]);
    expect(accepted[0]?.id).toMatch(/^tcp-\d+$/);
    expect(accepted[0]?.remoteAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(listener.connectionCount).toBe(1);
  });

  it('closes a connection past max.connections at once and admits one again when a slot frees', async () => {
    const accepted: ByteStreamConnection[] = [];
    const listener = await listenTcp({ host: '127.0.0.1', port: 0, maxConnections: 1 }, (connection) => accepted.push(connection));
    opened.push(listener);
    const first = await connectPeer(listener.port);
    opened.push(first.socket);
    await waitFor(() => accepted.length === 1, WAIT_MS, 'the first connection accepted');
    const second = await connectPeer(listener.port);
    opened.push(second.socket);
    await waitFor(() => second.closed, WAIT_MS, 'the second connection closed');
    expect(accepted).toHaveLength(1);
    expect(first.closed).toBe(false);

    first.socket.destroy();
    await waitFor(() => listener.connectionCount === 0, WAIT_MS, 'the slot released');
    const third = await connectPeer(listener.port);
    opened.push(third.socket);
    await waitFor(() => accepted.length === 2, WAIT_MS, 'the third connection accepted');
    expect(third.closed).toBe(false);
  });

  it('refuses a port already in use with ADDRESS_IN_USE', async () => {
    const listener = await listenTcp({ host: '127.0.0.1', port: 0 }, () => undefined);
    opened.push(listener);
    await expect(listenTcp({ host: '127.0.0.1', port: listener.port }, () => undefined)).rejects.toMatchObject({ code: 'ADDRESS_IN_USE' });
  });

  it('closes the connections it holds when it closes', async () => {
    const listener = await listenTcp({ host: '127.0.0.1', port: 0 }, () => undefined);
    const peer = await connectPeer(listener.port);
    opened.push(peer.socket);
    await waitFor(() => listener.connectionCount === 1, WAIT_MS, 'the connection accepted');
    await listener.close();
    await waitFor(() => peer.closed, WAIT_MS, 'the peer sees the close');
    expect(listener.connectionCount).toBe(0);
  });
});
