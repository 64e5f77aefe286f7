/**
 * Exactly-once's cost (issue 13, KIP-98): produce throughput on one real 3-broker cluster (`kactor cluster up`, one
 * process per broker), every case into its own topic at replication factor 3 with min.insync.replicas=2, the same
 * records with the same producer settings: plain acks=all (enable.idempotence=false, the baseline), the idempotent
 * producer (Kafka's default), and the transactional producer committing every 100 and every 10,000 records. A
 * transaction costs AddPartitionsToTxn before a partition's first batch, EndTxn, and the coordinator's markers (a
 * control batch per partition, replicated before the next transaction may add the partition again).
 */
import { Admin, Producer, systemClientRuntime } from '@kactor/client';
import type { BenchCluster } from './cluster-process.js';
import { produceAll } from './cluster-throughput.js';
import { awaitFullyReplicated } from './replication-throughput.js';
import { throughput, type ThroughputResult } from './ws-baseline.js';

export interface TransactionsThroughputOptions {
  records: number;
  recordBytes: number;
  partitions: number;
  /** The producer's settings; each case sets acks, enable.idempotence and transactional.id. */
  producerConfig: Record<string, string | number>;
}

export interface TransactionsThroughputCase {
  label: string;
  /** Records per transaction; undefined: not transactional. */
  transactionSize?: number;
  result: ThroughputResult;
  transactions: number;
}

const cases: Array<{ name: string; label: string; config: Record<string, string>; transactionSize?: number }> = [
  { name: 'acks-all', label: 'acks=all, enable.idempotence=false', config: { acks: 'all', 'enable.idempotence': 'false' } },
  { name: 'idempotent', label: 'idempotent (the default)', config: { acks: 'all' } },
  { name: 'txn-100', label: 'transactional, 100 records/txn', config: { acks: 'all', 'transactional.id': 'bench-txn-100' }, transactionSize: 100 },
  { name: 'txn-10000', label: 'transactional, 10,000 records/txn', config: { acks: 'all', 'transactional.id': 'bench-txn-10000' }, transactionSize: 10_000 },
];

/** Sends `records` records in transactions of `transactionSize`, each sent without waiting, then committed. */
async function produceInTransactions(producer: Producer, topic: string, records: number, transactionSize: number, value: Uint8Array): Promise<number> {
  let transactions = 0;
  for (let sent = 0; sent < records; sent += transactionSize) {
    producer.beginTransaction();
    await produceAll(producer, topic, Math.min(transactionSize, records - sent), value);
    await producer.commitTransaction();
    transactions += 1;
  }
  return transactions;
}

export async function measureTransactionsThroughput(cluster: BenchCluster, options: TransactionsThroughputOptions): Promise<TransactionsThroughputCase[]> {
  const runtime = systemClientRuntime();
  const admin = Admin.create({ 'bootstrap.servers': cluster.bootstrap }, runtime);
  const value = new Uint8Array(options.recordBytes).fill(97);
  const results: TransactionsThroughputCase[] = [];
  try {
    for (const entry of cases) {
      const topic = `bench-${entry.name}`;
      const [created] = await admin.createTopics([{ name: topic, numPartitions: options.partitions, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]);
      if (created?.error) throw created.error;
      await awaitFullyReplicated(admin, topic, 3, 30_000);
      const producer = Producer.create({ 'bootstrap.servers': cluster.bootstrap, ...options.producerConfig, ...entry.config }, runtime);
      try {
        const { transactionSize } = entry;
        // The warm-up also finds the transaction coordinator (creating __transaction_state) and gets the producer id.
        if (transactionSize === undefined) {
          await produceAll(producer, topic, 1_000, value);
        } else {
          await producer.initTransactions();
          await produceInTransactions(producer, topic, 1_000, 1_000, value);
        }
        const started = performance.now();
        const transactions = transactionSize === undefined ? 0 : await produceInTransactions(producer, topic, options.records, transactionSize, value);
        if (transactionSize === undefined) await produceAll(producer, topic, options.records, value);
        const result = throughput(options.records, options.records * options.recordBytes, (performance.now() - started) / 1000);
        results.push({ label: entry.label, ...(transactionSize === undefined ? {} : { transactionSize }), result, transactions });
      } finally {
        await producer.close();
      }
    }
    return results;
  } finally {
    admin.close();
  }
}
