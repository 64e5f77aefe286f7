import type { MetadataImage } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import { createLogger, SimulatedClock, type PeerRequester, type RequestRef, type Responder, type RpcResult } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { registerRecords } from '../controller/test-fixtures.js';
import { brokerMachine, type ControllerLocator } from './broker.machine.js';
import { MetadataPublisher } from './metadata-publisher.js';

const HEARTBEAT_INTERVAL_MS = 2_000;
const RETRY_BACKOFF_MS = 100;
const RETRY_BACKOFF_MAX_MS = 1_000;

interface Sent {
  url: string;
  api: string;
  body: Record<string, unknown>;
  atMs: number;
  answer(result: RpcResult<'brokerRegistration'> | RpcResult<'brokerHeartbeat'>): void;
}

/** A broker actor on a simulated clock whose requests to the controller wait in `sent` until a test answers them. */
function startBroker(controllerUrl: ControllerLocator) {
  const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  const sent: Sent[] = [];
  const peers: PeerRequester = {
    request: (url, api, body, onResult) =>
      void sent.push({ url, api, body: body as Record<string, unknown>, atMs: clock.now(), answer: (result) => onResult(result as never) }),
  };
  const answers: unknown[] = [];
  const responder: Responder = { respond: (_ref, body) => void answers.push(body), respondError: () => undefined, finish: () => undefined };
  const actor = createActor(brokerMachine, {
    clock,
    input: {
      brokerId: 1,
      incarnationId: 'incarnation-1',
      clusterId: 'cluster-1',
      listener: { name: 'PLAINTEXT', host: '127.0.0.1', port: 9101, url: 'ws://127.0.0.1:9101' },
      rack: null,
      controllerUrl,
      config: { brokerHeartbeatIntervalMs: HEARTBEAT_INTERVAL_MS, brokerSessionTimeoutMs: 9_000, retryBackoffMs: RETRY_BACKOFF_MS, retryBackoffMaxMs: RETRY_BACKOFF_MAX_MS },
      ports: { clock, logger: createLogger({ level: 'silent' }), peers, responder, saveClusterId: () => undefined },
    },
  });
  const applied: number[] = [];
  actor.on('partitions.applyImage', ({ image }) => void applied.push(image.metadataOffset));
  actor.start();
  const lifecycle = () => (actor.getSnapshot().value as { lifecycle: unknown }).lifecycle;
  const heartbeatState = () => (actor.getSnapshot().value as { heartbeat: string }).heartbeat;
  const last = () => sent.at(-1) as Sent;
  return { clock, actor, sent, answers, applied, lifecycle, heartbeatState, last };
}

const registered = (brokerEpoch: number): RpcResult<'brokerRegistration'> => ({
  ok: true,
  body: { throttleTimeMs: 0, errorCode: 0, errorMessage: null, brokerEpoch, clusterId: 'cluster-1' },
});
const heartbeatAnswer = (isFenced: boolean): RpcResult<'brokerHeartbeat'> => ({
  ok: true,
  body: { throttleTimeMs: 0, errorCode: 0, errorMessage: null, isCaughtUp: true, isFenced, shouldShutDown: false },
});
const refused = (errorName: 'NOT_CONTROLLER' | 'UNKNOWN_SERVER_ERROR') => ({
  ok: true as const,
  body: { throttleTimeMs: 0, errorCode: errorByName(errorName).code, errorMessage: 'No controller appears to be active', brokerEpoch: -1, clusterId: null, isCaughtUp: false, isFenced: true, shouldShutDown: false },
});
const disconnected = { ok: false as const, error: { code: errorByName('NETWORK_EXCEPTION').code, name: 'NETWORK_EXCEPTION', message: 'the peer went away', retriable: true } } as unknown as RpcResult<'brokerHeartbeat'>;

function image(metadataOffset: number, controllerId = 0): MetadataImage {
  return {
    clusterId: 'cluster-1',
    controllerId,
    metadataOffset,
    brokers: [{ brokerId: 1, brokerEpoch: 5, host: '127.0.0.1', port: 9101, url: 'ws://127.0.0.1:9101', rack: null, fenced: true }],
    topics: [],
  };
}

/** Registered at epoch 5, caught up through a published image and unfenced by the first heartbeat. */
function runningBroker(locate: { url: string | undefined }) {
  const broker = startBroker(() => locate.url);
  broker.last().answer(registered(5));
  broker.actor.send({ type: 'metadata.published', image: image(5) });
  broker.clock.advanceBy(HEARTBEAT_INTERVAL_MS);
  broker.last().answer(heartbeatAnswer(false));
  expect(broker.lifecycle()).toBe('RUNNING');
  return broker;
}

