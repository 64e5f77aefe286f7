/**
 * The inspection receiver on a plain node:http server: messages arrive tagged with their connection,
 * a closed connection is reported, and connections past maxConnections are refused with 503.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createInspectionReceiver, type InspectionReceiver } from './inspection-receiver.js';
import { waitFor } from './test-support.js';

let server: Server | undefined;
let receiver: InspectionReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function listen(maxConnections: number) {
  const received: Array<[number, string]> = [];
  const closed: number[] = [];
  receiver = createInspectionReceiver({ maxConnections, maxMessageBytes: 1024, onMessage: (connection, message) => received.push([connection, message]), onClose: (connection) => closed.push(connection) });
  const accept = receiver;
  server = createServer();
  server.on('upgrade', (request, socket, head) => accept.accept(request, socket, head));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, received, closed };
}

const open = (url: string) =>
  new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });

describe('the inspection receiver', () => {
  it('hands on text messages with their connection and reports a closed connection', async () => {
    const { url, received, closed } = await listen(4);
    const first = await open(url);
    const second = await open(url);
    first.send('{"type":"@xstate.actor"}');
    second.send('{"type":"@xstate.snapshot"}');
    second.send(Buffer.from([1, 2, 3]), { binary: true });
    await waitFor(() => received.length === 2, 5_000, 'both messages');
    expect(received).toEqual([
      [1, '{"type":"@xstate.actor"}'],
      [2, '{"type":"@xstate.snapshot"}'],
    ]);
    first.close();
    await waitFor(() => closed.length === 1, 5_000, 'the close');
    expect(closed).toEqual([1]);
    second.close();
  });

  it('refuses connections past maxConnections with 503', async () => {
    const { url } = await listen(1);
    const first = await open(url);
    await expect(open(url)).rejects.toThrow(/503/);
    first.close();
  });
});
