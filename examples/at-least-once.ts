import { Consumer, type ConsumerRecord } from '@kactor/client';

// What the application does with a record (here it prints it).
async function charge(record: ConsumerRecord): Promise<void> {
  console.log(`charged ${record.topic}-${record.partition}@${record.offset}: ${new TextDecoder().decode(record.value ?? new Uint8Array())}`);
}

// At-least-once: process, then commit. A crash in between means the records are read again, never lost.
const consumer = Consumer.create({
  'bootstrap.servers': process.env.KACTOR_BOOTSTRAP ?? '127.0.0.1:9100',
  'group.id': 'billing',
  'enable.auto.commit': false,
  'auto.offset.reset': 'earliest',
});
// Partitions given up (in a rebalance, or by close()) get what was processed of them committed first.
consumer.subscribe(['orders'], { onPartitionsRevoked: () => consumer.commitSync() });
let running = true;
process.once('SIGINT', () => (running = false));
while (running) {
  const records = await consumer.poll(1_000);
  for (const record of records) await charge(record);
  if (records.length > 0) await consumer.commitSync(); // throws CommitFailedError if the group moved on without it
}
await consumer.close(); // revokes the partitions (onPartitionsRevoked commits) and leaves the group
