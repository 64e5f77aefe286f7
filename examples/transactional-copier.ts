import { Consumer, Producer, type ConsumerRecord, type TopicPartitionOffset } from '@kactor/client';

// Exactly-once copier (KIP-98, KIP-447): each record of the input is written once to the output, together with
// the offset that says it was copied, in one transaction. Arguments: input topic, output topic, transactional id.
const [input = 'orders', output = 'orders-copied', transactionalId = 'copier-1'] = process.argv.slice(2);
const bootstrap = process.env.KACTOR_BOOTSTRAP ?? '127.0.0.1:9100';

// What the application does with a record's value (here it upper-cases it).
function transform(value: Uint8Array | null): string {
  return new TextDecoder().decode(value ?? new Uint8Array()).toUpperCase();
}

// The next offset to read of each partition the records came from: what commitSync(offsets) would commit.
function nextOffsets(records: readonly ConsumerRecord[]): TopicPartitionOffset[] {
  const next = new Map<string, TopicPartitionOffset>();
  for (const { topic, partition, offset } of records) next.set(`${topic}-${partition}`, { topic, partition, offset: offset + 1 });
  return [...next.values()];
}

const producer = Producer.create({ 'bootstrap.servers': bootstrap, 'transactional.id': transactionalId });
await producer.initTransactions(); // fences an older copier with the same transactional id and ends its transaction
const consumer = Consumer.create({
  'bootstrap.servers': bootstrap,
  'group.id': 'copier',
  'isolation.level': 'read_committed', // reads only committed transactions of whoever wrote the input
  'enable.auto.commit': false, // the offsets are committed by the transaction
  'auto.offset.reset': 'earliest',
});
consumer.subscribe([input]);
let running = true;
process.once('SIGINT', () => (running = false));
while (running) {
  const records = await consumer.poll(1_000);
  if (records.length === 0) continue;
  producer.beginTransaction();
  try {
    for (const record of records) void producer.send({ topic: output, key: record.key, value: transform(record.value) }).catch(() => {}); // commitTransaction() reports a failed send
    await producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
    await producer.commitTransaction();
    console.log(`copied ${records.length} records from ${input} to ${output}`);
  } catch (error) {
    // A fenced producer (PRODUCER_FENCED: a newer copier-1 runs) cannot abort: abortTransaction() throws and we stop.
    await producer.abortTransaction();
    // Nothing of the transaction was written or committed: read its records again from the group's committed offsets.
    for (const { topic, partition, offset } of await consumer.committed(consumer.assignment())) {
      if (offset === null) consumer.seekToBeginning([{ topic, partition }]);
      else consumer.seek({ topic, partition }, offset);
    }
    console.error(`aborted a transaction of ${records.length} records: ${String(error)}`);
  }
}
await consumer.close();
await producer.close();
