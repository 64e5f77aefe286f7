/**
 * Throughput through a real 3-broker kactor cluster on loopback (`kactor cluster up`, one process per broker):
 * produce alone, then produce and consume at once, with 1 KB records.
 */
import { Admin, Consumer, Producer, systemClientRuntime } from '@kactor/client';
import { startBenchCluster } from './cluster-process.js';
import { throughput, type ThroughputResult } from './ws-baseline.js';

export interface ClusterBenchOptions {
  records: number;
  recordBytes: number;
  partitions: number;
  basePort: number;
  producerConfig: Record<string, string | number>;
}

export interface ClusterBenchResult {
  produce: ThroughputResult;
  produceToConsume: ThroughputResult;
}

/**
 * Sends `records` records with at most `window` unacknowledged, yielding to the event loop every few hundred
 * sends as an application doing other work would: a synchronous burst of sends would starve the socket and
 * the producer's linger timer, and measure the burst instead of the pipeline.
 */
export async function produceAll(producer: Producer, topic: string, records: number, value: Uint8Array, window = 20_000): Promise<void> {
  let failed = 0;
  let outstanding = 0;
  let wake: (() => void) | undefined;
  const settle = () => {
    outstanding -= 1;
    if (outstanding <= window / 2) wake?.();
  };
  for (let index = 0; index < records; index += 1) {
    outstanding += 1;
    producer.send({ topic, value }).then(settle, () => {
      failed += 1;
      settle();
    });
    if (outstanding >= window) await new Promise<void>((resolve) => (wake = resolve));
    else if (index % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
  }
  while (outstanding > 0) await new Promise<void>((resolve) => (wake = resolve));
  if (failed > 0) throw new Error(`${failed} records failed`);
}

export async function measureCluster(options: ClusterBenchOptions): Promise<ClusterBenchResult> {
  const cluster = await startBenchCluster(options.basePort);
  const runtime = systemClientRuntime();
  const config = { 'bootstrap.servers': cluster.bootstrap };
  const admin = Admin.create(config, runtime);
  try {
    for (const topic of ['bench-produce', 'bench-end-to-end']) {
      const [result] = await admin.createTopics([{ name: topic, numPartitions: options.partitions }]);
      if (result?.error) throw result.error;
    }
    const value = new Uint8Array(options.recordBytes).fill(97);
    const bytes = options.records * options.recordBytes;

    const producer = Producer.create({ ...config, ...options.producerConfig }, runtime);
    await produceAll(producer, 'bench-produce', 1_000, value);
    const produceStarted = performance.now();
    await produceAll(producer, 'bench-produce', options.records, value);
    const produce = throughput(options.records, bytes, (performance.now() - produceStarted) / 1000);

    const consumer = Consumer.create({ ...config, 'auto.offset.reset': 'earliest', 'fetch.min.bytes': 1 }, runtime);
    consumer.assign(Array.from({ length: options.partitions }, (_, partition) => ({ topic: 'bench-end-to-end', partition })));
    await consumer.poll(100);
    let consumed = 0;
    const endToEndStarted = performance.now();
    const consuming = (async () => {
      while (consumed < options.records) consumed += (await consumer.poll(1_000)).length;
    })();
    await produceAll(producer, 'bench-end-to-end', options.records, value);
    await consuming;
    const produceToConsume = throughput(options.records, bytes, (performance.now() - endToEndStarted) / 1000);
    await producer.close();
    await consumer.close();
    return { produce, produceToConsume };
  } finally {
    admin.close();
    await cluster.stop();
  }
}