describe('broker statechart: the active controller may move (KRaft)', () => {
  it('a fixed controller URL is used as before: registration goes there at start', () => {
    const broker = startBroker('ws://controller:9100');
    expect(broker.sent.map((request) => [request.url, request.api])).toEqual([['ws://controller:9100', 'brokerRegistration']]);
    expect(broker.lifecycle()).toEqual({ STARTING: 'registering' });
  });

  it('STARTING.registering -> backingOff while no controller is known (NOT_CONTROLLER), retried with retry.backoff.ms doubling to retry.backoff.max.ms', () => {
    const locate: { url: string | undefined } = { url: undefined };
    const broker = startBroker(() => locate.url);
    expect(broker.sent).toEqual([]);
    expect(broker.lifecycle()).toEqual({ STARTING: 'backingOff' });
    // Attempts at +100, +300, +700, +1500, +2500, +3500 ms: each finds no controller and waits twice as long, up to 1 s.
    broker.clock.advanceBy(3_400);
    expect(broker.sent).toEqual([]);
    locate.url = 'ws://controller-2:9100';
    broker.clock.advanceBy(99);
    expect(broker.sent).toEqual([]);
    broker.clock.advanceBy(1);
    expect(broker.sent.map((request) => [request.url, request.api, request.atMs - 1_700_000_000_000])).toEqual([['ws://controller-2:9100', 'brokerRegistration', 3_500]]);
  });

  it('STARTING.registering -> backingOff on NOT_CONTROLLER, registered at the new controller after retry.backoff.ms', () => {
    const locate = { url: 'ws://controller-0:9100' };
    const broker = startBroker(() => locate.url);
    locate.url = 'ws://controller-2:9100';
    broker.last().answer(refused('NOT_CONTROLLER') as RpcResult<'brokerRegistration'>);
    expect(broker.lifecycle()).toEqual({ STARTING: 'backingOff' });
    broker.clock.advanceBy(RETRY_BACKOFF_MS);
    expect(broker.last().url).toBe('ws://controller-2:9100');
    broker.last().answer(registered(5));
    expect(broker.lifecycle()).toEqual({ STARTING: 'catchingUp' });
  });

  it('STARTING.catchingUp -> RECOVERY on metadata.published, which is applied like a pushed image and answered to nobody', () => {
    const broker = startBroker('ws://controller:9100');
    broker.last().answer(registered(5));
    broker.actor.send({ type: 'metadata.published', image: image(4) });
    expect(broker.lifecycle()).toEqual({ STARTING: 'catchingUp' });
    broker.actor.send({ type: 'metadata.published', image: image(5) });
    expect(broker.lifecycle()).toBe('RECOVERY');
    expect(broker.applied).toEqual([4, 5]);
    expect(broker.actor.getSnapshot().context.image?.metadataOffset).toBe(5);
    expect(broker.answers).toEqual([]);
  });

  it('STARTING.catchingUp -> RECOVERY once the MetadataPublisher has replayed the committed RegisterBroker record of this registration', () => {
    const broker = startBroker('ws://controller:9100');
    const publisher = new MetadataPublisher({ clusterId: 'cluster-1', logger: createLogger({ level: 'silent' }) });
    publisher.onImage((published) => broker.actor.send({ type: 'metadata.published', image: published }));
    publisher.setController(0);
    broker.last().answer(registered(1));
    const [broker0, broker1] = registerRecords([0, 1]).map((record, offset) => ({ offset, record }));
    publisher.apply(broker0 === undefined ? [] : [broker0], 1);
    expect(broker.lifecycle()).toEqual({ STARTING: 'catchingUp' });
    // The leader's LeaderChangeMessage at offset 2 committed with it: the image is at offset 2.
    publisher.apply(broker1 === undefined ? [] : [broker1], 3);
    expect(broker.lifecycle()).toBe('RECOVERY');
    expect(broker.actor.getSnapshot().context.image?.brokers.map((registration) => [registration.brokerId, registration.brokerEpoch])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(broker.applied).toEqual([0, 2]);
  });

  it('metadata.published: an image not newer than the one held is ignored, whether it was pushed or published (offsets only go up)', () => {
    const broker = startBroker('ws://controller:9100');
    broker.last().answer(registered(5));
    broker.actor.send({ type: 'metadata.published', image: image(8) });
    const ref: RequestRef = { connectionId: 'c', correlationId: 1, api: 'updateMetadata', version: 0, remoteAddress: 'test' };
    broker.actor.send({ type: 'request.updateMetadata', ref, body: { controllerId: 0, brokerEpoch: 5, image: image(7) } });
    broker.actor.send({ type: 'metadata.published', image: image(8, 2) });
    broker.actor.send({ type: 'metadata.published', image: image(6) });
    expect(broker.applied).toEqual([8]);
    expect(broker.actor.getSnapshot().context.image).toEqual(image(8));
    // The push is still acknowledged, as before: the controller only learns the broker has it (or newer).
    expect(broker.answers).toEqual([{ errorCode: 0, errorMessage: null }]);
    broker.actor.send({ type: 'metadata.published', image: image(9, 2) });
    expect(broker.applied).toEqual([8, 9]);
  });

  it('RUNNING: heartbeat NOT_CONTROLLER retried at the new controller after retry.backoff.ms, not a heartbeat interval', () => {
    const locate: { url: string | undefined } = { url: 'ws://controller-0:9100' };
    const broker = runningBroker(locate);
    broker.clock.advanceBy(HEARTBEAT_INTERVAL_MS);
    const refusedAt = broker.clock.now();
    locate.url = 'ws://controller-2:9100';
    broker.last().answer(refused('NOT_CONTROLLER') as RpcResult<'brokerHeartbeat'>);
    expect(broker.heartbeatState()).toBe('BackingOff');
    broker.clock.advanceBy(RETRY_BACKOFF_MS);
    expect([broker.last().url, broker.last().api, broker.last().atMs - refusedAt]).toEqual(['ws://controller-2:9100', 'brokerHeartbeat', RETRY_BACKOFF_MS]);
    expect(broker.last().body).toMatchObject({ brokerId: 1, brokerEpoch: 5, currentMetadataOffset: 5 });
    broker.last().answer(heartbeatAnswer(false));
    expect([broker.lifecycle(), broker.heartbeatState(), broker.actor.getSnapshot().context.heartbeatFailures]).toEqual(['RUNNING', 'Waiting', 0]);
  });

  it('RUNNING: heartbeat.Sending -> BackingOff on no answer or no known controller, backing off 100, 200, 400, 800, 1000 ms, then back to the interval', () => {
    const locate: { url: string | undefined } = { url: 'ws://controller-0:9100' };
    const broker = runningBroker(locate);
    broker.clock.advanceBy(HEARTBEAT_INTERVAL_MS);
    const failedAt = broker.clock.now();
    locate.url = undefined;
    broker.last().answer(disconnected);
    const sentBefore = broker.sent.length;
    broker.clock.advanceBy(100 + 200 + 400 + 800 + 1_000 - 1);
    expect(broker.sent.length).toBe(sentBefore);
    locate.url = 'ws://controller-1:9100';
    broker.clock.advanceBy(1);
    expect([broker.last().url, broker.last().atMs - failedAt]).toEqual(['ws://controller-1:9100', 2_500]);
    broker.last().answer(heartbeatAnswer(false));
    broker.clock.advanceBy(HEARTBEAT_INTERVAL_MS - 1);
    expect(broker.heartbeatState()).toBe('Waiting');
    broker.clock.advanceBy(1);
    expect(broker.heartbeatState()).toBe('Sending');
    expect(broker.lifecycle()).toBe('RUNNING');
  });

  it('RUNNING: heartbeat.Sending -> Waiting on another error from the controller: it took the heartbeat, the next one waits the interval', () => {
    const broker = runningBroker({ url: 'ws://controller-0:9100' });
    broker.clock.advanceBy(HEARTBEAT_INTERVAL_MS);
    broker.last().answer(refused('UNKNOWN_SERVER_ERROR') as RpcResult<'brokerHeartbeat'>);
    expect(broker.heartbeatState()).toBe('Waiting');
    const sentBefore = broker.sent.length;
    broker.clock.advanceBy(HEARTBEAT_INTERVAL_MS - 1);
    expect(broker.sent.length).toBe(sentBefore);
    broker.clock.advanceBy(1);
    expect(broker.sent.length).toBe(sentBefore + 1);
  });

  it('PENDING_CONTROLLED_SHUTDOWN: the wantShutDown heartbeat refused with NOT_CONTROLLER is asked again of the new controller', () => {
    const locate = { url: 'ws://controller-0:9100' };
    const broker = runningBroker(locate);
    broker.actor.send({ type: 'broker.shutdown' });
    expect(broker.last().body).toMatchObject({ wantShutDown: true });
    locate.url = 'ws://controller-2:9100';
    broker.last().answer(refused('NOT_CONTROLLER') as RpcResult<'brokerHeartbeat'>);
    broker.clock.advanceBy(RETRY_BACKOFF_MS);
    expect([broker.last().url, broker.last().body.wantShutDown]).toEqual(['ws://controller-2:9100', true]);
    broker.last().answer({ ok: true, body: { throttleTimeMs: 0, errorCode: 0, errorMessage: null, isCaughtUp: true, isFenced: true, shouldShutDown: true } });
    expect(broker.lifecycle()).toBe('NOT_RUNNING');
  });
});
