/**
 * What the RPC server bounds per connection besides queued.max.requests (issue 10, B1-B3): the bytes of
 * answers a client has not read (queued.max.response.bytes), idle connections (connections.max.idle.ms),
 * and control-plane APIs from connections that are not cluster members.
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { apis, decodeResponseFrame, encodeRawFrame, encodeRequestFrame, FRAME_HEADER_BYTES } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../clock/simulated-clock.js';
import { createLogger } from '../logging/logger.js';
import { MemoryTransport } from '../transport/memory-transport.js';
import { waitFor, waitForSimulated } from '../transport/test-support.js';
import { WebSocketTransport } from '../transport/ws-transport.js';
import type { CloseReason, Connection, Transport } from '../transport/transport.js';
import type { InboundRequest } from './rpc.js';
import { RpcServer } from './rpc-server.js';

const logger = createLogger({ level: 'silent' });
const metadataRequest: RequestBody<'metadata'> = { topics: null, allowAutoTopicCreation: false };
const clusterSecret = 'cluster-credential';
const maxQueuedResponseBytes = 1024 * 1024;
const connectionsMaxIdleMs = 1_000;

/** A large answer (about 256 KiB), as a fetch of many records would be. */
const largeAnswer: ResponseBody<'metadata'> = {
  throttleTimeMs: 0,
  clusterId: 'c',
  controllerId: 0,
  brokers: Array.from({ length: 8 }, (_, nodeId) => ({ nodeId, host: 'h'.repeat(32_000), port: 9092, url: 'ws://h', rack: null })),
  topics: [],
};

async function harness(options: { answer?: boolean } = {}) {
  const clock = new SimulatedClock();
  const network = new MemoryTransport({ clock });
  const serverEnds: Connection[] = [];
  // The server's own ends, to read their bufferedAmount as the server sees it.
  const transport: Transport = {
    listen: (listenOptions, onConnection) =>
      network.listen(listenOptions, (connection) => {
        serverEnds.push(connection);
        onConnection(connection);
      }),
    connect: (url, connectOptions) => network.connect(url, connectOptions),
  };
  const received: InboundRequest[] = [];
  let largestBufferedAfterAnswer = 0;
  const server: RpcServer = new RpcServer({
    transport,
    logger,
    maxRequestBytes: 4096,
    maxQueuedRequestsPerConnection: 500,
    maxQueuedResponseBytesPerConnection: maxQueuedResponseBytes,
    idle: { clock, connectionsMaxIdleMs },
    onRequest: (request) => {
      received.push(request);
      if (options.answer === false || request.api !== 'metadata') return;
      server.respond(request.ref as typeof request.ref & { api: 'metadata' }, largeAnswer);
      for (const end of serverEnds) largestBufferedAfterAnswer = Math.max(largestBufferedAfterAnswer, end.bufferedAmount);
    },
  });
  const listener = await server.listen({ host: 'broker-0', port: 9100, clusterSecret });
  const connect = async (secret?: string) => {
    const frames: Uint8Array[] = [];
    const closes: CloseReason[] = [];
    let connection: Connection | undefined;
    void network.connect(listener.url, { secret, maxFrameBytesHard: 1 << 24 }).then((opened) => {
      connection = opened;
      opened.onFrame((frame) => frames.push(frame));
      opened.onClose((reason) => closes.push(reason));
    });
    await waitForSimulated(clock, () => connection !== undefined, 'connected');
    return { connection: connection as unknown as Connection, frames, closes };
  };
  return { clock, server, serverEnds, received, connect, largestBufferedAfterAnswer: () => largestBufferedAfterAnswer };
}

