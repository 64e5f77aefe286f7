import { encodeEndTxnMarkerBatch, encodeRecordBatch, parseConfig, topicDefaults, type RequestBody } from '@kactor/protocol';
import { createLogger, SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { partitionMachine } from '../partition/partition.machine.js';
import { readFetch } from './fetch-reader.js';

const brokerConfig = parseConfig('broker', { 'node.id': '1', 'process.roles': 'broker' });

/** A leader of orders-0 holding an aborted transaction of producer 1 (offsets 0-1) and an open one of producer 2 (offset 2). */
function leaderWithTransactions() {
  const clock = new SimulatedClock();
  const log = new MemoryLogStore({ clock }).open('orders', 0, 'id', parseConfig('topic', {}, { defaults: topicDefaults(brokerConfig) }));
  const actor = createActor(partitionMachine, {
    clock,
    input: {
      brokerId: 1,
      topic: 'orders',
      partition: 0,
      topicId: 'id',
      leader: 1,
      leaderEpoch: 0,
      partitionEpoch: 0,
      replicas: [1],
      isr: [1],
      config: { maxMessageBytes: 1_048_588, minInsyncReplicas: 1, replicaLagTimeMaxMs: 30_000, producerIdExpirationMs: 86_400_000, producerIdExpirationCheckIntervalMs: 600_000, replicaHighWatermarkCheckpointIntervalMs: 5_000 },
      ports: { log, clock, logger: createLogger({ level: 'silent' }), isReplicaIsrEligible: () => true, ownBrokerEpoch: () => 1 },
    },
  });
  actor.start();
  const txn = (producerId: number) => encodeRecordBatch({ records: [{ key: null, value: null, headers: [], timestamp: 0 }], producerId, producerEpoch: 0, baseSequence: 0, isTransactional: true });
  actor.send({ type: 'produce.append', produceId: 'a', acks: 1, timeoutMs: 1_000, records: txn(1) });
  actor.send({ type: 'produce.append', produceId: 'm', acks: 1, timeoutMs: 1_000, records: encodeEndTxnMarkerBatch({ type: 'ABORT', producerId: 1, producerEpoch: 0, coordinatorEpoch: 0, timestampMs: 0 }), origin: 'coordinator' });
  actor.send({ type: 'produce.append', produceId: 'b', acks: 1, timeoutMs: 1_000, records: txn(2) });
  return () => {
    const snapshot = actor.getSnapshot();
    return { state: String(snapshot.value), context: snapshot.context };
  };
}

const request = (isolationLevel: 0 | 1): RequestBody<'fetch'> => ({
  replicaId: -1,
  maxWaitMs: 0,
  minBytes: 1,
  maxBytes: 1 << 20,
  isolationLevel,
  topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
});

describe('readFetch with an isolation level (KIP-98)', () => {
  it('read_committed answers the LSO and the aborted transactions; read_uncommitted the HW and none (null)', () => {
    const view = leaderWithTransactions();
    const committed = readFetch(request(1), () => view()).response.responses[0]?.partitions[0];
    expect(committed).toMatchObject({ errorCode: 0, highWatermark: 3, lastStableOffset: 2, abortedTransactions: [{ producerId: 1, firstOffset: 0 }] });
    const uncommitted = readFetch(request(0), () => view()).response.responses[0]?.partitions[0];
    expect(uncommitted).toMatchObject({ errorCode: 0, highWatermark: 3, lastStableOffset: 2, abortedTransactions: null });
    expect(uncommitted!.records.byteLength).toBeGreaterThan(committed!.records.byteLength);
  });
});
