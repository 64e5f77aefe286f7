/**
 * The broker's ProducerIdManager on a simulated clock (Kafka's RPCProducerIdManagerTest cases): ids in order from the
 * controller's blocks, the next block prefetched at 90%, callers waiting for a block answered when it arrives or
 * refused COORDINATOR_LOAD_IN_PROGRESS past the bounds, and retries to whichever controller is active.
 */
import { errorByName, type RequestBody, type ResponseBody } from '@kactor/protocol';
import { createLogger, SimulatedClock, type PeerRequester, type RpcResult } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { ProducerIdManager, type ProducerIdResult } from './producer-id-manager.js';

interface SentRequest {
  url: string;
  body: RequestBody<'allocateProducerIds'>;
  answer(result: RpcResult<'allocateProducerIds'>): void;
}

const block = (producerIdStart: number, producerIdLen = 1000): RpcResult<'allocateProducerIds'> => ({
  ok: true,
  body: { throttleTimeMs: 0, errorCode: 0, errorMessage: null, producerIdStart, producerIdLen },
});
const refused = (name: 'NOT_CONTROLLER' | 'STALE_BROKER_EPOCH'): RpcResult<'allocateProducerIds'> => ({
  ok: true,
  body: { throttleTimeMs: 0, errorCode: errorByName(name).code, errorMessage: name, producerIdStart: -1, producerIdLen: -1 } satisfies ResponseBody<'allocateProducerIds'>,
});

function setup(options: { maxWaiters?: number; blockWaitMs?: number } = {}) {
  const clock = new SimulatedClock({ startMs: 1_000 });
  const sent: SentRequest[] = [];
  const peers: PeerRequester = {
    request: (url, _api, body, onResult) => void sent.push({ url, body: body as RequestBody<'allocateProducerIds'>, answer: onResult as SentRequest['answer'] }),
  };
  const controller = { url: 'ws://controller-0' as string | undefined };
  const manager = new ProducerIdManager({
    brokerId: 3,
    clock,
    logger: createLogger({ clock, level: 'silent' }),
    peers,
    controllerUrl: () => controller.url,
    brokerEpoch: () => 42,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 1_000,
    requestTimeoutMs: 30_000,
    ...options,
  });
  const results: ProducerIdResult[] = [];
  const generate = (count = 1) => {
    for (let i = 0; i < count; i += 1) manager.generateProducerId((result) => results.push(result));
  };
  const ids = () => results.map((result) => (result.ok ? result.producerId : result.errorName));
  return { clock, sent, controller, manager, results, generate, ids };
}

describe('ProducerIdManager (Kafka RPCProducerIdManager)', () => {
  it('the first caller waits for the first block, asked with the broker id and epoch; ids then come in order', () => {
    const { sent, generate, ids } = setup();
    generate(2);
    expect(ids()).toEqual([]);
    expect(sent.map(({ url, body }) => [url, body])).toEqual([['ws://controller-0', { brokerId: 3, brokerEpoch: 42 }]]);
    sent[0]?.answer(block(5000));
    expect(ids()).toEqual([5000, 5001]);
    generate(3);
    expect(ids()).toEqual([5000, 5001, 5002, 5003, 5004]);
    expect(sent).toHaveLength(1);
  });

  it('prefetches the next block once 90% of the current one is handed out, and moves to it without waiting', () => {
    const { sent, generate, ids, manager } = setup();
    generate();
    sent[0]?.answer(block(0, 10));
    generate(8);
    // Ids 0-8 handed out: 9 is the prefetch point (0 + 90% of 10), not reached yet.
    expect(sent).toHaveLength(1);
    generate();
    expect(sent).toHaveLength(2);
    sent[1]?.answer(block(10, 10));
    expect(manager.availableIds).toBe(10);
    generate(2);
    expect(ids()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(sent).toHaveLength(2);
  });

  it('retries NOT_CONTROLLER, a lost request and no known controller after retry.backoff.ms doubling, at the controller known then', () => {
    const { clock, sent, controller, generate, ids } = setup();
    generate();
    sent[0]?.answer(refused('NOT_CONTROLLER'));
    controller.url = 'ws://controller-1';
    clock.advanceBy(99);
    expect(sent).toHaveLength(1);
    clock.advanceBy(1);
    expect(sent.map(({ url }) => url)).toEqual(['ws://controller-0', 'ws://controller-1']);
    sent[1]?.answer({ ok: false, error: { code: errorByName('REQUEST_TIMED_OUT').code, name: 'REQUEST_TIMED_OUT', retriable: true, message: 'timed out' } });
    controller.url = undefined;
    clock.advanceBy(200);
    expect(sent).toHaveLength(2);
    controller.url = 'ws://controller-2';
    clock.advanceBy(400);
    expect(sent.map(({ url }) => url)).toEqual(['ws://controller-0', 'ws://controller-1', 'ws://controller-2']);
    sent[2]?.answer(block(1000));
    expect(ids()).toEqual([1000]);
  });

  it('a STALE_BROKER_EPOCH (not registered or unfenced yet) is asked again until the controller gives a block', () => {
    const { clock, sent, generate, ids } = setup();
    generate();
    sent[0]?.answer(refused('STALE_BROKER_EPOCH'));
    clock.advanceBy(100);
    sent[1]?.answer(block(0));
    expect(ids()).toEqual([0]);
  });

  it('a caller waiting longer than the bound gets COORDINATOR_LOAD_IN_PROGRESS; later callers still get the block', () => {
    const { clock, sent, generate, ids } = setup({ blockWaitMs: 500 });
    generate();
    clock.advanceBy(499);
    expect(ids()).toEqual([]);
    clock.advanceBy(1);
    expect(ids()).toEqual(['COORDINATOR_LOAD_IN_PROGRESS']);
    generate();
    sent[0]?.answer(block(0));
    expect(ids()).toEqual(['COORDINATOR_LOAD_IN_PROGRESS', 0]);
  });

  it('past the bound on waiting callers, more are refused COORDINATOR_LOAD_IN_PROGRESS at once', () => {
    const { sent, generate, ids } = setup({ maxWaiters: 2 });
    generate(3);
    expect(ids()).toEqual(['COORDINATOR_LOAD_IN_PROGRESS']);
    sent[0]?.answer(block(0));
    expect(ids()).toEqual(['COORDINATOR_LOAD_IN_PROGRESS', 0, 1]);
  });

  it('refuses a block that overlaps the ids it already had, and asks again', () => {
    const { clock, sent, generate, ids } = setup();
    generate();
    sent[0]?.answer(block(0, 10));
    generate(9);
    sent[1]?.answer(block(5, 10));
    generate();
    expect(ids()).toHaveLength(10);
    clock.advanceBy(100);
    sent[2]?.answer(block(10, 10));
    expect(ids()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('close() answers waiting callers NOT_COORDINATOR and ignores a late block', () => {
    const { sent, generate, ids, manager } = setup();
    generate();
    manager.close();
    sent[0]?.answer(block(0));
    expect(ids()).toEqual(['NOT_COORDINATOR']);
    expect(manager.availableIds).toBe(0);
  });
});
