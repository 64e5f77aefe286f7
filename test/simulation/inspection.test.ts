/**
 * The inspection port on the broker side, in a simulated cluster: without `inspect` no actor of a broker
 * node is given XState's inspect option (so XState registers no observer); with it, every actor is, and
 * their ids read like the cluster.
 */
import type * as XState from 'xstate';
import type { InspectionEvent } from 'xstate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedCluster } from '@kactor/simulation';

const created = vi.hoisted(() => [] as Array<{ id: string | undefined; inspected: boolean }>);

vi.mock('xstate', async (importOriginal) => {
  const original = await importOriginal<typeof XState>();
  return {
    ...original,
    createActor: ((logic: Parameters<typeof original.createActor>[0], options?: Parameters<typeof original.createActor>[1]) => {
      created.push({ id: options?.id, inspected: options?.inspect !== undefined });
      return original.createActor(logic, options);
    }) as typeof original.createActor,
  };
});

let cluster: SimulatedCluster | undefined;
afterEach(async () => {
  created.length = 0;
  for (const node of cluster?.nodes ?? []) await node.halt();
  cluster = undefined;
});

async function startWithTopic(inspect?: (event: InspectionEvent) => void): Promise<void> {
  cluster = new SimulatedCluster({ brokers: 2, seed: 5, inspect });
  await cluster.startAll();
  const answer = await cluster.client().call('createTopics', {
    topics: [{ name: 'orders', numPartitions: 4, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 5_000,
    validateOnly: false,
  });
  expect(answer.topics[0]?.errorCode).toBe(0);
  await cluster.until(() => created.filter((entry) => entry.id?.includes('/partition/orders-')).length === 4, 'the four partition actors');
}

describe('broker node inspection wiring', () => {
  it('without inspect: no actor gets an inspect option', async () => {
    await startWithTopic();
    expect(created.length).toBeGreaterThan(4);
    expect(created.filter((entry) => entry.inspected)).toEqual([]);
  });

  it('with inspect: every actor gets it, under ids like broker-1/partition/orders-3', async () => {
    const names = new Set<string>();
    await startWithTopic((event) => {
      if (event.type === '@xstate.actor') names.add((event.actorRef as unknown as { id: string }).id);
    });
    expect(created.every((entry) => entry.inspected)).toBe(true);
    expect(names).toContain('broker-0/controller');
    expect(names).toContain('broker-0/broker');
    expect(names).toContain('broker-1/broker');
    expect([...names].filter((name) => /^broker-[01]\/partition\/orders-[0-3]$/.test(name))).toHaveLength(4);
  });
});
