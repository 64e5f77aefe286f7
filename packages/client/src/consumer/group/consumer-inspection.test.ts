/**
 * The wiring of the inspection port into the consumer's group actor: off by default with no inspect
 * option given to XState at all (so XState does no inspection work), on with the runtime's callback and a
 * readable id `consumer/<group>/<client id>`, renamed `consumer/<group>/<member id>` once the coordinator
 * gives the member an id, and after each id it is given later.
 */
import { waitForSimulated } from '@kactor/runtime';
import type * as XState from 'xstate';
import type { AnyActorRef, InspectionEvent } from 'xstate';
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

type Rename = (actorRef: AnyActorRef, id: string) => void;

function groupConsumer(fake: FakeCluster, inspect?: (event: InspectionEvent) => void, renameInspectedActor?: Rename): Consumer {
  return Consumer.create(
    { 'bootstrap.servers': fake.bootstrapServers, 'group.id': 'analytics', 'client.id': 'reader-1', 'session.timeout.ms': 10_000, 'heartbeat.interval.ms': 1_000 },
    { ...fake.clientRuntime(1, 'reader-1'), inspect, renameInspectedActor },
  );
}

/** Polls (as the application would) until `condition` holds on the simulated clock. */
async function pollUntil(fake: FakeCluster, consumer: Consumer, condition: () => boolean, description: string): Promise<void> {
  let stop = false;
  const loop = (async () => {
    while (!stop) await consumer.poll(100);
  })();
  await waitForSimulated(fake.clock, condition, description, 120_000);
  stop = true;
  await fake.settle(loop);
}

/** The renames the consumer asked for, as [the actor's own id, the new name]. */
function recordRenames(): { renames: Array<[string, string]>; rename: Rename } {
  const renames: Array<[string, string]> = [];
  return { renames, rename: (actorRef, id) => renames.push([actorRef.id, id]) };
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

  it('renames the inspected group actor consumer/<group>/<member id> once it has one, and follows a new one', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    cluster.createTopic('orders', 2);
    const { renames, rename } = recordRenames();
    const consumer = groupConsumer(cluster, () => undefined, rename);
    consumer.subscribe(['orders']);
    await pollUntil(cluster, consumer, () => consumer.groupMembership()?.state === 'stable', 'the member stable');
    const first = consumer.groupMembership()?.memberId ?? '';
    expect(first).toMatch(/^reader-1-/);
    expect(renames).toEqual([['consumer/analytics/reader-1', `consumer/analytics/${first}`]]);
    // The coordinator forgot the member: it rejoins without an id (back to the client id), then gets a new one.
    cluster.groupCoordinator.inject('heartbeat', 'UNKNOWN_MEMBER_ID');
    await pollUntil(cluster, consumer, () => consumer.groupMembership()?.state === 'stable' && consumer.groupMembership()?.memberId !== first, 'the member stable under a new id');
    const second = consumer.groupMembership()?.memberId ?? '';
    expect(renames.map(([, id]) => id)).toEqual([`consumer/analytics/${first}`, 'consumer/analytics/reader-1', `consumer/analytics/${second}`]);
    // Leaving on close resets the member id, but the actor ends under the last name it had.
    await cluster.settle(consumer.close());
    expect(renames.map(([, id]) => id).at(-1)).toBe(`consumer/analytics/${second}`);
  });

  it('renames nothing when the consumer is not inspected, even with a rename callback', async () => {
    cluster = await FakeCluster.start({ brokers: 1 });
    cluster.createTopic('orders', 2);
    const { renames, rename } = recordRenames();
    const consumer = groupConsumer(cluster, undefined, rename);
    consumer.subscribe(['orders']);
    await pollUntil(cluster, consumer, () => consumer.groupMembership()?.state === 'stable', 'the member stable');
    expect(consumer.groupMembership()?.memberId).not.toBe('');
    expect(renames).toEqual([]);
    await cluster.settle(consumer.close());
  });
});
