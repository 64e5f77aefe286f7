import { Consumer, type ConsumerRecord } from '@kactor/client';

// What the application does with a record (here it prints it).
async function notify(record: ConsumerRecord): Promise<void> {
  console.log(`notified ${record.topic}-${record.partition}@${record.offset}: ${new TextDecoder().decode(record.value ?? new Uint8Array())}`);
}

// At-most-once: commit, then process. A crash after the commit skips the records, never repeats them.
const consumer = Consumer.create({
  'bootstrap.servers': process.env.KACTOR_BOOTSTRAP ?? '127.0.0.1:9100',
  'group.id': 'alerts',
  'enable.auto.commit': false,
  'auto.offset.reset': 'earliest',
});
consumer.subscribe(['orders']);
let running = true;
process.once('SIGINT', () => (running = false));
while (running) {
  const records = await consumer.poll(1_000);
  if (records.length === 0) continue;
  await consumer.commitSync(); // commits the positions after these records
  for (const record of records) await notify(record);
}
await consumer.close();
