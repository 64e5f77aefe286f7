import { describe, expect, it } from 'vitest';
import { flushMicrotasks } from '../clock/microtasks.js';
import { SimulatedClock } from '../clock/simulated-clock.js';
import { MemoryTransport, type LatencyMs } from './memory-transport.js';
import { waitForSimulated } from './test-support.js';
import { describeTransportCompliance } from './transport-compliance.js';
import { TransportError, type CloseReason, type Connection } from './transport.js';

describeTransportCompliance('MemoryTransport', () => {
  const clock = new SimulatedClock();
  return {
    transport: new MemoryTransport({ clock, latencyMs: 1 }),
    host: 'broker-0',
    unusedAddress: async () => 'memory://nowhere:9092',
    waitFor: (condition, description) => waitForSimulated(clock, condition, description),
  };
});

/** A network on a fresh simulated clock, with helpers that move its time. */
function createNetwork(latencyMs: LatencyMs = 0) {
  const clock = new SimulatedClock();
  const network = new MemoryTransport({ clock, latencyMs });
  const settle = async <T>(promise: Promise<T>): Promise<T> => {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await waitForSimulated(clock, () => settled, 'the operation settles');
    return promise;
  };
  /** Listens on `host`, connects from `fromHost`, and returns both sides once the clock delivered them. */
  const openPair = async (host = 'broker-0', fromHost = 'broker-1', maxFrameBytesHard = 1024) => {
    const accepted: Connection[] = [];
    const listener = await network.listen({ host, port: 9092, maxFrameBytesHard }, (connection) => accepted.push(connection));
    const client = await settle(network.forHost(fromHost).connect(listener.url));
    const server = accepted[0] as Connection;
    return { listener, client, server };
  };
  const record = (connection: Connection) => {
    const log: Array<{ atMs: number; frame?: number[]; close?: CloseReason }> = [];
    connection.onFrame((frame) => log.push({ atMs: clock.now(), frame: Array.from(frame) }));
    connection.onClose((close) => log.push({ atMs: clock.now(), close }));
    return log;
  };
  return { clock, network, settle, openPair, record };
}

