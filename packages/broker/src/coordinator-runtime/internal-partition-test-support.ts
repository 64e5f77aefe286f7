/**
 * For the tests of a coordinator over one internal partition (`__consumer_offsets` for the group coordinator,
 * `__transaction_state` for the transaction coordinator): an in-memory log standing for the replicated partition, the
 * partition host that serves it (appends succeed at once) and a responder that keeps every answer by correlation id.
 */
import { parseConfig, topicDefaults, type MetadataImage } from '@kactor/protocol';
import type { Responder, SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore } from '@kactor/storage';
import type { PartitionHost } from '../node/partition-host.js';

export type TestInternalLog = ReturnType<MemoryLogStore['open']>;

/** This broker's replica of the partition: Leader or Follower in some leader epoch, as its partition actor would be after an image. */
export interface TestReplica {
  state: string;
  leaderEpoch: number;
}

/** Partition 0 of `topic` in memory, with the topic defaults of broker `nodeId`. */
export function openTestInternalLog(clock: SimulatedClock, topic: string, topicId: string, nodeId: number): TestInternalLog {
  const config = parseConfig('broker', { 'node.id': String(nodeId), 'process.roles': 'broker' });
  return new MemoryLogStore({ clock }).open(topic, 0, topicId, parseConfig('topic', {}, { defaults: topicDefaults(config) }));
}

/** Serves partition 0 of `topic` from `log` as `replica` says; `readLog` is what the loader reads (a test may make it fail). */
export function testInternalPartitionHost(topic: string, log: TestInternalLog, replica: TestReplica, readLog: unknown = log): PartitionHost {
  return {
    view: (viewed: string, partition: number) => (viewed === topic && partition === 0 ? { state: replica.state, context: { leaderEpoch: replica.leaderEpoch, ports: { log: readLog } } } : undefined),
    appendInternal: (_topic: string, _partition: number, batch: Uint8Array, _timeoutMs: number, onDone: (errorName: 'NONE') => void) => {
      log.append(batch, { leaderEpoch: replica.leaderEpoch, recordCount: 1 });
      onDone('NONE');
    },
  } as unknown as PartitionHost;
}

/** A responder that keeps each answer (an error answer as its `errorCode`) by correlation id. */
export function collectingResponder(): { responder: Responder; answers: Map<number, Record<string, unknown>> } {
  const answers = new Map<number, Record<string, unknown>>();
  const responder: Responder = {
    respond: (ref, body) => answers.set(ref.correlationId, body as Record<string, unknown>),
    respondError: (ref, error) => answers.set(ref.correlationId, { errorCode: error.code }),
    finish: () => undefined,
  };
  return { responder, answers };
}

/** An image of partition 0 of internal `topic` led by `leader` in `leaderEpoch` on `replicas` (all in sync), beside `others`. */
export function testInternalTopicImage(
  internal: { topic: string; topicId: string; replicas: number[] },
  leader: number,
  leaderEpoch: number,
  rest: Partial<Pick<MetadataImage, 'brokers'>> & { others?: MetadataImage['topics'] } = {},
): MetadataImage {
  const { topic, topicId, replicas } = internal;
  return {
    clusterId: 'c',
    controllerId: 0,
    metadataOffset: leaderEpoch,
    brokers: rest.brokers ?? [],
    topics: [
      { name: topic, topicId, isInternal: true, configs: [], partitions: [{ partitionIndex: 0, leader, leaderEpoch, partitionEpoch: leaderEpoch, replicas, isr: replicas }] },
      ...(rest.others ?? []),
    ],
  };
}
