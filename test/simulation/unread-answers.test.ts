/**
 * A client that sends fetches and never reads the answers (issue 10, B2): the broker stops reading its requests
 * once `queued.max.response.bytes` of answers wait for it, so the memory it holds for that client stays at the
 * bound plus one answer (asserted on the bytes waiting, not on timing), and it serves everyone else meanwhile.
 */
import type { RequestBody } from '@kactor/protocol';
import { decodeResponseFrame, encodeRequestFrame } from '@kactor/protocol';
import type { Connection } from '@kactor/runtime';
import { waitForSimulated } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { batchOf, haltSingleNodes, startSingleNode } from '@kactor/simulation';

afterEach(haltSingleNodes);

const recordBytes = 250_000;
const batches = 4;
const fetches = 100;
const queuedMaxResponseBytes = 1_048_576; // the default

const fetchEverything: RequestBody<'fetch'> = {
  replicaId: -1,
  maxWaitMs: 0,
  minBytes: 1,
  maxBytes: 4 * 1024 * 1024,
  isolationLevel: 0,
  topics: [{ topic: 'big', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 4 * 1024 * 1024 }] }],
};

describe('a client that does not read its fetch answers', () => {
  it('holds at most queued.max.response.bytes plus one answer of the broker, which keeps serving others', async () => {
    const h = await startSingleNode();
    const admin = h.client(undefined, 'admin');
    const created = await h.call(admin, 'createTopics', {
      topics: [{ name: 'big', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5_000,
      validateOnly: false,
    });
    expect(created.ok).toBe(true);
    for (let index = 0; index < batches; index += 1) {
      const produced = await h.call(admin, 'produce', {
        transactionalId: null,
        acks: 1,
        timeoutMs: 5_000,
        topicData: [{ name: 'big', partitionData: [{ index: 0, records: batchOf(['x'.repeat(recordBytes)]) }] }],
      });
      expect(produced.ok && produced.body.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
    }

    let reader: Connection | undefined;
    void h.network.forHost('reader').connect(h.node.url, { maxFrameBytesHard: 1 << 26 }).then((opened) => (reader = opened));
    await waitForSimulated(h.clock, () => reader !== undefined, 'the reader connects');
    const connection = reader as unknown as Connection;
    const answers: Uint8Array[] = [];
    connection.onFrame((frame) => answers.push(frame));
    connection.pause(); // it never reads
    for (let id = 1; id <= fetches; id += 1) connection.send(encodeRequestFrame('fetch', 0, id, fetchEverything));
    await h.clock.advanceByAsync(1_000);

    // The broker's end of the connection: what it holds for this client.
    const brokerEnd = (connection as unknown as { peer: Connection }).peer;
    const oneAnswerBytes = batches * (recordBytes + 1_000);
    expect(brokerEnd.bufferedAmount).toBeGreaterThan(queuedMaxResponseBytes);
    expect(brokerEnd.bufferedAmount).toBeLessThanOrEqual(queuedMaxResponseBytes + oneAnswerBytes);
    expect((await h.call(admin, 'metadata', { topics: ['big'], allowAutoTopicCreation: false })).ok).toBe(true);

    connection.resume();
    await waitForSimulated(h.clock, () => answers.length === fetches, 'every fetch is answered once the client reads');
    const last = decodeResponseFrame(answers[fetches - 1] as Uint8Array, { maxFrameBytes: 1 << 26 });
    expect(last).toMatchObject({ ok: true, kind: 'response', correlationId: fetches });
    expect(brokerEnd.bufferedAmount).toBe(0);
  });
});