describe('MemoryTransport', () => {
  it('delivers nothing until the clock moves, then each frame after its latency', async () => {
    const { clock, openPair, record } = createNetwork(5);
    const { client, server } = await openPair();
    const log = record(server);
    const sentAtMs = clock.now();
    client.send(Uint8Array.of(1));
    await flushMicrotasks();
    expect(log).toEqual([]);
    clock.advanceBy(4);
    expect(log).toEqual([]);
    clock.advanceBy(1);
    expect(log).toEqual([{ atMs: sentAtMs + 5, frame: [1] }]);
  });

  it('asks the latency function per direction, with node names', async () => {
    const asked: string[] = [];
    const { clock, openPair, record } = createNetwork((from, to) => {
      asked.push(`${from}->${to}`);
      return from === 'broker-1' ? 10 : 3;
    });
    const { client, server } = await openPair('broker-0', 'broker-1');
    const serverLog = record(server);
    const clientLog = record(client);
    const startMs = clock.now();
    client.send(Uint8Array.of(1));
    server.send(Uint8Array.of(2));
    clock.advanceBy(10);
    expect(clientLog).toEqual([{ atMs: startMs + 3, frame: [2] }]);
    expect(serverLog).toEqual([{ atMs: startMs + 10, frame: [1] }]);
    expect(asked).toContain('broker-1->broker-0');
    expect(asked).toContain('broker-0->broker-1');
  });

  it('keeps FIFO order on a connection even when the latency shrinks', async () => {
    let latencyMs = 50;
    const { clock, openPair, record } = createNetwork(() => latencyMs);
    const { client, server } = await openPair();
    const log = record(server);
    client.send(Uint8Array.of(1));
    latencyMs = 1;
    client.send(Uint8Array.of(2));
    clock.advanceBy(100);
    expect(log.map((entry) => entry.frame?.[0])).toEqual([1, 2]);
    expect(log[1]!.atMs).toBeGreaterThanOrEqual(log[0]!.atMs);
  });

  it('copies frames on send, so the sender may reuse its buffer (Buffers too)', async () => {
    const { clock, openPair, record } = createNetwork(1);
    const { client, server } = await openPair();
    const log = record(server);
    const reused = Buffer.from([1, 2, 3]);
    client.send(reused);
    reused.fill(9);
    client.send(reused);
    clock.advanceBy(1);
    expect(log.map((entry) => entry.frame)).toEqual([
      [1, 2, 3],
      [9, 9, 9],
    ]);
  });

  it('delivers a frame handed over as it is, without a copy, and counts it in bufferedAmount until read', async () => {
    const { clock, openPair } = createNetwork(1);
    const { client, server } = await openPair();
    const received: Uint8Array[] = [];
    server.onFrame((frame) => received.push(frame));
    const encoded = Uint8Array.of(4, 5, 6);
    client.send(encoded, 'handedOver');
    expect(client.bufferedAmount).toBe(3);
    clock.advanceBy(1);
    expect(received).toHaveLength(1);
    expect(received[0]).toBe(encoded);
    expect(client.bufferedAmount).toBe(0);
  });

  it('refuses a connect to an unknown address only once the clock delivers the refusal', async () => {
    const { clock, network } = createNetwork(2);
    let outcome: unknown;
    network.connect('memory://nobody:1').then(
      () => (outcome = 'connected'),
      (error: unknown) => (outcome = error),
    );
    await flushMicrotasks();
    expect(outcome).toBeUndefined();
    await clock.advanceByAsync(4);
    expect(outcome).toBeInstanceOf(TransportError);
    expect((outcome as TransportError).code).toBe('CONNECTION_REFUSED');
  });

  it('allocates listen ports deterministically from 1 and names addresses memory://host:port', async () => {
    const run = async () => {
      const { network } = createNetwork();
      const urls: string[] = [];
      for (const host of ['broker-0', 'broker-0', 'broker-1']) {
        urls.push((await network.listen({ host, port: 0, maxFrameBytesHard: 1024 }, () => undefined)).url);
      }
      return urls;
    };
    const urls = await run();
    expect(urls).toEqual(['memory://broker-0:1', 'memory://broker-0:2', 'memory://broker-1:3']);
    expect(await run()).toEqual(urls);
  });

  it('names each end after its node, and ids repeat from run to run', async () => {
    const run = async () => {
      const { openPair } = createNetwork();
      const { client, server } = await openPair('broker-0', 'broker-1');
      return { clientId: client.id, serverId: server.id, serverSees: server.remoteAddress, clientSees: client.remoteAddress };
    };
    const first = await run();
    expect(first.serverSees).toBe('memory://broker-1:49152');
    expect(first.clientSees).toBe('memory://broker-0:9092');
    expect(await run()).toEqual(first);
  });

  it('drops packets the link filter rejects, and a connect across a cut link times out', async () => {
    const { clock, network, openPair, record, settle } = createNetwork(1);
    const { client, server } = await openPair('broker-0', 'broker-1');
    const log = record(server);
    network.setLinkFilter((from, to) => (from === 'broker-1' && to === 'broker-0' ? 'drop' : 'deliver'));
    client.send(Uint8Array.of(1));
    clock.advanceBy(10);
    expect(log).toEqual([]);
    const startMs = clock.now();
    const error = await settle(network.forHost('broker-1').connect('memory://broker-0:9092', { connectTimeoutMs: 3_000 })).catch(
      (rejection: unknown) => rejection,
    );
    expect((error as TransportError).code).toBe('TIMEOUT');
    expect(clock.now() - startMs).toBe(3_000);
    network.setLinkFilter(undefined);
    client.send(Uint8Array.of(2));
    clock.advanceBy(1);
    expect(log.map((entry) => entry.frame)).toEqual([[2]]);
  });

  it('disconnect(host) resets every connection of that node on both ends with 1006', async () => {
    const { clock, network, openPair, record } = createNetwork(1);
    const { client, server } = await openPair('broker-0', 'broker-1');
    const clientLog = record(client);
    const serverLog = record(server);
    expect(network.openConnectionCount).toBe(2);
    expect(network.disconnect('broker-1')).toBe(2);
    expect(client.isOpen || server.isOpen).toBe(false);
    clock.advanceBy(1);
    expect(clientLog.map((entry) => entry.close?.code)).toEqual([1006]);
    expect(serverLog.map((entry) => entry.close?.code)).toEqual([1006]);
    expect(network.openConnectionCount).toBe(0);
    expect(network.disconnect('broker-1')).toBe(0);
  });

  it('closes a late-accepted connection whose connect had already timed out', async () => {
    const { clock, network } = createNetwork((from) => (from === 'broker-0' ? 500 : 1));
    const closes: CloseReason[] = [];
    await network.listen({ host: 'broker-0', port: 9092, maxFrameBytesHard: 1024 }, (connection) =>
      connection.onClose((reason) => closes.push(reason)),
    );
    const attempt = network.forHost('broker-1').connect('memory://broker-0:9092', { connectTimeoutMs: 100 });
    const outcome = attempt.catch((error: unknown) => error);
    await clock.advanceByAsync(1_000);
    expect(((await outcome) as TransportError).code).toBe('TIMEOUT');
    expect(closes).toHaveLength(1);
    expect(network.openConnectionCount).toBe(0);
  });

  it('rejects addresses of another transport and limits that mean nothing', async () => {
    const { network } = createNetwork();
    await expect(network.connect('ws://127.0.0.1:9092')).rejects.toThrow(TypeError);
    await expect(network.connect('memory://broker-0:1', { maxFrameBytesHard: 0 })).rejects.toThrow(RangeError);
    await expect(network.listen({ host: 'broker-0', port: 1, maxFrameBytesHard: 0 }, () => undefined)).rejects.toThrow(RangeError);
  });

  it('summarises itself for logs', async () => {
    const { network } = createNetwork();
    await network.listen({ host: 'broker-0', port: 9092, maxFrameBytesHard: 1024 }, () => undefined);
    expect(JSON.parse(JSON.stringify(network))).toEqual({
      kind: 'MemoryTransport',
      listeners: ['memory://broker-0:9092'],
      openConnections: 0,
    });
  });
});
