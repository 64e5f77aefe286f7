/**
 * The wiring of the inspection port into the consumer's group actor: off by default with no inspect
 * option given to XState at all (so XState does no inspection work), on with the runtime's callback and a
 * readable id `consumer/<group>/<client id>`.
 */
import type * as XState from 'xstate';
import type { InspectionEvent } from 'xstate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeCluster } from '../../test-support/fake-cluster.js';
import { Consumer } from '../consumer.js';

const created = vi.hoisted(() => [] as Array<{ id: string | undefined; inspect: unknown; hasInspectKey: boolean }>);

vi.mock('xstate', async (importOriginal) => {
  const original = await importOriginal<typeof XState>();
  return {
    ...original,
    createActor: ((logic: Parameters<typeof original.createActor>[0], options?: Parameters<typeof original.createActor>[1]) => {
      created.push({ id: options?.id, inspect: options?.inspect, hasInspectKey: options !== undefined && 'inspect' in options && options.inspect !== undefined });
      return original.createActor(logic, options);
    }) as typeof original.createActor,
  };
});

let cluster: FakeCluster | undefined;
afterEach(async () => {
  created.length = 0;
  await cluster?.close();
  cluster = undefined;
});

function groupConsumer(fake: FakeCluster, inspect?: (event: InspectionEvent) => void): Consumer {
  return Consumer.create(
    { 'bootstrap.servers': fake.bootstrapServers, 'group.id': 'analytics', 'client.id': 'reader-1' },
    { ...fake.clientRuntime(1, 'reader-1'), inspect },
  );
}

describe('consumer inspection wiring', () => {
  it('gives XState no inspect callback when inspection is off', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    const consumer = groupConsumer(cluster);
    const groupActor = created.find((entry) => entry.id === 'consumer/analytics/reader-1');
    expect(groupActor).toBeDefined();
    expect(created.every((entry) => !entry.hasInspectKey)).toBe(true);
    await consumer.close();
  });

  it('inspects the group actor under consumer/<group>/<client id> when the runtime has a callback', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    const events: InspectionEvent[] = [];
    const consumer = groupConsumer(cluster, (event) => events.push(event));
    expect(created.find((entry) => entry.id === 'consumer/analytics/reader-1')?.hasInspectKey).toBe(true);
    const registration = events.find((event) => event.type === '@xstate.actor');
    expect((registration?.actorRef as { id?: string } | undefined)?.id).toBe('consumer/analytics/reader-1');
    await consumer.close();
  });
});
