import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { apis, encodeRawFrame, encodeRequestFrame, FRAME_HEADER_BYTES, decodeResponseFrame } from '@kactor/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../clock/simulated-clock.js';
import { createLogger } from '../logging/logger.js';
import { createSeededRandom } from '../random/seeded-random.js';
import { MemoryTransport } from '../transport/memory-transport.js';
import { waitForSimulated } from '../transport/test-support.js';
import type { Connection } from '../transport/transport.js';
import type { InboundRequest, RpcResult } from './rpc.js';
import { RpcClient } from './rpc-client.js';
import { RpcServer } from './rpc-server.js';

const logger = createLogger({ level: 'silent' });
const metadataRequest: RequestBody<'metadata'> = { topics: null, allowAutoTopicCreation: false };
const metadataResponse: ResponseBody<'metadata'> = { throttleTimeMs: 0, clusterId: 'c', controllerId: 0, brokers: [], topics: [] };

interface Harness {
  clock: SimulatedClock;
  network: MemoryTransport;
  server: RpcServer;
  received: InboundRequest[];
  url: string;
  client(overrides?: Partial<ConstructorParameters<typeof RpcClient>[0]>): RpcClient;
}

async function harness(options: { answer?: boolean; maxQueued?: number; secret?: string } = {}): Promise<Harness> {
  const clock = new SimulatedClock();
  const network = new MemoryTransport({ clock });
  const received: InboundRequest[] = [];
  const server: RpcServer = new RpcServer({
    transport: network,
    logger,
    maxRequestBytes: 4096,
    maxQueuedRequestsPerConnection: options.maxQueued ?? 100,
    onRequest: (request) => {
      received.push(request);
      if (options.answer !== false && request.api === 'metadata') server.respond(request.ref as typeof request.ref & { api: 'metadata' }, metadataResponse);
    },
  });
  const listener = await server.listen({ host: 'broker-0', port: 9100, secret: options.secret });
  return {
    clock,
    network,
    server,
    received,
    url: listener.url,
    client: (overrides = {}) =>
      new RpcClient({
        url: listener.url,
        transport: network,
        clock,
        random: createSeededRandom(1),
        logger,
        requestTimeoutMs: 30_000,
        reconnectBackoffMs: 50,
        reconnectBackoffMaxMs: 1_000,
        maxInFlightRequests: 5,
        maxQueuedRequests: 100,
        maxResponseBytes: 1 << 20,
        ...overrides,
      }),
  };
}

function collect<T>(): { results: T[]; push: (result: T) => void } {
  const results: T[] = [];
  return { results, push: (result) => results.push(result) };
}

/** A raw connection to the server, to send hand-made frames. */
async function rawConnection(h: Harness): Promise<{ connection: Connection; frames: Uint8Array[] }> {
  const frames: Uint8Array[] = [];
  let connection: Connection | undefined;
  void h.network.connect(h.url).then((opened) => {
    connection = opened;
    opened.onFrame((frame) => frames.push(frame));
  });
  await waitForSimulated(h.clock, () => connection !== undefined, 'raw connection');
  return { connection: connection as unknown as Connection, frames };
}

