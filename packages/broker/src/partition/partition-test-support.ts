/**
 * One partition actor for the partition machine tests: the input every test gives it (broker 1 leading `orders-0`
 * alone in epoch 0, Kafka's defaults for the settings), with the parts a test cares about overridden, and the events
 * it emitted collected in order.
 */
import { parseConfig, topicDefaults } from '@kactor/protocol';
import { createLogger, type SimulatedClock } from '@kactor/runtime';
import type { PartitionLog } from '@kactor/storage';
import { createActor } from 'xstate';
import { partitionMachine, type PartitionConfig, type PartitionEmitted, type PartitionLeadership } from './partition.machine.js';

const logger = createLogger({ level: 'silent' });

/** The topic settings of a broker with Kafka's defaults. */
export const testTopicConfig = parseConfig('topic', {}, { defaults: topicDefaults(parseConfig('broker', { 'node.id': '1', 'process.roles': 'broker' })) });

export const testPartitionConfig: PartitionConfig = {
  maxMessageBytes: 1_048_588,
  minInsyncReplicas: 1,
  replicaLagTimeMaxMs: 30_000,
  producerIdExpirationMs: 86_400_000,
  producerIdExpirationCheckIntervalMs: 600_000,
  replicaHighWatermarkCheckpointIntervalMs: 5_000,
};

export interface TestPartitionOptions {
  log: PartitionLog;
  clock: SimulatedClock;
  brokerId?: number;
  leadership?: Partial<PartitionLeadership>;
  config?: Partial<PartitionConfig>;
}

export function startPartitionActor(options: TestPartitionOptions) {
  const { log, clock } = options;
  const actor = createActor(partitionMachine, {
    clock,
    input: {
      brokerId: options.brokerId ?? 1,
      topic: 'orders',
      partition: 0,
      topicId: 'topic-id',
      leader: 1,
      leaderEpoch: 0,
      partitionEpoch: 0,
      replicas: [1],
      isr: [1],
      ...options.leadership,
      config: { ...testPartitionConfig, ...options.config },
      ports: { log, clock, logger, isReplicaIsrEligible: () => true, ownBrokerEpoch: () => 7 },
    },
  });
  const emitted: PartitionEmitted[] = [];
  actor.on('*', (event: PartitionEmitted) => emitted.push(event));
  actor.start();
  return { actor, emitted };
}
