/**
 * The copier of examples/transactional-copier.ts (issue 13) as a process for e2e tests, with settings that let a
 * test bounce it quickly (a killed member leaves the group after session.timeout.ms 6 s instead of Kafka's 45 s), and
 * transactions of at most 750 records as in Kafka's transactions_test.py. It prints one JSON line per committed or aborted transaction, so a
 * test can follow the progress (and one when a transaction's first record is written, before its commit); a fatal error (PRODUCER_FENCED) prints one line and exits 1.
 * Usage: node --import tsx transactional-copier.ts <bootstrap> <input> <output> <transactional id> <group id>
 */
import { Consumer, Producer, type ConsumerRecord, type TopicPartitionOffset } from '@kactor/client';

const [bootstrap, input, output, transactionalId, groupId] = process.argv.slice(2);
if (bootstrap === undefined || input === undefined || output === undefined || transactionalId === undefined || groupId === undefined) {
  console.error('usage: transactional-copier.ts <bootstrap> <input> <output> <transactional id> <group id>');
  process.exit(2);
}

function nextOffsets(records: readonly ConsumerRecord[]): TopicPartitionOffset[] {
  const next = new Map<string, TopicPartitionOffset>();
  for (const { topic, partition, offset } of records) next.set(`${topic}-${partition}`, { topic, partition, offset: offset + 1 });
  return [...next.values()];
}

/** Seeks every assigned partition to the group's committed offset; a copier that cannot learn them stops (exit 1). */
async function rewindToCommitted(): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      for (const { topic, partition, offset } of await consumer.committed(consumer.assignment())) {
        if (offset === null) consumer.seekToBeginning([{ topic, partition }]);
        else consumer.seek({ topic, partition }, offset);
      }
      return;
    } catch (error) {
      if (attempt === 5) {
        print({ type: 'fatal', error: `committed offsets unknown: ${String(error)}` });
        process.exit(1);
      }
    }
  }
}

const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const producer = Producer.create({ 'bootstrap.servers': bootstrap, 'transactional.id': transactionalId, 'linger.ms': 5, 'request.timeout.ms': 10_000 });
await producer.initTransactions();
const consumer = Consumer.create({
  'bootstrap.servers': bootstrap,
  'group.id': groupId,
  'isolation.level': 'read_committed',
  'enable.auto.commit': false,
  'auto.offset.reset': 'earliest',
  'session.timeout.ms': 6_000,
  'heartbeat.interval.ms': 1_000,
  'max.poll.records': 750, // transactions of at most 750 records, as Kafka's transactions_test.py
});
consumer.subscribe([input]);
let running = true;
process.once('SIGINT', () => (running = false));
print({ type: 'started', transactionalId });
while (running) {
  const records = await consumer.poll(500);
  if (records.length === 0) continue;
  producer.beginTransaction();
  try {
    const sends = records.map((record) => producer.send({ topic: output, key: record.key, value: record.value }));
    // Once the first record is in the log (uncommitted), a test may kill the copier: the transaction may be left open.
    sends[0]!.then(() => print({ type: 'written', records: records.length }), () => {});
    for (const send of sends) send.catch(() => {}); // commitTransaction() reports a failed send
    await producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
    await producer.commitTransaction();
    print({ type: 'committed', records: records.length });
  } catch (error) {
    try {
      await producer.abortTransaction();
    } catch (fatal) {
      print({ type: 'fatal', error: String(fatal) });
      process.exit(1);
    }
    // The positions are past the aborted records: back to the committed offsets, or they would be skipped (lost).
    await rewindToCommitted();
    print({ type: 'aborted', records: records.length, error: String(error) });
  }
}
await consumer.close();
await producer.close();
print({ type: 'stopped' });