describe('queued.max.response.bytes: a client that does not read its answers', () => {
  it('stops being read once its unread answers pass the bound, holding at most the bound plus one answer', async () => {
    const h = await harness();
    const answerBytes = encodeRawFrame('response', apis.metadata.key, 0, 1, largeAnswer).byteLength;
    const client = await h.connect();
    client.connection.pause(); // never reads
    for (let id = 1; id <= 200; id += 1) client.connection.send(encodeRequestFrame('metadata', 0, id, metadataRequest));
    // Time for every frame to arrive, well within connections.max.idle.ms (which would close the connection).
    await h.clock.advanceByAsync(connectionsMaxIdleMs / 2);
    const serverEnd = h.serverEnds[0] as Connection;
    // Reading stopped: the rest of the 200 requests wait unread, not as answers in memory.
    expect(h.received.length).toBe(Math.floor(maxQueuedResponseBytes / answerBytes) + 1);
    expect(serverEnd.bufferedAmount).toBeGreaterThan(maxQueuedResponseBytes);
    expect(serverEnd.bufferedAmount).toBeLessThanOrEqual(maxQueuedResponseBytes + answerBytes);
    expect(h.largestBufferedAfterAnswer()).toBeLessThanOrEqual(maxQueuedResponseBytes + answerBytes);

    // Once it reads, every request is answered, and the bound held all along.
    client.connection.resume();
    await waitForSimulated(h.clock, () => client.frames.length === 200, 'every answer arrives');
    expect(h.received).toHaveLength(200);
    expect(h.largestBufferedAfterAnswer()).toBeLessThanOrEqual(maxQueuedResponseBytes + answerBytes);
    expect(serverEnd.bufferedAmount).toBe(0);
  });

  it('closes a client that reads nothing for connections.max.idle.ms, freeing what it held', async () => {
    const h = await harness();
    const client = await h.connect();
    client.connection.pause();
    for (let id = 1; id <= 20; id += 1) client.connection.send(encodeRequestFrame('metadata', 0, id, metadataRequest));
    await waitForSimulated(h.clock, () => h.server.connectionCount === 0, 'the stalled connection is closed');
    expect((h.serverEnds[0] as Connection).bufferedAmount).toBe(0);
  });

  it('keeps serving other connections while one is muted', async () => {
    const h = await harness();
    const stalled = await h.connect();
    stalled.connection.pause();
    for (let id = 1; id <= 50; id += 1) stalled.connection.send(encodeRequestFrame('metadata', 0, id, metadataRequest));
    await h.clock.advanceByAsync(connectionsMaxIdleMs / 2);
    const reader = await h.connect();
    reader.connection.send(encodeRequestFrame('metadata', 0, 1, metadataRequest));
    await waitForSimulated(h.clock, () => reader.frames.length === 1, 'the other client is answered');
  });
});

describe('queued.max.response.bytes over real sockets', () => {
  it('mutes a WebSocket client that does not read, within the bound plus one answer, and resumes when it reads', async () => {
    const network = new WebSocketTransport();
    const serverEnds: Connection[] = [];
    let largestBufferedAfterAnswer = 0;
    let received = 0;
    const server: RpcServer = new RpcServer({
      transport: {
        listen: (options, onConnection) => network.listen(options, (connection) => (serverEnds.push(connection), onConnection(connection))),
        connect: (url, options) => network.connect(url, options),
      },
      logger,
      maxRequestBytes: 4096,
      maxQueuedRequestsPerConnection: 500,
      maxQueuedResponseBytesPerConnection: maxQueuedResponseBytes,
      onRequest: (request) => {
        received += 1;
        server.respond(request.ref as typeof request.ref & { api: 'metadata' }, largeAnswer);
        largestBufferedAfterAnswer = Math.max(largestBufferedAfterAnswer, serverEnds[0]?.bufferedAmount ?? 0);
      },
    });
    const listener = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const answerBytes = encodeRawFrame('response', apis.metadata.key, 0, 1, largeAnswer).byteLength;
      const client = await network.connect(listener.url, { maxFrameBytesHard: 1 << 24 });
      let answers = 0;
      client.onFrame(() => (answers += 1));
      client.pause();
      const requests = 200; // 50 MiB of answers: far more than loopback socket buffers hold
      for (let id = 1; id <= requests; id += 1) client.send(encodeRequestFrame('metadata', 0, id, metadataRequest));
      await waitFor(() => (serverEnds[0]?.bufferedAmount ?? 0) > maxQueuedResponseBytes, 10_000, 'answers pile up unread');
      expect(received).toBeLessThan(requests);
      expect(largestBufferedAfterAnswer).toBeLessThanOrEqual(maxQueuedResponseBytes + answerBytes);
      client.resume();
      await waitFor(() => answers === requests, 20_000, 'every answer arrives once the client reads');
      expect(largestBufferedAfterAnswer).toBeLessThanOrEqual(maxQueuedResponseBytes + answerBytes);
      client.close();
    } finally {
      await server.close();
    }
  });
});

