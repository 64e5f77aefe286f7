import { encodeRequestFrame, ZERO_UUID } from '@kactor/kafka-protocol';
import { encodeRecordBatch, type ResponseBody } from '@kactor/protocol';
import { waitFor, type InboundRequest, type RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { listenerHarness, WAIT_MS } from '../kafka-listener-test-support.js';

const header = (correlationId: number) => ({ correlationId, clientId: 'data-test' });
const records = encodeRecordBatch({ records: [{ key: null, value: new TextEncoder().encode('hello'), timestamp: 1 }] });

const fetchV4 = (correlationId: number) =>
  encodeRequestFrame('Fetch', 4, header(correlationId), {
    clusterId: null,
    replicaId: -1,
    replicaState: { replicaId: -1, replicaEpoch: -1n },
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 52_428_800,
    isolationLevel: 1,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic: 'orders', topicId: ZERO_UUID, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1_048_576, replicaDirectoryId: ZERO_UUID }] }],
    forgottenTopicsData: [],
    rackId: '',
  });
const metadataV1 = (correlationId: number) =>
  encodeRequestFrame('Metadata', 1, header(correlationId), { topics: null, allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
const produceV3 = (correlationId: number, acks: number) =>
  encodeRequestFrame('Produce', 3, header(correlationId), { transactionalId: null, acks, timeoutMs: 1_000, topicData: [{ name: 'orders', partitionData: [{ index: 0, records }] }] });

const emptyMetadata: ResponseBody<'metadata'> = { throttleTimeMs: 0, clusterId: 'cluster-a', controllerId: 1, brokers: [], topics: [] };
const fetched: ResponseBody<'fetch'> = {
  throttleTimeMs: 0,
  errorCode: 0,
  responses: [{ topic: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 1, lastStableOffset: 1, logStartOffset: 0, abortedTransactions: [], records }] }],
};
const produced: ResponseBody<'produce'> = {
  throttleTimeMs: 0,
  responses: [{ name: 'orders', partitionResponses: [{ index: 0, errorCode: 0, errorMessage: null, baseOffset: 7, logAppendTimeMs: -1, logStartOffset: 0 }] }],
};

describe('data APIs through the Kafka listener', () => {
  it('answers a parked Fetch before the Metadata pipelined behind it, which waits for it', async () => {
    const harness = listenerHarness();
    const client = harness.connect();
    client.send(fetchV4(1), metadataV1(2));
    await waitFor(() => harness.requests.length === 1, WAIT_MS, 'the fetch handed over');
    const fetch = harness.requests[0] as InboundRequest;
    expect(fetch.api).toBe('fetch');
    expect(fetch.body).toMatchObject({ replicaId: -1, maxWaitMs: 500, isolationLevel: 1, topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0 }] }] });
    // The long poll holds its connection: the Metadata behind it is read but not taken, and nothing is answered.
    expect(harness.requests).toHaveLength(1);
    expect(client.frames).toHaveLength(0);

    harness.listener.respond(fetch.ref as RequestRef & { api: 'fetch' }, fetched);
    await waitFor(() => harness.requests.length === 2, WAIT_MS, 'the metadata handed over after the fetch was answered');
    harness.listener.respond((harness.requests[1] as InboundRequest).ref as RequestRef & { api: 'metadata' }, emptyMetadata);
    const fetchAnswer = await client.answer(0, 'Fetch', 4);
    const metadataAnswer = await client.answer(1, 'Metadata', 1);
    expect([fetchAnswer.correlationId, metadataAnswer.correlationId]).toEqual([1, 2]);
    expect(fetchAnswer.body.responses[0]?.partitions[0]).toMatchObject({ highWatermark: 1n, lastStableOffset: 1n, abortedTransactions: [], records });
  });

  it('sends nothing for an acks=0 Produce the broker finishes, and answers the acks=1 Produce after it', async () => {
    const harness = listenerHarness({
      onRequest: (request) => {
        const body = request.body as { acks: number };
        if (body.acks === 0) harness.listener.finish(request.ref);
        else harness.listener.respond(request.ref as RequestRef & { api: 'produce' }, produced);
      },
    });
    const client = harness.connect();
    client.send(produceV3(1, 0), produceV3(2, 1));
    const answer = await client.answer(0, 'Produce', 3);
    expect(answer.correlationId).toBe(2);
    expect(answer.body.responses[0]?.partitionResponses[0]).toMatchObject({ index: 0, errorCode: 0, baseOffset: 7n });
    expect(harness.requests.map((request) => (request.body as { acks: number }).acks)).toEqual([0, 1]);
    expect(client.frames).toHaveLength(1);
  });

  it('closes the connection on a Produce below v3 (legacy message format) without handing it to the broker', async () => {
    const harness = listenerHarness();
    const client = harness.connect();
    client.send(encodeRequestFrame('Produce', 2, header(1), { transactionalId: null, acks: 1, timeoutMs: 1_000, topicData: [] }));
    await waitFor(() => client.closed(), WAIT_MS, 'the connection closed');
    expect(harness.requests).toHaveLength(0);
  });
});
