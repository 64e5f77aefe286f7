/**
 * The producer's statechart as an inspector sees it while a real Producer works against the fake cluster:
 * the states follow what the producer does, and the max.block.ms timer of the chart is the one that fails
 * a send.
 */
import { isKafkaError } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Producer } from './producer.js';

let cluster: FakeCluster;
let producer: Producer;

afterEach(async () => {
  await cluster.settle(producer.close({ timeoutMs: 0 }));
  await cluster.close();
});

/** Starts a producer whose actor's states are written down, one flattened state per snapshot. */
async function inspectedProducer(settings: Record<string, string | number>) {
  cluster = await FakeCluster.start({ brokers: 1 });
  const states: string[] = [];
  const actorIds: string[] = [];
  const inspect = (event: InspectionEvent) => {
    const id = (event.actorRef as { id?: string }).id ?? '';
    if (event.type === '@xstate.actor') actorIds.push(id);
    if (event.type !== '@xstate.snapshot' || id !== 'producer/orders-writer') return;
    const state = flatten((event.snapshot as unknown as { value: unknown }).value);
    if (states.at(-1) !== state) states.push(state);
  };
  producer = Producer.create({ 'bootstrap.servers': cluster.bootstrapServers, 'client.id': 'orders-writer', ...settings }, { ...cluster.clientRuntime(), inspect });
  return { states, actorIds };
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  return Object.entries(value as Record<string, unknown>)
    .map(([key, inner]) => (typeof inner === 'string' ? `${key}.${inner}` : `${key}.(${flatten(inner)})`))
    .join(' ');
}

describe('the producer statechart, driven by a producer', () => {
  it('is named producer/<client.id> and shows a send waiting for metadata, the records sent, and the close', async () => {
    const { states, actorIds } = await inspectedProducer({ 'linger.ms': 0, 'max.block.ms': 10_000 });
    expect(actorIds).toContain('producer/orders-writer');
    const sent = producer.send({ topic: 'later', value: 'v' });
    cluster.clock.setTimeout(() => cluster.createTopic('later', 1), 2_000);
    expect((await cluster.settle(sent)).offset).toBe(0);
    await cluster.settle(producer.close());
    // The waiting record is appended (its batch is pending) just before the queue of waiting sends empties.
    expect(states).toEqual([
      'ready.(admission.admitting delivery.idle)',
      'ready.(admission.(blocked.awaitingMetadata) delivery.idle)',
      'ready.(admission.(blocked.awaitingMetadata) delivery.sending)',
      'ready.(admission.admitting delivery.sending)',
      'ready.(admission.admitting delivery.idle)',
      'closing',
      'closed',
    ]);
  });

  it("fails a waiting send when the chart's max.block.ms timer fires", async () => {
    const { states } = await inspectedProducer({ 'linger.ms': 0, 'max.block.ms': 3_000 });
    const startMs = cluster.clock.now();
    const first = producer.send({ topic: 'missing', value: 'v' });
    const firstFailure = first.then(
      () => undefined,
      (error: unknown) => ({ error, atMs: cluster.clock.now() }),
    );
    const outcome = await cluster.settle(firstFailure);
    expect(isKafkaError(outcome?.error, 'REQUEST_TIMED_OUT')).toBe(true);
    expect((outcome?.atMs ?? Number.NaN) - startMs).toBe(3_000);
    expect(states).toEqual([
      'ready.(admission.admitting delivery.idle)',
      'ready.(admission.(blocked.awaitingMetadata) delivery.idle)',
      'ready.(admission.timedOut delivery.idle)',
      'ready.(admission.admitting delivery.idle)',
    ]);
  });

  it('shows flush() as flushing while records wait for linger.ms', async () => {
    const { states } = await inspectedProducer({ 'linger.ms': 60_000 });
    cluster.createTopic('t', 1);
    const sent = producer.send({ topic: 't', value: 'v' });
    await cluster.settle(producer.flush());
    await sent;
    expect(states).toContain('ready.(admission.admitting delivery.flushing)');
    expect(states.at(-1)).toBe('ready.(admission.admitting delivery.idle)');
  });
});
