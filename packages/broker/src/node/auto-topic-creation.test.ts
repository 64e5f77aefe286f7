import type { Logger, RpcClientPool } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { AutoTopicCreator } from './auto-topic-creation.js';

const silent = { info: () => undefined, warn: () => undefined, debug: () => undefined } as unknown as Logger;

function creatorWithPeers(maxTopicsInFlight: number) {
  const asked: Array<{ name: string; answer: (errorCode: number) => void }> = [];
  const peers = {
    request: (_url: string, _api: string, body: { topics: Array<{ name: string; numPartitions: number; replicationFactor: number }> }, onResult: (result: unknown) => void) => {
      const topic = body.topics[0] as { name: string; numPartitions: number; replicationFactor: number };
      expect(topic).toMatchObject({ numPartitions: -1, replicationFactor: -1 });
      asked.push({ name: topic.name, answer: (errorCode) => onResult({ ok: true, body: { topics: [{ name: topic.name, errorCode, errorMessage: null, numPartitions: 1 }] } }) });
    },
  } as unknown as RpcClientPool;
  return { creator: new AutoTopicCreator({ peers, controllerUrl: () => 'memory://controller', logger: silent, requestTimeoutMs: 30_000, maxTopicsInFlight }), asked };
}

describe('AutoTopicCreator', () => {
  it('asks the controller once per topic while its creation is under way, with the controller defaults (-1)', () => {
    const { creator, asked } = creatorWithPeers(10);
    creator.create('a');
    creator.create('a');
    expect(asked.map((request) => request.name)).toEqual(['a']);
    asked[0]?.answer(0);
    creator.create('a');
    expect(asked.map((request) => request.name)).toEqual(['a', 'a']);
  });

  it('creates at most maxTopicsInFlight topics at once; past it a name waits for the next Metadata request', () => {
    const { creator, asked } = creatorWithPeers(2);
    expect([creator.create('a'), creator.create('b'), creator.create('c')]).toEqual([true, true, false]);
    expect(creator.topicsInFlight).toBe(2);
    asked[0]?.answer(36); // TOPIC_ALREADY_EXISTS: someone else created it first
    expect(creator.create('c')).toBe(true);
    expect(asked.map((request) => request.name)).toEqual(['a', 'b', 'c']);
  });
});
