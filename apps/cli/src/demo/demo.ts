/**
 * The live demo of `cluster up --demo` (what `pnpm start` runs): a producer writes keyed orders to a
 * 6-partition topic at a steady rate, a consumer group of three members shares the partitions, and a status
 * line shows both sides, the lag, each member's group state and partitions, and which broker leads what.
 * Consumers started in other terminals with the same group join it and trigger a rebalance the status line
 * shows. Stops with the cluster on Ctrl-C (the members leave the group and commit as they go).
 */
import { Admin, Consumer, Producer, systemClientRuntime } from '@kactor/client';
import { systemClock, type Logger } from '@kactor/runtime';
import { startCliInspection, systemWiring } from '../support/inspection.js';
import { actorLogger } from '../support/logging.js';
import { every } from '../support/ticker.js';
import { demoStatusLine, type DemoCounters, type DemoMember } from './status-line.js';

export const demoTopic = 'demo';
export const demoGroup = 'demo-readers';
const members = 3;
const partitions = 6;
/** Records per second: enough to watch the numbers move, little enough to leave the machine idle. */
const recordsPerSecond = 200;
const customers = 20;
/** The demo owns the terminal's status line: inspection says nothing of its own. */
const quietWiring = { ...systemWiring, print: () => undefined };

/**
 * With `inspectUrl` (cluster up --inspect, the Quick start's dashboard) the demo's consumers stream their
 * statecharts there too, so the dashboard draws them beside the brokers' actors.
 */
export async function runDemo(bootstrap: string[], logger: Logger, inspectUrl?: string, secret?: string): Promise<() => Promise<void>> {
  const inspection = startCliInspection(inspectUrl, quietWiring, secret);
  // The demo's clients log as actors do (warnings unless --log-level says more), not one line per member and step.
  const runtime = systemClientRuntime({ logger: actorLogger({ node: 'demo' }), secret, inspect: inspection.inspect, renameInspectedActor: inspection.rename });
  const config = { 'bootstrap.servers': bootstrap.join(',') };
  const admin = Admin.create(config, runtime);
  // Replicated like a production topic when the cluster has the brokers for it (Kafka's usual RF 3 / min ISR 2), so
  // the dashboard shows followers, the ISR and, when a broker is killed, the leaders moving.
  const replicationFactor = Math.min(3, bootstrap.length);
  const [created] = await admin.createTopics([
    { name: demoTopic, numPartitions: partitions, replicationFactor, configs: { 'min.insync.replicas': String(Math.min(2, replicationFactor)) } },
  ]);
  if (created?.error !== null && created?.error.errorName !== 'TOPIC_ALREADY_EXISTS') throw created?.error;
  const producer = Producer.create({ ...config, 'client.id': 'demo-producer', 'linger.ms': 5 }, runtime);
  const counters: DemoCounters = { produced: 0, failed: 0, members: [], startedAtMs: systemClock.now() };
  const consumers = Array.from({ length: members }, (_, index) => {
    const member: DemoMember = { name: `c${index + 1}`, state: 'unjoined', generation: -1, partitions: [], consumed: 0 };
    counters.members.push(member);
    const consumer = Consumer.create({ ...config, 'group.id': demoGroup, 'client.id': `demo-${member.name}`, 'auto.offset.reset': 'earliest' }, runtime);
    consumer.on('event', (event) => {
      if (event.type === 'rebalance') return;
      member.generation = event.generation;
      if (event.type === 'state') member.state = event.to;
      else if (event.type === 'assigned') member.partitions = event.partitions.map((tp) => tp.partition).sort((a, b) => a - b);
      else member.partitions = [];
    });
    consumer.subscribe([demoTopic]);
    return { consumer, member };
  });

  let sequence = 0;
  let running = true;
  const stopProducing = every(1000 / (recordsPerSecond / 10), () => {
    for (let index = 0; index < 10; index += 1) {
      sequence += 1;
      const customer = `customer-${sequence % customers}`;
      producer.send({ topic: demoTopic, key: customer, value: JSON.stringify({ order: sequence, customer, total: (sequence * 7) % 100 }) }).then(
        () => (counters.produced += 1),
        () => (counters.failed += 1),
      );
    }
  });
  const consuming = consumers.map(async ({ consumer, member }) => {
    while (running) {
      try {
        member.consumed += (await consumer.poll(500)).length;
      } catch (error) {
        if (running) logger.warn({ err: error, member: member.name }, 'demo consumer');
      }
    }
  });
  const interactive = process.stdout.isTTY === true;
  const leaders = new Map<number, number>();
  const stopStatus = every(interactive ? 1_000 : 5_000, () => {
    void admin.describeTopics([demoTopic]).then(([description]) => {
      for (const partition of description?.partitions ?? []) leaders.set(partition.partition, partition.leader);
    }, () => undefined);
    const line = demoStatusLine(counters, leaders, systemClock.now());
    process.stdout.write(interactive ? `\r${line}\u001b[K` : `${line}\n`);
  });
  process.stdout.write(
    `demo: producing ~${recordsPerSecond} keyed records/s to "${demoTopic}" (${partitions} partitions), read by the ${members} members of group "${demoGroup}".\n` +
      `      In another terminal: KACTOR_BOOTSTRAP=${bootstrap.join(',')} pnpm kactor groups describe ${demoGroup}\n` +
      `      or join the group:   KACTOR_BOOTSTRAP=${bootstrap.join(',')} pnpm kactor consume ${demoTopic} --group ${demoGroup} --events\n`,
  );
  return async () => {
    running = false;
    stopProducing();
    stopStatus();
    if (interactive) process.stdout.write('\n');
    await producer.close({ timeoutMs: 2_000 }).catch(() => undefined);
    await Promise.all(consuming);
    await Promise.all(consumers.map(({ consumer }) => consumer.close().catch(() => undefined)));
    admin.close();
    await inspection.close();
  };
}
