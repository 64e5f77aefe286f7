import { encodeRequestFrame, type ProduceRequest } from '@kactor/kafka-protocol';
import { errorCodes, wireError, type RequestBody, type ResponseBody } from '@kactor/protocol';
import { waitFor, type InboundRequest, type RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { advertisedApiVersions, eraseAdapter, kafkaApiAdapters, metadataAdapter, type KafkaApiAdapter } from './apis/index.js';
import { listenerHarness, WAIT_MS } from './kafka-listener-test-support.js';

const header = (correlationId: number) => ({ correlationId, clientId: 'test-client' });
const metadataV1 = (correlationId: number, topics: string[] | null = null) =>
  encodeRequestFrame('Metadata', 1, header(correlationId), {
    topics: topics?.map((name) => ({ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name })) ?? null,
    allowAutoTopicCreation: true,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  });
const apiVersionsV0 = (correlationId: number) => encodeRequestFrame('ApiVersions', 0, header(correlationId), { clientSoftwareName: '', clientSoftwareVersion: '' });

const emptyMetadata: ResponseBody<'metadata'> = { throttleTimeMs: 0, clusterId: 'cluster-a', controllerId: 1, brokers: [], topics: [] };

/** A Produce adapter for these tests only (Produce is a later slice): enough to see acks=0 get no answer. */
const produceForTests: KafkaApiAdapter<'Produce', 'produce'> = {
  kafkaApi: 'Produce',
  kactorApi: 'produce',
  versions: { min: 3, max: 3 },
  toKactorRequest: (body: ProduceRequest) => ({ acks: body.acks }) as unknown as RequestBody<'produce'>,
  toKafkaResponse: () => ({ responses: [], throttleTimeMs: 0, nodeEndpoints: [] }),
  errorResponse: () => ({ responses: [], throttleTimeMs: 0, nodeEndpoints: [] }),
};

const produceAcks0 = (correlationId: number) =>
  encodeRequestFrame('Produce', 3, header(correlationId), { transactionalId: null, acks: 0, timeoutMs: 1_000, topicData: [] });

describe('KafkaConnection', () => {
  it("hands on the header's client.id and the client principal with each request (CLIENT-ID in Kafka's group tools; no control-plane APIs)", async () => {
    const harness = listenerHarness();
    const client = harness.connect();
    client.send(metadataV1(1));
    await waitFor(() => harness.requests.length === 1, WAIT_MS, 'the request handed over');
    const ref = (harness.requests[0] as InboundRequest).ref;
    expect(ref.clientId).toBe('test-client');
    expect(ref.principal).toBe('client');
    harness.listener.respond(ref as RequestRef & { api: 'metadata' }, emptyMetadata);
    await client.answer(0, 'Metadata', 1);
  });

  it('hands the router one request at a time and answers pipelined requests in request order', async () => {
    const harness = listenerHarness();
    const client = harness.connect();
    client.send(metadataV1(1), metadataV1(2, ['orders']), apiVersionsV0(3));
    await waitFor(() => harness.requests.length === 1, WAIT_MS, 'the first request handed over');
    const first = harness.requests[0] as InboundRequest;
    expect(first.ref.connectionId).toMatch(/^kafka-/);
    expect(first.ref.correlationId).toBe(1);
    expect(first.body).toEqual({ topics: null, allowAutoTopicCreation: true });
    // The second is read but waits: Kafka mutes a connection while a request is in flight.
    expect(harness.requests).toHaveLength(1);

    harness.listener.respond(first.ref as RequestRef & { api: 'metadata' }, emptyMetadata);
    await waitFor(() => harness.requests.length === 2, WAIT_MS, 'the second request handed over');
    // An answer given again for a request already answered (a router bug) does not reach the client.
    harness.listener.respond(first.ref as RequestRef & { api: 'metadata' }, emptyMetadata);
    const second = harness.requests[1] as InboundRequest;
    expect(second.body).toEqual({ topics: ['orders'], allowAutoTopicCreation: true });
    harness.listener.respond(second.ref as RequestRef & { api: 'metadata' }, emptyMetadata);

    const answers = [await client.answer(0, 'Metadata', 1), await client.answer(1, 'Metadata', 1), await client.answer(2, 'ApiVersions', 0)];
    expect(answers.map((answer) => answer.correlationId)).toEqual([1, 2, 3]);
    expect(client.frames).toHaveLength(3);
  });

  it('keeps answers in request order when the router answers requests of two connections out of order', async () => {
    const harness = listenerHarness();
    const [left, right] = [harness.connect(), harness.connect()];
    left.send(metadataV1(10), metadataV1(11));
    right.send(metadataV1(20));
    await waitFor(() => harness.requests.length === 2, WAIT_MS, 'one request of each connection');
    const [leftFirst, rightFirst] = [...harness.requests].sort((a, b) => a.ref.correlationId - b.ref.correlationId) as [InboundRequest, InboundRequest];
    harness.listener.respond(rightFirst.ref as RequestRef & { api: 'metadata' }, emptyMetadata);
    expect((await right.answer(0, 'Metadata', 1)).correlationId).toBe(20);
    expect(left.frames).toHaveLength(0);
    harness.listener.respond(leftFirst.ref as RequestRef & { api: 'metadata' }, emptyMetadata);
    await waitFor(() => harness.requests.length === 3, WAIT_MS, 'the left connection\'s second request');
    harness.listener.respond((harness.requests[2] as InboundRequest).ref as RequestRef & { api: 'metadata' }, emptyMetadata);
    expect([(await left.answer(0, 'Metadata', 1)).correlationId, (await left.answer(1, 'Metadata', 1)).correlationId]).toEqual([10, 11]);
  });

  it('sends nothing for a Produce with acks=0 that the router finishes, and answers the next request', async () => {
    const harness = listenerHarness({
      adapters: kafkaApiAdapters([eraseAdapter(metadataAdapter), eraseAdapter(produceForTests)]),
      onRequest: (request) => {
        if (request.api === 'produce') harness.listener.finish(request.ref);
        else harness.listener.respond(request.ref as RequestRef & { api: 'metadata' }, emptyMetadata);
      },
    });
    const client = harness.connect();
    client.send(produceAcks0(1), metadataV1(2));
    const answer = await client.answer(0, 'Metadata', 1);
    expect(answer.correlationId).toBe(2);
    expect(harness.requests.map((request) => request.api)).toEqual(['produce', 'metadata']);
    expect(client.frames).toHaveLength(1);
  });

  it('answers ApiVersions above the highest version served with the v0 fallback: UNSUPPORTED_VERSION and the ApiVersions range (KIP-511)', async () => {
    const harness = listenerHarness();
    const client = harness.connect();
    // ApiVersions v4 (in Kafka's specs, above what is served) and v9 (newer than the specs), bodies not parsed.
    client.send(Uint8Array.of(0, 0, 0, 10, 0, 18, 0, 4, 0, 0, 0, 7, 0xff, 0xff), Uint8Array.of(0, 0, 0, 9, 0, 18, 0, 9, 0, 0, 0, 8, 0xee));
    await waitFor(() => client.frames.length === 2, WAIT_MS, 'both fallbacks');
    // correlation id, error 35, int32 count 1, {key 18, min 0, max 3}: no throttle field (v0)
    expect([...(client.frames[0] as Uint8Array)]).toEqual([0, 0, 0, 7, 0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 3]);
    expect([...(client.frames[1] as Uint8Array)]).toEqual([0, 0, 0, 8, 0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 3]);
    expect(errorCodes.UNSUPPORTED_VERSION).toBe(35);
    expect(client.closed()).toBe(false);
    expect(harness.requests).toHaveLength(0);
  });

  it('answers librdkafka\'s first request, ApiVersions v3 with header v2, with every API served at MinVersion 0', async () => {
    const harness = listenerHarness();
    const client = harness.connect();
    // reference §1: 0012 0003 00000001 0007 "rdkafka" 00 | 0b "librdkafka" 06 "2.0.2" 00
    const body = [0, 18, 0, 3, 0, 0, 0, 1, 0, 7, ...Buffer.from('rdkafka'), 0, 11, ...Buffer.from('librdkafka'), 6, ...Buffer.from('2.0.2'), 0];
    client.send(Uint8Array.from([0, 0, 0, body.length, ...body]));
    const answer = await client.answer(0, 'ApiVersions', 3);
    expect(answer.correlationId).toBe(1);
    expect(answer.body.errorCode).toBe(0);
    const answered = answer.body.apiKeys.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion }));
    // Every API the adapters serve, each from MinVersion 0 (reference §0), ApiVersions and Metadata among them.
    expect(answered).toEqual(advertisedApiVersions(kafkaApiAdapters().values()).map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion })));
    expect(answered.every((entry) => entry.minVersion === 0)).toBe(true);
    expect(answered).toContainEqual({ apiKey: 3, minVersion: 0, maxVersion: metadataAdapter.versions.max });
    expect(answered).toContainEqual({ apiKey: 18, minVersion: 0, maxVersion: 3 });
  });

  it('closes a connection whose frame cannot be parsed, and keeps serving the others', async () => {
    const harness = listenerHarness({ onRequest: (request) => harness.listener.respond(request.ref as RequestRef & { api: 'metadata' }, emptyMetadata) });
    const [broken, unknownKey, oldVersion, healthy] = [harness.connect(), harness.connect(), harness.connect(), harness.connect()];
    // Metadata v1 whose topic array claims 5 entries and ends.
    broken.send(Uint8Array.of(0, 0, 0, 15, 0, 3, 0, 1, 0, 0, 0, 1, 0, 1, 0x41, 0, 0, 0, 5));
    unknownKey.send(Uint8Array.of(0, 0, 0, 10, 0x03, 0xe7, 0, 0, 0, 0, 0, 1, 0, 0));
    oldVersion.send(encodeRequestFrame('Metadata', 5, header(1), { topics: null, allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }));
    await waitFor(() => broken.closed() && unknownKey.closed() && oldVersion.closed(), WAIT_MS, 'the three connections closed');
    healthy.send(metadataV1(7));
    expect((await healthy.answer(0, 'Metadata', 1)).correlationId).toBe(7);
    expect([broken.frames, unknownKey.frames, oldVersion.frames].map((frames) => frames.length)).toEqual([0, 0, 0]);
    expect(harness.requests).toHaveLength(1);
    expect(harness.closedConnections).toHaveLength(3);
  });

  it('refuses a frame above socket.request.max.bytes by closing the connection before reading it', async () => {
    const harness = listenerHarness({ maxRequestBytes: 64 });
    const client = harness.connect();
    client.send(Uint8Array.of(0, 0, 0, 65, 0, 3, 0, 1));
    await waitFor(() => client.closed(), WAIT_MS, 'the connection closed');
    expect(harness.requests).toHaveLength(0);
    expect(client.frames).toHaveLength(0);
  });

  it('stops reading a connection once more than queued.max.requests wait, and serves them all in order afterwards', async () => {
    const harness = listenerHarness({ maxQueuedRequests: 2 });
    const client = harness.connect();
    const frames = [1, 2, 3, 4, 5, 6].map((correlationId) => metadataV1(correlationId));
    client.send(...frames);
    await waitFor(() => harness.requests.length === 1, WAIT_MS, 'the first request handed over');
    // One in flight and three waiting (more than 2): the last two frames are not read.
    await waitFor(() => client.stream.bufferedAmount === (frames[4] as Uint8Array).length * 2, WAIT_MS, 'two frames left unread');
    for (let answered = 0; answered < 6; answered += 1) {
      await waitFor(() => harness.requests.length === answered + 1, WAIT_MS, `request ${answered + 1} handed over`);
      harness.listener.respond((harness.requests[answered] as InboundRequest).ref as RequestRef & { api: 'metadata' }, emptyMetadata);
    }
    await waitFor(() => client.frames.length === 6, WAIT_MS, 'six answers');
    const correlationIds = await Promise.all([0, 1, 2, 3, 4, 5].map(async (index) => (await client.answer(index, 'Metadata', 1)).correlationId));
    expect(correlationIds).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('takes no further request while more than queued.max.response.bytes of answers are unread, and goes on once the client reads', async () => {
    const harness = listenerHarness({
      maxQueuedResponseBytes: 8,
      onRequest: (request) => harness.listener.respond(request.ref as RequestRef & { api: 'metadata' }, emptyMetadata),
    });
    const client = harness.connect();
    client.stream.pause();
    client.send(metadataV1(1), metadataV1(2));
    await waitFor(() => client.serverStream.bufferedAmount > 8, WAIT_MS, 'the first answer written and unread');
    expect(harness.requests).toHaveLength(1);
    client.stream.resume();
    expect((await client.answer(1, 'Metadata', 1)).correlationId).toBe(2);
    expect(harness.requests).toHaveLength(2);
  });

  it('answers a router error with the API\'s error response carrying Kafka\'s code', async () => {
    const harness = listenerHarness({
      onRequest: (request) => harness.listener.respondError(request.ref, wireError('UNKNOWN_SERVER_ERROR', 'broken')),
    });
    const client = harness.connect();
    client.send(metadataV1(4, ['orders', 'payments']));
    const answer = await client.answer(0, 'Metadata', 1);
    expect(answer.body.topics.map((topic) => [topic.name, topic.errorCode])).toEqual([
      ['orders', errorCodes.UNKNOWN_SERVER_ERROR],
      ['payments', errorCodes.UNKNOWN_SERVER_ERROR],
    ]);
  });
});