describe('RPC over the in-memory transport', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });

  it('correlates a request with its response', async () => {
    const client = h.client();
    const { results, push } = collect<RpcResult<'metadata'>>();
    client.request('metadata', metadataRequest, push);
    await waitForSimulated(h.clock, () => results.length === 1, 'response');
    expect(results[0]).toEqual({ ok: true, body: metadataResponse });
    expect(h.received[0]?.api).toBe('metadata');
  });

  it('fails a request with REQUEST_TIMED_OUT after request.timeout.ms, and drops the late answer', async () => {
    const silent = await harness({ answer: false });
    const client = silent.client({ requestTimeoutMs: 1_000 });
    const { results, push } = collect<RpcResult<'metadata'>>();
    client.request('metadata', metadataRequest, push);
    await waitForSimulated(silent.clock, () => results.length === 1, 'timeout');
    expect(results[0]).toMatchObject({ ok: false, error: { name: 'REQUEST_TIMED_OUT', retriable: true } });
    expect(silent.clock.now()).toBe(1_000);
    const ref = silent.received[0]?.ref;
    if (ref === undefined) throw new Error('no request reached the server');
    silent.server.respond(ref as typeof ref & { api: 'metadata' }, metadataResponse);
    await silent.clock.runUntilIdle();
    expect(results).toHaveLength(1);
  });

  it('fails in-flight requests with NETWORK_EXCEPTION naming the peer when it goes away', async () => {
    const silent = await harness({ answer: false });
    const client = silent.client();
    const { results, push } = collect<RpcResult<'metadata'>>();
    client.request('metadata', metadataRequest, push);
    await waitForSimulated(silent.clock, () => silent.received.length === 1, 'request sent');
    await silent.server.close();
    await waitForSimulated(silent.clock, () => results.length === 1, 'failure');
    expect(results[0]).toMatchObject({ ok: false, error: { name: 'NETWORK_EXCEPTION' } });
    expect(!results[0]?.ok && results[0]?.error.message).toContain(silent.url);
  });

  it('reports a refused connection, then reconnects with backoff once the peer is back', async () => {
    const clock = new SimulatedClock();
    const network = new MemoryTransport({ clock });
    const client = new RpcClient({
      url: 'memory://broker-0:9100',
      transport: network,
      clock,
      random: createSeededRandom(1),
      logger,
      requestTimeoutMs: 30_000,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1_000,
      maxInFlightRequests: 5,
      maxQueuedRequests: 100,
      maxResponseBytes: 1 << 20,
    });
    const first = collect<RpcResult<'metadata'>>();
    client.request('metadata', metadataRequest, first.push);
    await waitForSimulated(clock, () => first.results.length === 1, 'refusal');
    expect(first.results[0]).toMatchObject({ ok: false, error: { name: 'NETWORK_EXCEPTION', retriable: true } });
    expect(client.state).toBe('backingOff');
    const server: RpcServer = new RpcServer({
      transport: network,
      logger,
      maxRequestBytes: 4096,
      maxQueuedRequestsPerConnection: 10,
      onRequest: (request) => server.respond(request.ref as typeof request.ref & { api: 'metadata' }, metadataResponse),
    });
    await server.listen({ host: 'broker-0', port: 9100 });
    const second = collect<RpcResult<'metadata'>>();
    client.request('metadata', metadataRequest, second.push);
    await waitForSimulated(clock, () => second.results.length === 1, 'answer after reconnect');
    expect(second.results[0]?.ok).toBe(true);
    expect(clock.now()).toBeGreaterThanOrEqual(40);
  });

  it('keeps at most max.in.flight.requests.per.connection on the wire', async () => {
    const silent = await harness({ answer: false });
    const client = silent.client({ maxInFlightRequests: 2 });
    for (let index = 0; index < 5; index += 1) client.request('metadata', metadataRequest, () => undefined);
    await waitForSimulated(silent.clock, () => silent.received.length === 2, 'two requests');
    const ref = silent.received[0]?.ref;
    if (ref === undefined) throw new Error('missing request');
    silent.server.respond(ref as typeof ref & { api: 'metadata' }, metadataResponse);
    await waitForSimulated(silent.clock, () => silent.received.length === 3, 'third request after an answer');
  });

  it('refuses requests past the queue bound at once', async () => {
    const silent = await harness({ answer: false });
    const client = silent.client({ maxInFlightRequests: 1, maxQueuedRequests: 2 });
    const { results, push } = collect<RpcResult<'metadata'>>();
    for (let index = 0; index < 3; index += 1) client.request('metadata', metadataRequest, push);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: false });
  });

  it('stops reading a connection that has queued.max.requests outstanding, and resumes after answers', async () => {
    const limited = await harness({ answer: false, maxQueued: 2 });
    const { connection } = await rawConnection(limited);
    for (let id = 1; id <= 4; id += 1) connection.send(encodeRequestFrame('metadata', 0, id, metadataRequest));
    await waitForSimulated(limited.clock, () => limited.received.length === 2, 'two requests read');
    await limited.clock.advanceByAsync(1_000);
    expect(limited.received).toHaveLength(2);
    const ref = limited.received[0]?.ref;
    if (ref === undefined) throw new Error('missing request');
    limited.server.respond(ref as typeof ref & { api: 'metadata' }, metadataResponse);
    await waitForSimulated(limited.clock, () => limited.received.length === 3, 'reading resumed');
  });
});

