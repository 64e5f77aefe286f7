/**
 * Members joining and dying under load (issue 14), the classic cooperative protocol and the consumer protocol
 * (KIP-848) on the same seed: a producer keeps writing to twelve partitions while a member joins, one is killed
 * (kill -9: no leave, its session runs out on the coordinator) and another joins. Jepsen's checks on the outcome:
 * no acknowledged record is lost (every one is read by some member; the members auto-commit, so a record may be read
 * twice after the kill, which at-least-once allows), and no partition is ever given to a member while another still
 * holds it.
 */
import type { Consumer } from '@kactor/client';
import type { ConfigValueInput } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { findDuplicatedRecords, findLostRecords, GroupClients, Ownership, recordIdOf, type RecordId } from '@kactor/simulation';

const SEED = 1_848;
const PARTITIONS = 12;

let sim: GroupClients | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const protocols: Array<{ name: string; settings: Record<string, ConfigValueInput> }> = [
  { name: 'classic cooperative', settings: { 'partition.assignment.strategy': 'cooperative-sticky' } },
  { name: 'consumer', settings: { 'group.protocol': 'consumer' } },
];

/** Every partition held by exactly one of `members`, shared as evenly as possible. */
function balanced(ownership: Ownership, members: readonly Consumer[]): boolean {
  const held = members.map((member) => [...(ownership.held.get(member) ?? [])]);
  const fair = Math.floor(PARTITIONS / members.length);
  return held.flat().length === PARTITIONS && new Set(held.flat()).size === PARTITIONS && held.every((list) => list.length === fair || list.length === fair + 1);
}

describe('members joining and dying under load', () => {
  it.each(protocols)('$name: no acknowledged record lost, never two owners of a partition', { timeout: 240_000 }, async ({ name, settings }) => {
    sim = new GroupClients({
      seed: SEED,
      // The consumer protocol's timers are the coordinator's: short ones, so a killed member is noticed in seconds.
      brokerConfig: {
        'group.consumer.min.session.timeout.ms': '6000',
        'group.consumer.session.timeout.ms': '6000',
        'group.consumer.min.heartbeat.interval.ms': '500',
        'group.consumer.heartbeat.interval.ms': '1000',
      },
    });
    const clients = sim;
    await clients.cluster.startAll();
    await clients.createTopic('orders', PARTITIONS);
    const ownership = new Ownership();
    const everyone: Consumer[] = [];
    const join = (member: string): Consumer => {
      const consumer = clients.consumer('churn', member, { 'enable.auto.commit': true, 'auto.commit.interval.ms': 500, ...settings });
      ownership.watch(consumer);
      consumer.subscribe(['orders']);
      everyone.push(consumer);
      return consumer;
    };

    const acknowledged: RecordId[] = [];
    let producing = true;
    // About one record every 20 simulated ms, spread over the partitions: each send waits out linger.ms before it goes.
    const producer = clients.producer({ 'linger.ms': 20 });
    const production = (async () => {
      for (let n = 0; producing; n += 1) {
        const record = { topic: 'orders', partition: n % PARTITIONS, value: `v${n}` };
        await producer.send(record);
        acknowledged.push(record);
      }
    })();

    const live = [join('a'), join('b'), join('c')];
    await clients.pollUntil(live, () => balanced(ownership, live), `${name}: three members balanced`, 120_000);
    live.push(join('d'));
    await clients.pollUntil(live, () => balanced(ownership, live), `${name}: four members balanced after d joined`, 120_000);
    const killed = live.shift() as Consumer;
    clients.kill(killed);
    // A dead process holds nothing: what it held is free once the coordinator gives it to someone else.
    ownership.held.delete(killed);
    await clients.pollUntil(live, () => balanced(ownership, live), `${name}: three members balanced after a was killed`, 120_000);
    live.push(join('e'));
    await clients.pollUntil(live, () => balanced(ownership, live), `${name}: four members balanced after e joined`, 120_000);

    producing = false;
    await clients.settle(production);
    const consumed = () => everyone.flatMap((consumer) => clients.records(consumer).map(recordIdOf));
    await clients.pollUntil(live, () => findLostRecords(acknowledged, consumed()).length === 0, `${name}: every acknowledged record read`, 120_000);

    const duplicates = findDuplicatedRecords(consumed());
    console.log(`[churn seed ${SEED}] ${name}: ${acknowledged.length} records acknowledged, none lost, ${duplicates.length} read twice (after the kill)`);
    expect(acknowledged.length).toBeGreaterThan(100);
    expect(findLostRecords(acknowledged, consumed())).toEqual([]);
    expect(ownership.doubleOwned).toEqual([]);
    expect(ownership.lost).toEqual([]);
  });
});
