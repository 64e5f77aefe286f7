/**
 * `pnpm bench`: kactor's throughput through a real 3-broker cluster on loopback, against the raw `ws`
 * loopback throughput measured in the same run with the same batching. Prints a table and the ratios.
 * Not part of the tests: figures depend on the machine.
 */
import { cpus } from 'node:os';
import { measureCluster } from './cluster-throughput.js';
import { measureRawWs, type ThroughputResult } from './ws-baseline.js';

const records = Number(process.env.BENCH_RECORDS ?? 200_000);
const recordBytes = 1024;
const batchBytes = 128 * 1024;
const recordsPerFrame = Math.floor(batchBytes / recordBytes);
const producerConfig = { 'batch.size': batchBytes, 'linger.ms': 5, acks: '1', 'max.request.size': 4 * 1024 * 1024, 'buffer.memory': 64 * 1024 * 1024 };

const format = (result: ThroughputResult) =>
  `${Math.round(result.recordsPerSecond).toLocaleString('en-US').padStart(10)} records/s  ${result.megabytesPerSecond.toFixed(1).padStart(7)} MB/s  (${result.seconds.toFixed(2)} s)`;

console.log(`kactor benchmark: ${records.toLocaleString('en-US')} records of ${recordBytes} B; node ${process.version}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})`);
console.log(`producer: ${JSON.stringify(producerConfig)}; 6 partitions over 3 brokers; baseline frames of ${recordsPerFrame} records`);

// The baseline varies from run to run on a shared machine: take the median of three.
const baselines: ThroughputResult[] = [];
for (let run = 0; run < 3; run += 1) baselines.push(await measureRawWs({ records: records * 2, recordBytes, recordsPerFrame }));
const baseline = [...baselines].sort((a, b) => a.recordsPerSecond - b.recordsPerSecond)[1] as ThroughputResult;
const cluster = await measureCluster({ records, recordBytes, partitions: 6, basePort: Number(process.env.BENCH_BASE_PORT ?? 19_100), producerConfig });

console.log('');
console.log(`raw ws loopback, one way (baseline)   ${format(baseline)}   median of ${baselines.map((result) => Math.round(result.recordsPerSecond / 1000)).join('k, ')}k`);
console.log(`kactor produce (acks=1)               ${format(cluster.produce)}   ratio ${(cluster.produce.recordsPerSecond / baseline.recordsPerSecond).toFixed(2)}`);
console.log(`kactor produce-to-consume             ${format(cluster.produceToConsume)}   ratio ${(cluster.produceToConsume.recordsPerSecond / baseline.recordsPerSecond).toFixed(2)}`);