describe('bad input at the edge', () => {
  it.each([
    ['a frame shorter than the header', () => new Uint8Array(3), 'INVALID_REQUEST'],
    ['an unknown api key', () => encodeRawFrame('request', 4242, 0, 7, {}), 'INVALID_REQUEST'],
    ['an unsupported version', () => encodeRawFrame('request', apis.metadata.key, 3, 7, metadataRequest), 'UNSUPPORTED_VERSION'],
    ['an unknown field', () => encodeRawFrame('request', apis.metadata.key, 0, 7, { ...metadataRequest, extra: true }), 'INVALID_REQUEST'],
    ['a field of the wrong type', () => encodeRawFrame('request', apis.metadata.key, 0, 7, { topics: 'all', allowAutoTopicCreation: false }), 'INVALID_REQUEST'],
    [
      'a body that is not MessagePack',
      () => {
        const frame = new Uint8Array(FRAME_HEADER_BYTES + 2);
        frame.set(encodeRawFrame('request', apis.metadata.key, 0, 7, null).subarray(0, FRAME_HEADER_BYTES));
        frame.set([0xdd, 0xff], FRAME_HEADER_BYTES);
        return frame;
      },
      'CORRUPT_MESSAGE',
    ],
    [
      'an oversize frame (over socket.request.max.bytes)',
      () => {
        const frame = new Uint8Array(5000);
        frame.set(encodeRawFrame('request', apis.metadata.key, 0, 7, null).subarray(0, FRAME_HEADER_BYTES));
        return frame;
      },
      'MESSAGE_TOO_LARGE',
    ],
  ])('answers %s with its Kafka error and keeps serving the connection', async (_label, makeFrame, errorName) => {
    const h = await harness();
    const { connection, frames } = await rawConnection(h);
    connection.send(makeFrame());
    connection.send(encodeRequestFrame('metadata', 0, 8, metadataRequest));
    await waitForSimulated(h.clock, () => frames.length === 2, 'two answers');
    const [error, answer] = frames.map((frame) => decodeResponseFrame(frame, { maxFrameBytes: 1 << 20 }));
    expect(error).toMatchObject({ ok: true, kind: 'error', error: { name: errorName } });
    expect(answer).toMatchObject({ ok: true, kind: 'response', correlationId: 8 });
    expect(h.received.map((request) => request.correlationId)).toEqual([8]);
  });

  it('closes only the offending connection when a frame exceeds the hard cap, and serves others', async () => {
    const h = await harness();
    const { connection } = await rawConnection(h);
    let closedWith = 0;
    connection.onClose((reason) => (closedWith = reason.code));
    connection.send(new Uint8Array(4096 * 2 + 1));
    await waitForSimulated(h.clock, () => closedWith !== 0, 'connection closed');
    expect(closedWith).toBe(1009);
    const client = h.client();
    const { results, push } = collect<RpcResult<'metadata'>>();
    client.request('metadata', metadataRequest, push);
    await waitForSimulated(h.clock, () => results.length === 1, 'other client served');
    expect(results[0]?.ok).toBe(true);
  });

  it('refuses a client without the shared secret before any frame', async () => {
    const h = await harness({ secret: 's3cret' });
    const refused = h.client();
    const { results, push } = collect<RpcResult<'metadata'>>();
    refused.request('metadata', metadataRequest, push);
    await waitForSimulated(h.clock, () => results.length === 1, 'refusal');
    expect(results[0]).toMatchObject({ ok: false, error: { name: 'SASL_AUTHENTICATION_FAILED' } });
    expect(h.received).toHaveLength(0);
    const accepted = h.client({ secret: 's3cret' });
    const ok = collect<RpcResult<'metadata'>>();
    accepted.request('metadata', metadataRequest, ok.push);
    await waitForSimulated(h.clock, () => ok.results.length === 1, 'answer');
    expect(ok.results[0]?.ok).toBe(true);
  });
});
