import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import { createLogger, SimulatedClock, type PeerRequester, type RpcResult } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { FollowerFetchResponse } from '../partition/partition-types.js';
import { replicaFetcherMachine, type FollowedPartition, type FollowerFetchState } from './replica-fetcher.machine.js';

interface SentFetch {
  url: string;
  body: RequestBody<'fetch'>;
  answer(result: RpcResult<'fetch'>): void;
}

function startFetcher(states: Record<string, FollowerFetchState>) {
  const clock = new SimulatedClock();
  const sent: SentFetch[] = [];
  const delivered: Array<{ partition: FollowedPartition; response: FollowerFetchResponse }> = [];
  const peers: PeerRequester = {
    request: (url, api, body, onResult) => {
      if (api !== 'fetch') throw new Error(`unexpected ${api}`);
      sent.push({ url, body: body as RequestBody<'fetch'>, answer: onResult as (result: RpcResult<'fetch'>) => void });
    },
  };
  const actor = createActor(replicaFetcherMachine, {
    clock,
    input: {
      brokerId: 2,
      leaderId: 1,
      leaderUrl: 'memory://broker-1',
      config: { replicaFetchWaitMaxMs: 500, replicaFetchMinBytes: 1, replicaFetchMaxBytes: 1_048_576, replicaFetchResponseMaxBytes: 10_485_760, replicaFetchBackoffMs: 1_000 },
      ports: {
        peers,
        logger: createLogger({ level: 'silent' }),
        brokerEpoch: () => 17,
        fetchStateOf: (partition) => states[`${partition.topic}-${partition.partition}`],
        deliver: (partition, response) => delivered.push({ partition, response }),
      },
    },
  });
  actor.start();
  return { clock, actor, sent, delivered };
}

const answer = (partitions: Array<{ partitionIndex: number; errorCode?: number; highWatermark?: number }>): RpcResult<'fetch'> => ({
  ok: true,
  body: {
    throttleTimeMs: 0,
    errorCode: 0,
    responses: [
      {
        topic: 'orders',
        partitions: partitions.map((partition) => ({
          partitionIndex: partition.partitionIndex,
          errorCode: partition.errorCode ?? 0,
          highWatermark: partition.highWatermark ?? 0,
          lastStableOffset: 0,
          logStartOffset: 0,
          abortedTransactions: null,
          records: new Uint8Array(0),
        })),
      },
    ] satisfies ResponseBody<'fetch'>['responses'],
  },
});

const orders = (partition: number): FollowedPartition => ({ topic: 'orders', partition });
const state = (fetchOffset: number): FollowerFetchState => ({ currentLeaderEpoch: 3, fetchOffset, lastFetchedEpoch: 2, logStartOffset: 0 });

describe('replica fetcher machine', () => {
  it('Idle -> Fetching on fetcher.partitionsChanged: one Fetch with the replica id, broker epoch and each partition\'s offset and epochs', () => {
    const { actor, sent } = startFetcher({ 'orders-0': state(5), 'orders-1': state(9) });
    expect(actor.getSnapshot().value).toBe('Idle');
    actor.send({ type: 'fetcher.partitionsChanged', partitions: [orders(0), orders(1)] });
    expect(actor.getSnapshot().value).toBe('Fetching');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe('memory://broker-1');
    expect(sent[0]?.body).toMatchObject({ replicaId: 2, replicaEpoch: 17, maxWaitMs: 500, minBytes: 1, maxBytes: 10_485_760 });
    expect(sent[0]?.body.topics).toEqual([
      {
        topic: 'orders',
        partitions: [
          { partition: 0, currentLeaderEpoch: 3, fetchOffset: 5, lastFetchedEpoch: 2, logStartOffset: 0, partitionMaxBytes: 1_048_576 },
          { partition: 1, currentLeaderEpoch: 3, fetchOffset: 9, lastFetchedEpoch: 2, logStartOffset: 0, partitionMaxBytes: 1_048_576 },
        ],
      },
    ]);
  });

  it('Fetching -> Fetching on fetch.responded: each answer goes to its partition with the epoch and offset it was asked at, and the next Fetch follows at once', () => {
    const { actor, sent, delivered } = startFetcher({ 'orders-0': state(5) });
    actor.send({ type: 'fetcher.partitionsChanged', partitions: [orders(0)] });
    sent[0]?.answer(answer([{ partitionIndex: 0, highWatermark: 5 }]));
    expect(delivered.map(({ partition, response }) => [partition.partition, response.requestLeaderEpoch, response.fetchOffset, response.errorName, response.highWatermark])).toEqual([[0, 3, 5, 'NONE', 5]]);
    expect(sent).toHaveLength(2);
    expect(actor.getSnapshot().value).toBe('Fetching');
  });

  it('Fetching -> BackingOff when the request fails; -> Fetching after replica.fetch.backoff.ms', async () => {
    const { actor, sent, clock } = startFetcher({ 'orders-0': state(5) });
    actor.send({ type: 'fetcher.partitionsChanged', partitions: [orders(0)] });
    sent[0]?.answer({ ok: false, error: { ...errorByName('NETWORK_EXCEPTION'), message: 'connection refused' } });
    expect(actor.getSnapshot().value).toBe('BackingOff');
    await clock.advanceByAsync(999);
    expect(sent).toHaveLength(1);
    await clock.advanceByAsync(1);
    expect(sent).toHaveLength(2);
    expect(actor.getSnapshot().value).toBe('Fetching');
  });

  it('a partition answered with an error sits out replica.fetch.backoff.ms while the others are fetched (no busy loop)', async () => {
    const { actor, sent, clock } = startFetcher({ 'orders-0': state(5), 'orders-1': state(9) });
    actor.send({ type: 'fetcher.partitionsChanged', partitions: [orders(0), orders(1)] });
    sent[0]?.answer(answer([{ partitionIndex: 0, errorCode: errorByName('NOT_LEADER_OR_FOLLOWER').code }, { partitionIndex: 1 }]));
    expect(sent[1]?.body.topics[0]?.partitions.map((partition) => partition.partition)).toEqual([1]);
    sent[1]?.answer(answer([{ partitionIndex: 1 }]));
    expect(sent[2]?.body.topics[0]?.partitions.map((partition) => partition.partition)).toEqual([1]);
    await clock.advanceByAsync(1_000);
    sent[2]?.answer(answer([{ partitionIndex: 1 }]));
    expect(sent[3]?.body.topics[0]?.partitions.map((partition) => partition.partition)).toEqual([0, 1]);
  });

  it('a partition no longer followed from this leader (its actor says so) is left out of the next Fetch; with none left -> Idle', () => {
    const states: Record<string, FollowerFetchState> = { 'orders-0': state(5) };
    const { actor, sent } = startFetcher(states);
    actor.send({ type: 'fetcher.partitionsChanged', partitions: [orders(0)] });
    actor.send({ type: 'fetcher.partitionsChanged', partitions: [] });
    sent[0]?.answer(answer([{ partitionIndex: 0 }]));
    expect(actor.getSnapshot().value).toBe('Idle');
    expect(sent).toHaveLength(1);
  });
});
