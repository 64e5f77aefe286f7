/**
 * The live demo of `cluster up --demo` (what `pnpm start` runs): a producer writes keyed "orders" to a
 * 6-partition topic at a steady rate, a consumer reads every partition, and a status line shows both sides,
 * the lag, and which broker leads what. Stops with the cluster on Ctrl-C.
 */
import { Admin, Consumer, Producer, systemClientRuntime } from '@kactor/client';
import { systemClock, type Logger } from '@kactor/runtime';
import { every } from '../support/ticker.js';
import { demoStatusLine, type DemoCounters } from './status-line.js';

export const demoTopic = 'demo';
const partitions = 6;
/** Records per second: enough to watch the numbers move, little enough to leave the machine idle. */
const recordsPerSecond = 200;
const customers = 20;

export async function runDemo(bootstrap: string[], logger: Logger): Promise<() => Promise<void>> {
  const runtime = systemClientRuntime({ logger });
  const config = { 'bootstrap.servers': bootstrap.join(',') };
  const admin = Admin.create(config, runtime);
  const [created] = await admin.createTopics([{ name: demoTopic, numPartitions: partitions }]);
  if (created?.error !== null && created?.error.errorName !== 'TOPIC_ALREADY_EXISTS') throw created?.error;
  const producer = Producer.create({ ...config, 'linger.ms': 5 }, runtime);
  const consumer = Consumer.create({ ...config, 'auto.offset.reset': 'latest' }, runtime);
  consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic: demoTopic, partition })));

  const counters: DemoCounters = { produced: 0, failed: 0, consumed: 0, consumedByPartition: new Map(), startedAtMs: systemClock.now() };
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
  const consuming = (async () => {
    while (running) {
      try {
        for (const record of await consumer.poll(500)) {
          counters.consumed += 1;
          counters.consumedByPartition.set(record.partition, (counters.consumedByPartition.get(record.partition) ?? 0) + 1);
        }
      } catch (error) {
        if (running) logger.warn({ err: error }, 'demo consumer');
      }
    }
  })();
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
    `demo: producing ~${recordsPerSecond} keyed records/s to "${demoTopic}" (${partitions} partitions) and consuming them.\n` +
      `      In another terminal: KACTOR_BOOTSTRAP=${bootstrap.join(',')} pnpm kactor consume ${demoTopic} --json\n`,
  );
  return async () => {
    running = false;
    stopProducing();
    stopStatus();
    if (interactive) process.stdout.write('\n');
    await producer.close({ timeoutMs: 2_000 }).catch(() => undefined);
    await consuming;
    await consumer.close().catch(() => undefined);
    admin.close();
  };
}
