import { encodeRecordBatch, errorByName, parseConfig, topicDefaults, type RequestBody } from '@kactor/protocol';
import { createLogger, SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import type { PartitionView } from '../partition/partition-reader.js';
import type { PartitionContext } from '../partition/partition-types.js';
import { readFollowerFetch, verdictKey, type FollowerFetchVerdicts } from './follower-fetch-reader.js';

const clock = new SimulatedClock();
const topicConfig = parseConfig('topic', {}, { defaults: topicDefaults(parseConfig('broker', { 'node.id': '1', 'process.roles': 'broker' })) });

/** A leader's view with three batches of about 1 KiB each (offsets 0, 1, 2) and its HW at 1. */
function leaderView(state = 'Leader'): PartitionView {
  const log = new MemoryLogStore({ clock }).open('orders', 0, 'id', topicConfig);
  for (let index = 0; index < 3; index += 1) {
    const records = encodeRecordBatch({ records: [{ key: null, value: new Uint8Array(1_000), headers: [], timestamp: 0 }] });
    log.append(records, { leaderEpoch: 4, recordCount: 1 });
  }
  const context = { highWatermark: 1, ports: { log, clock, logger: createLogger({ level: 'silent' }) } } as unknown as PartitionContext;
  return { state, context };
}

const request = (partitions: Array<{ partition: number; fetchOffset: number; partitionMaxBytes: number }>, maxBytes = 10_485_760): RequestBody<'fetch'> => ({
  replicaId: 2,
  replicaEpoch: 9,
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes,
  isolationLevel: 0,
  topics: [{ topic: 'orders', partitions: partitions.map((partition) => ({ ...partition, currentLeaderEpoch: 4, lastFetchedEpoch: 4, logStartOffset: 0 })) }],
});

const read = (verdicts: FollowerFetchVerdicts, body: RequestBody<'fetch'>, view = leaderView()) => readFollowerFetch(body, verdicts, () => view);

describe('readFollowerFetch', () => {
  it('reads past the high watermark up to the log end: followers get records before they are committed', () => {
    const outcome = read(new Map([[verdictKey('orders', 0), { kind: 'read' }]]), request([{ partition: 0, fetchOffset: 1, partitionMaxBytes: 1 << 20 }]));
    const answer = outcome.response.responses[0]?.partitions[0];
    expect(answer?.errorCode).toBe(0);
    expect(answer?.highWatermark).toBe(1);
    expect(outcome.totalBytes).toBeGreaterThan(2_000);
    expect(outcome.hasError).toBe(false);
  });

  it('keeps replica.fetch.max.bytes per partition, the first batch coming whole even when larger (replication never stalls)', () => {
    const oneBatch = read(new Map([[verdictKey('orders', 0), { kind: 'read' }]]), request([{ partition: 0, fetchOffset: 0, partitionMaxBytes: 10 }])).totalBytes;
    expect(oneBatch).toBeGreaterThan(1_000);
    expect(oneBatch).toBeLessThan(2_000);
  });

  it('keeps replica.fetch.response.max.bytes across partitions: past the first partition, a batch that does not fit waits', () => {
    const view = leaderView();
    const verdicts = new Map([
      [verdictKey('orders', 0), { kind: 'read' } as const],
      [verdictKey('orders', 1), { kind: 'read' } as const],
    ]);
    const outcome = readFollowerFetch(request([{ partition: 0, fetchOffset: 2, partitionMaxBytes: 1 << 20 }, { partition: 1, fetchOffset: 0, partitionMaxBytes: 1 << 20 }], 1_500), verdicts, () => view);
    expect(outcome.response.responses[0]?.partitions.map((partition) => partition.records.byteLength > 0)).toEqual([true, false]);
  });

  it('answers a diverging verdict with DivergingEpoch and no records, at once (hasError), and an error verdict with its code', () => {
    const verdicts: FollowerFetchVerdicts = new Map([[verdictKey('orders', 0), { kind: 'diverging', divergingEpoch: { epoch: 3, endOffset: 1 } }]]);
    const diverging = read(verdicts, request([{ partition: 0, fetchOffset: 2, partitionMaxBytes: 1 << 20 }]));
    expect(diverging.response.responses[0]?.partitions[0]).toMatchObject({ errorCode: 0, divergingEpoch: { epoch: 3, endOffset: 1 } });
    expect(diverging.totalBytes).toBe(0);
    expect(diverging.hasError).toBe(true);
    const fenced = read(new Map([[verdictKey('orders', 0), { kind: 'error', error: 'FENCED_LEADER_EPOCH' }]]), request([{ partition: 0, fetchOffset: 2, partitionMaxBytes: 1 << 20 }]));
    expect(fenced.response.responses[0]?.partitions[0]?.errorCode).toBe(errorByName('FENCED_LEADER_EPOCH').code);
  });

  it('answers NOT_LEADER_OR_FOLLOWER when leadership moved while the fetch waited in the purgatory', () => {
    const outcome = read(new Map([[verdictKey('orders', 0), { kind: 'read' }]]), request([{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }]), leaderView('Follower'));
    expect(outcome.response.responses[0]?.partitions[0]?.errorCode).toBe(errorByName('NOT_LEADER_OR_FOLLOWER').code);
  });
});
