import { connect, type Socket } from 'node:net';
import { decodeResponseFrame, encodeRequestFrame, KafkaFrameReader } from '@kactor/kafka-protocol';
import type { ResponseBody } from '@kactor/protocol';
import { createLogger, waitFor, type RequestRef, type Responder } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { advertisedApiVersions, kafkaApiAdapters } from './apis/index.js';
import { KafkaListener } from './kafka-listener.js';
import { ResponderRouter } from './responder-router.js';

const WAIT_MS = 5_000;

function kafkaClient(port: number): Promise<{ socket: Socket; frames: Uint8Array[]; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const reader = new KafkaFrameReader({ maxFrameBytes: 1_048_576 });
    const frames: Uint8Array[] = [];
    let closed = false;
    socket.on('data', (chunk) => frames.push(...reader.push(chunk).frames));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, frames, closed: () => closed }));
    socket.once('error', reject);
  });
}

describe('KafkaListener over TCP', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function start(maxConnections?: number): Promise<{ listener: KafkaListener; port: number }> {
    const emptyMetadata: ResponseBody<'metadata'> = { throttleTimeMs: 0, clusterId: 'c', controllerId: 1, brokers: [{ nodeId: 1, host: 'h', port: 1, url: 'ws://h:1', rack: null }], topics: [] };
    const listener: KafkaListener = new KafkaListener({
      brokerId: 1,
      logger: createLogger({ level: 'silent' }),
      maxRequestBytes: 1_048_576,
      maxQueuedRequests: 500,
      maxQueuedResponseBytes: 1_048_576,
      onRequest: (request) => listener.respond(request.ref as RequestRef & { api: 'metadata' }, emptyMetadata),
    });
    const bound = await listener.listen({ host: '127.0.0.1', port: 0, maxConnections });
    cleanups.push(() => listener.close());
    return { listener, port: bound.port };
  }

  it('answers ApiVersions v0 and Metadata v1 on a real socket bound to a free port, naming its own listener', async () => {
    const { port } = await start();
    const client = await kafkaClient(port);
    cleanups.push(() => client.socket.destroy());
    const header = (correlationId: number) => ({ correlationId, clientId: 'kafka-python' });
    client.socket.write(encodeRequestFrame('ApiVersions', 0, header(1), { clientSoftwareName: '', clientSoftwareVersion: '' }));
    client.socket.write(encodeRequestFrame('Metadata', 1, header(2), { topics: null, allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }));
    await waitFor(() => client.frames.length === 2, WAIT_MS, 'two answers');
    const versions = decodeResponseFrame('ApiVersions', 0, client.frames[0] as Uint8Array);
    const metadata = decodeResponseFrame('Metadata', 1, client.frames[1] as Uint8Array);
    expect(versions.ok && versions.value.correlationId).toBe(1);
    expect(versions.ok && versions.value.body.apiKeys.map((entry) => entry.apiKey)).toEqual(advertisedApiVersions(kafkaApiAdapters().values()).map((entry) => entry.apiKey));
    expect(metadata.ok && metadata.value.body.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port, rack: null }]);
  });

  it('closes a connection past max.connections', async () => {
    const { listener, port } = await start(1);
    const first = await kafkaClient(port);
    cleanups.push(() => first.socket.destroy());
    await waitFor(() => listener.connectionCount === 1, WAIT_MS, 'the first connection served');
    const second = await kafkaClient(port);
    cleanups.push(() => second.socket.destroy());
    await waitFor(() => second.closed(), WAIT_MS, 'the second connection closed');
    expect(listener.connectionCount).toBe(1);
    expect(first.closed()).toBe(false);
  });
});

describe('ResponderRouter', () => {
  it('sends answers to Kafka connections to the Kafka listener and the others to the RPC server', () => {
    const seen: string[] = [];
    const recorder = (edge: string): Responder => ({
      respond: (ref) => seen.push(`${edge} respond ${ref.connectionId}`),
      respondError: (ref) => seen.push(`${edge} error ${ref.connectionId}`),
      finish: (ref) => seen.push(`${edge} finish ${ref.connectionId}`),
    });
    const router = new ResponderRouter({ kafka: recorder('kafka'), rpc: recorder('rpc') });
    const ref = (connectionId: string): RequestRef & { api: 'metadata' } => ({ connectionId, correlationId: 1, api: 'metadata', version: 0, remoteAddress: 'a' });
    router.respond(ref('kafka-tcp-1'), { throttleTimeMs: 0, clusterId: null, controllerId: -1, brokers: [], topics: [] });
    router.finish(ref('ws-3'));
    router.respondError(ref('kafka-tcp-2'), { code: 2, name: 'CORRUPT_MESSAGE', retriable: true, message: 'm' });
    expect(seen).toEqual(['kafka respond kafka-tcp-1', 'rpc finish ws-3', 'kafka error kafka-tcp-2']);
  });
});
