/**
 * The in-memory transport carries RPC frames as values (FrameValue), never encoded. These tests hold that path to
 * what the bytes gave: each side gets a value of its own (no aliasing either way), the edge still validates, every
 * size limit sees the encoded length, and a link filter can still read a frame's bytes.
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { decodeRequestFrame, encodeRequestFrame, encodeResponseFrame, FrameValue } from '@kactor/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from '../clock/simulated-clock.js';
import { createLogger } from '../logging/logger.js';
import { createSeededRandom } from '../random/seeded-random.js';
import { MemoryTransport } from '../transport/memory-transport.js';
import { waitForSimulated } from '../transport/test-support.js';
import type { InboundRequest, RpcResult } from './rpc.js';
import { RpcClient } from './rpc-client.js';
import { RpcServer } from './rpc-server.js';

const logger = createLogger({ level: 'silent' });
const MAX_REQUEST_BYTES = 4096;

function produceRequest(records: Uint8Array, topic = 'orders'): RequestBody<'produce'> {
  return { transactionalId: null, acks: 1, timeoutMs: 30_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] };
}

function produceResponse(): ResponseBody<'produce'> {
  return {
    responses: [{ name: 'orders', partitionResponses: [{ index: 0, errorCode: 0, errorMessage: null, baseOffset: 7, logAppendTimeMs: -1, logStartOffset: 0 }] }],
    throttleTimeMs: 0,
  };
}

async function harness(answer: (request: InboundRequest, server: RpcServer) => void = () => undefined) {
  const clock = new SimulatedClock();
  const network = new MemoryTransport({ clock });
  const received: InboundRequest[] = [];
  const server: RpcServer = new RpcServer({
    transport: network,
    logger,
    maxRequestBytes: MAX_REQUEST_BYTES,
    maxQueuedRequestsPerConnection: 100,
    onRequest: (request) => {
      received.push(request);
      answer(request, server);
    },
  });
  const listener = await server.listen({ host: 'broker-0', port: 9100 });
  const client = new RpcClient({
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
  });
  const results: Array<RpcResult<'produce'>> = [];
  const produce = (body: RequestBody<'produce'>) => client.request('produce', body, (result) => results.push(result));
  return { clock, network, server, client, received, results, produce };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('RPC frames as values over the in-memory transport', () => {
  it('crosses both ways without being encoded', async () => {
    const toBytes = vi.spyOn(FrameValue.prototype, 'toBytes');
    const h = await harness((request, server) => server.respond(request.ref as InboundRequest['ref'] & { api: 'produce' }, produceResponse()));
    h.produce(produceRequest(Uint8Array.of(1, 2, 3)));
    await waitForSimulated(h.clock, () => h.results.length === 1, 'answer');
    expect(h.results[0]).toEqual({ ok: true, body: produceResponse() });
    expect(toBytes).not.toHaveBeenCalled();
  });

  it('the sender changing its request after sending it changes nothing the server gets, and the server changing it reaches no one', async () => {
    const h = await harness();
    const records = Uint8Array.of(1, 2, 3);
    const body = produceRequest(records);
    h.produce(body);
    // The sender reuses everything it passed, at once (before the frame is even on the wire) and later.
    records[0] = 99;
    body.topicData[0]!.name = 'changed';
    await waitForSimulated(h.clock, () => h.received.length === 1, 'request');
    const got = h.received[0]!.body as RequestBody<'produce'>;
    expect(got.topicData[0]!.name).toBe('orders');
    expect([...got.topicData[0]!.partitionData[0]!.records]).toEqual([1, 2, 3]);
    // The server writing into what it got (a leader stamping a batch's base offset) touches nothing the client holds.
    got.topicData[0]!.partitionData[0]!.records[0] = 42;
    got.topicData[0]!.name = 'server-side';
    expect(records[0]).toBe(99);
    expect(body.topicData[0]!.name).toBe('changed');
  });

  it('the server changing an answer after sending it changes nothing the client gets, and the client changing it reaches no one', async () => {
    const kept = produceResponse();
    const h = await harness((request, server) => {
      server.respond(request.ref as InboundRequest['ref'] & { api: 'produce' }, kept);
      kept.responses[0]!.partitionResponses[0]!.baseOffset = 1_000; // the broker's own state moves on
    });
    h.produce(produceRequest(Uint8Array.of(1)));
    await waitForSimulated(h.clock, () => h.results.length === 1, 'answer');
    const result = h.results[0]!;
    if (!result.ok) throw new Error(result.error.message);
    expect(result.body.responses[0]!.partitionResponses[0]!.baseOffset).toBe(7);
    result.body.responses[0]!.partitionResponses[0]!.errorCode = 6;
    expect(kept.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
  });

  it('socket.request.max.bytes refuses a request one byte over it exactly as its bytes would be, and takes one at the limit', async () => {
    const h = await harness();
    // A record batch sized so that the encoded request is exactly the limit.
    const frameBytes = (length: number) => encodeRequestFrame('produce', 0, 1, produceRequest(new Uint8Array(length))).byteLength;
    let length = MAX_REQUEST_BYTES - 200;
    while (frameBytes(length) < MAX_REQUEST_BYTES) length += 1;
    expect(frameBytes(length)).toBe(MAX_REQUEST_BYTES);
    h.produce(produceRequest(new Uint8Array(length)));
    h.produce(produceRequest(new Uint8Array(length + 1)));
    await waitForSimulated(h.clock, () => h.received.length === 1 && h.results.length === 1, 'one taken, one refused');
    expect(h.results[0]).toMatchObject({ ok: false, error: { name: 'MESSAGE_TOO_LARGE' } });
    expect((h.received[0]!.body as RequestBody<'produce'>).topicData[0]!.partitionData[0]!.records.byteLength).toBe(length);
  });

  it('a request value past the transport\'s hard cap (twice socket.request.max.bytes) closes the connection, as its bytes would', async () => {
    const h = await harness();
    h.produce(produceRequest(new Uint8Array(MAX_REQUEST_BYTES * 2)));
    await waitForSimulated(h.clock, () => h.results.length === 1, 'the request failed');
    expect(h.results[0]).toMatchObject({ ok: false, error: { name: 'NETWORK_EXCEPTION' } });
    expect(h.received).toHaveLength(0);
    expect(h.server.connectionCount).toBe(0);
  });

  it('the edge still validates a value it did not build: a body its schema refuses is answered INVALID_REQUEST', async () => {
    const h = await harness();
    h.produce({ ...produceRequest(Uint8Array.of(1)), acks: 1.5 } as RequestBody<'produce'>);
    await waitForSimulated(h.clock, () => h.results.length === 1, 'refusal');
    expect(h.results[0]).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
    expect(h.received).toHaveLength(0);
  });

  it('a link filter reads the bytes of a frame sent as a value: the same bytes encoding gives', async () => {
    const h = await harness((request, server) => server.respond(request.ref as InboundRequest['ref'] & { api: 'produce' }, produceResponse()));
    const seen: Uint8Array[] = [];
    h.network.setLinkFilter((_from, _to, frame) => {
      if (frame !== undefined) seen.push(frame instanceof Uint8Array ? frame : frame.toBytes());
      return 'deliver';
    });
    const body = produceRequest(Uint8Array.of(5, 6));
    h.produce(body);
    await waitForSimulated(h.clock, () => h.results.length === 1, 'answer');
    expect(seen).toHaveLength(2);
    expect(Buffer.compare(seen[0]!, encodeRequestFrame('produce', 0, 1, body))).toBe(0);
    expect(Buffer.compare(seen[1]!, encodeResponseFrame('produce', 0, 1, produceResponse()))).toBe(0);
    const decoded = decodeRequestFrame(seen[0]!, { maxFrameBytes: MAX_REQUEST_BYTES });
    const decodedBody = (decoded.ok ? decoded.request.body : undefined) as RequestBody<'produce'> | undefined;
    expect(decodedBody?.topicData[0]?.name).toBe('orders');
    expect([...(decodedBody?.topicData[0]?.partitionData[0]?.records ?? [])]).toEqual([5, 6]);
  });
});
