import { errorByName } from '@kactor/protocol';
import { SimulatedClock, type Logger, type RpcClientPool } from '@kactor/runtime';
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

describe('AutoTopicCreator: the controller may move (KRaft)', () => {
  const notController = (name: string) => ({ ok: true, body: { topics: [{ name, errorCode: errorByName('NOT_CONTROLLER').code, errorMessage: 'The active controller appears to be node 2', numPartitions: -1 }] } });
  const created = (name: string) => ({ ok: true, body: { topics: [{ name, errorCode: 0, errorMessage: null, numPartitions: 1 }] } });
  const lost = { ok: false, error: { code: errorByName('NETWORK_EXCEPTION').code, name: 'NETWORK_EXCEPTION', message: 'the peer went away', retriable: true } };

  function creatorAt(locate: { url: string | undefined }) {
    const clock = new SimulatedClock({ startMs: 0 });
    const asked: Array<{ url: string; name: string; atMs: number; answer: (result: unknown) => void }> = [];
    const peers = {
      request: (url: string, _api: string, body: { topics: Array<{ name: string }> }, onResult: (result: unknown) => void) =>
        void asked.push({ url, name: body.topics[0]?.name ?? '', atMs: clock.now(), answer: onResult }),
    } as unknown as RpcClientPool;
    const creator = new AutoTopicCreator({ peers, controllerUrl: () => locate.url, logger: silent, requestTimeoutMs: 1_000, clock, retryBackoffMs: 100 });
    return { creator, asked, clock };
  }

  it('NOT_CONTROLLER: the topic stays in flight and is asked of the controller known then, after retry.backoff.ms', () => {
    const locate: { url: string | undefined } = { url: 'ws://controller-0:9100' };
    const { creator, asked, clock } = creatorAt(locate);
    creator.create('orders');
    locate.url = 'ws://controller-2:9100';
    asked[0]?.answer(notController('orders'));
    creator.create('orders');
    expect([asked.length, creator.topicsInFlight]).toEqual([1, 1]);
    clock.advanceBy(100);
    expect(asked.map((request) => [request.url, request.atMs])).toEqual([
      ['ws://controller-0:9100', 0],
      ['ws://controller-2:9100', 100],
    ]);
    asked[1]?.answer(created('orders'));
    expect(creator.topicsInFlight).toBe(0);
  });

  it('while no controller is known nothing is sent; the creation goes to the first controller that becomes known', () => {
    const locate: { url: string | undefined } = { url: undefined };
    const { creator, asked, clock } = creatorAt(locate);
    expect(creator.create('orders')).toBe(true);
    clock.advanceBy(300);
    expect(asked).toEqual([]);
    locate.url = 'ws://controller-1:9100';
    clock.advanceBy(100);
    expect(asked.map((request) => [request.url, request.name, request.atMs])).toEqual([['ws://controller-1:9100', 'orders', 400]]);
  });

  it('a lost controller (no answer) is retried until request.timeout.ms since the first attempt, then left to the next Metadata request', () => {
    const { creator, asked, clock } = creatorAt({ url: 'ws://controller-0:9100' });
    creator.create('orders');
    for (let step = 0; step < 20 && creator.topicsInFlight > 0; step += 1) {
      asked.at(-1)?.answer(lost);
      clock.advanceBy(100);
    }
    // Attempts at 0, 100, ..., 900: the next one would start at request.timeout.ms (1000 ms after the first).
    expect(asked.map((request) => request.atMs)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(creator.topicsInFlight).toBe(0);
    creator.create('orders');
    expect(asked).toHaveLength(11);
  });

  it('close cancels the pending retries', () => {
    const { creator, asked, clock } = creatorAt({ url: 'ws://controller-0:9100' });
    creator.create('orders');
    asked[0]?.answer(lost);
    creator.close();
    clock.advanceBy(1_000);
    expect([asked.length, creator.topicsInFlight]).toEqual([1, 0]);
  });
});