describe('connections.max.idle.ms', () => {
  it('closes a connection with no request for connections.max.idle.ms, and not a moment before', async () => {
    const h = await harness();
    const client = await h.connect();
    client.connection.send(encodeRequestFrame('metadata', 0, 1, metadataRequest));
    await waitForSimulated(h.clock, () => client.frames.length === 1, 'answered');
    const answeredAtMs = h.clock.now();
    await h.clock.advanceByAsync(connectionsMaxIdleMs - 1);
    expect(client.closes).toEqual([]);
    await waitForSimulated(h.clock, () => client.closes.length === 1, 'closed as idle');
    expect(h.clock.now() - answeredAtMs).toBe(connectionsMaxIdleMs);
    expect(client.closes[0]?.code).toBe(1000);
    expect(client.closes[0]?.reason).toContain('connections.max.idle.ms');
    expect(h.server.connectionCount).toBe(0);
  });

  it('keeps a connection that sends requests more often than that, and one waiting for an answer', async () => {
    const h = await harness({ answer: false });
    const busy = await h.connect();
    const waiting = await h.connect();
    waiting.connection.send(encodeRequestFrame('metadata', 0, 1, metadataRequest)); // never answered
    for (let id = 1; id <= 10; id += 1) {
      busy.connection.send(encodeRequestFrame('apiVersions', 0, id, { clientSoftwareName: 'test', clientSoftwareVersion: '1' }));
      await h.clock.advanceByAsync(connectionsMaxIdleMs * 0.6);
    }
    expect(busy.closes).toEqual([]);
    expect(waiting.closes).toEqual([]);
    expect(h.server.connectionCount).toBe(2);
  });
});

describe('the control plane at the RPC edge', () => {
  /** A BrokerHeartbeat header in front of a body that is not even MessagePack. */
  const undecodableHeartbeat = (): Uint8Array => {
    const frame = new Uint8Array(FRAME_HEADER_BYTES + 2);
    frame.set(encodeRawFrame('request', apis.brokerHeartbeat.key, 0, 7, null).subarray(0, FRAME_HEADER_BYTES));
    frame.set([0xdd, 0xff], FRAME_HEADER_BYTES);
    return frame;
  };
  const heartbeat: RequestBody<'brokerHeartbeat'> = { brokerId: 1, brokerEpoch: 5, currentMetadataOffset: 5, wantFence: true, wantShutDown: false };

  it('answers a client CLUSTER_AUTHORIZATION_FAILED from the header alone, without decoding the body', async () => {
    const h = await harness();
    const client = await h.connect();
    client.connection.send(undecodableHeartbeat());
    client.connection.send(encodeRequestFrame('brokerHeartbeat', 0, 8, heartbeat));
    await waitForSimulated(h.clock, () => client.frames.length === 2, 'both answered');
    const answers = client.frames.map((frame) => decodeResponseFrame(frame, { maxFrameBytes: 1 << 20 }));
    for (const [index, answer] of answers.entries()) {
      expect(answer).toMatchObject({ ok: true, kind: 'error', correlationId: [7, 8][index], error: { code: 31, name: 'CLUSTER_AUTHORIZATION_FAILED' } });
    }
    expect(h.received).toEqual([]);
  });

  it('answers a client CLUSTER_AUTHORIZATION_FAILED for the quorum\'s Vote, BeginQuorumEpoch, EndQuorumEpoch and FetchSnapshot, and hands it DescribeQuorum', async () => {
    const h = await harness({ answer: false });
    const client = await h.connect();
    const controlPlane = ['vote', 'beginQuorumEpoch', 'endQuorumEpoch', 'fetchSnapshot'] as const;
    // The bodies are never decoded: the header alone decides.
    controlPlane.forEach((api, index) => client.connection.send(encodeRawFrame('request', apis[api].key, 0, 20 + index, null)));
    const describeQuorum: RequestBody<'describeQuorum'> = { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] };
    client.connection.send(encodeRequestFrame('describeQuorum', 0, 30, describeQuorum));
    await waitForSimulated(h.clock, () => client.frames.length === controlPlane.length && h.received.length === 1, 'refused and delivered');
    const answers = client.frames.map((frame) => decodeResponseFrame(frame, { maxFrameBytes: 1 << 20 }));
    expect(answers).toEqual(controlPlane.map((api, index) => expect.objectContaining({ ok: true, kind: 'error', correlationId: 20 + index, error: expect.objectContaining({ code: 31, name: 'CLUSTER_AUTHORIZATION_FAILED', message: expect.stringContaining(api) }) })));
    expect(h.received).toEqual([expect.objectContaining({ api: 'describeQuorum', ref: expect.objectContaining({ principal: 'client' }) })]);
  });

  it('hands the same request from a cluster member to the node, marked as such', async () => {
    const h = await harness();
    const member = await h.connect(clusterSecret);
    member.connection.send(encodeRequestFrame('brokerHeartbeat', 0, 8, heartbeat));
    await waitForSimulated(h.clock, () => h.received.length === 1, 'delivered');
    expect(h.received[0]).toMatchObject({ api: 'brokerHeartbeat', ref: { principal: 'cluster' } });
  });
});
