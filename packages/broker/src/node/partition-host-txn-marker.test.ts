import { encodeRecordBatch, parseConfig, topicDefaults, type ErrorName, type MetadataImage } from '@kactor/protocol';
import { createLogger, SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import type { ProduceCompleted } from '../partition/partition.machine.js';
import { PartitionHost } from './partition-host.js';

const brokerConfig = parseConfig('broker', { 'node.id': '1', 'process.roles': 'broker' });
const image = (leader: number) =>
  ({
    clusterId: 'c',
    controllerId: 0,
    metadataOffset: 1,
    brokers: [],
    topics: [{ name: 'orders', topicId: 'id-1', isInternal: false, configs: [], partitions: [{ partitionIndex: 0, leader, leaderEpoch: 0, partitionEpoch: 0, replicas: [1], isr: [1] }] }],
  }) as unknown as MetadataImage;

function host() {
  const clock = new SimulatedClock();
  const produced: ProduceCompleted[] = [];
  const partitions = new PartitionHost({
    brokerId: 1,
    logStore: new MemoryLogStore({ clock }),
    clock,
    logger: createLogger({ level: 'silent' }),
    topicConfig: () => parseConfig('topic', {}, { defaults: topicDefaults(brokerConfig) }),
    replicaLagTimeMaxMs: 30_000,
    producerIdExpirationMs: 86_400_000,
    producerIdExpirationCheckIntervalMs: 600_000,
    replicaHighWatermarkCheckpointIntervalMs: 5_000,
    isReplicaIsrEligible: () => true,
    ownBrokerEpoch: () => 1,
    onProduceCompleted: (event) => produced.push(event),
    onPartitionDataChanged: () => {},
    onAlterPartitionRequested: () => {},
    onRoleChanged: () => {},
    onFollowerFetchFailed: () => {},
    onFatalError: (error) => {
      throw error;
    },
  });
  return { partitions, produced };
}

describe('PartitionHost.writeTxnMarker (WriteTxnMarkers at the leader)', () => {
  it('appends the marker on the leader and answers NONE once committed; a fenced epoch and a partition led elsewhere get their errors', () => {
    const { partitions } = host();
    partitions.applyImage(image(1));
    const actor = partitions.actorFor('orders', 0);
    actor?.send({
      type: 'produce.append',
      produceId: 'p',
      acks: 1,
      timeoutMs: 1_000,
      records: encodeRecordBatch({ records: [{ key: null, value: null, headers: [], timestamp: 0 }], producerId: 9, producerEpoch: 2, baseSequence: 0, isTransactional: true }),
    });
    const answers: ErrorName[] = [];
    partitions.writeTxnMarker('orders', 0, { producerId: 9, producerEpoch: 2, coordinatorEpoch: 0, result: 'COMMIT' }, 1_000, (errorName) => answers.push(errorName));
    partitions.writeTxnMarker('orders', 0, { producerId: 9, producerEpoch: 1, coordinatorEpoch: 0, result: 'ABORT' }, 1_000, (errorName) => answers.push(errorName));
    partitions.writeTxnMarker('orders', 1, { producerId: 9, producerEpoch: 2, coordinatorEpoch: 0, result: 'ABORT' }, 1_000, (errorName) => answers.push(errorName));
    expect(answers).toEqual(['NONE', 'INVALID_PRODUCER_EPOCH', 'NOT_LEADER_OR_FOLLOWER']);
    expect(partitions.view('orders', 0)?.context.ports.log.logEndOffset).toBe(2);
  });
});
