/**
 * `pnpm bench`: kactor against baselines measured in the same run, on loopback, printed as tables with
 * ratios. BENCH_ONLY=throughput|groups|assignors|rebalance runs one part. Not part of the tests: figures depend on the machine.
 * - throughput: produce and produce-to-consume through a real 3-broker cluster against raw `ws` one-way
 *   throughput with the same batching;
 * - groups: consumer-group formation (1, 10, 100 members) against the bare protocol, and the coordinator's
 *   heartbeat rate against raw `ws` round trips.
 * - assignors: sticky and cooperative-sticky on Kafka's 1,000,000-partition, 2,000-consumer bar, assigned
 *   twice, against Kafka's Java figure and the roundrobin assignor on the same input; then KIP-848's server-side
 *   assignors (uniform, range) in the shape of Kafka's JMH ServerSideAssignorBenchmark, 100 to 10,000 members x 10
 *   partitions x 100 topics, full and incremental, against Kafka's published ms/op (bench/server-assignor-scale.ts).
 * - rebalance: eager/range against cooperative/cooperative-sticky, 10 consumers on 100 partitions, one
 *   member joining then one leaving; eager is the baseline the cooperative figures are compared with.
 * - inspection: live inspection's cost (bench/inspection-cost.ts): actor events/s and coordinator heartbeats
 *   with inspection off (the baseline) and on.
 * - replication: on one 3-broker cluster, produce at replication factor 1 (acks=1) and 3 (acks=1, and acks=all
 *   with min.insync.replicas=2) against raw `ws` one-way throughput, then failover time (leader stopped
 *   cleanly or killed -> first acknowledged produce on the new leader), BENCH_FAILOVER_RUNS times each (3).
 * - election (issue 12): the KRaft quorum's leader killed -> a new leader -> the first createTopics answered, median
 *   and worst of 20 seeds on SimulatedCluster (simulated ms; Kafka's quorum timers and tightened ones) against the
 *   single controller killed and restarted at once (bench/election-simulation.ts); then the same with three real
 *   `kactor broker` processes, kill -9 of the leader found by DescribeQuorum, BENCH_ELECTION_RUNS times per mode (20;
 *   about 13 minutes; 0 skips them) (bench/election-processes.ts).
 * - metadata (issue 12): topic creations per second (BENCH_METADATA_TOPICS, 200, of 1 partition, RF 3), one request at
 *   a time and from 20 callers, through the Admin and answered at commit, on a 3-voter KRaft quorum against the
 *   single controller, real processes (bench/metadata-throughput.ts; about 9 minutes).
 * - transactions (issue 13): on one 3-broker cluster, RF 3 topics with min.insync.replicas=2, produce with acks=all and
 *   enable.idempotence=false (the baseline), idempotent (the default), and transactional with 100 and 10,000 records per
 *   transaction; BENCH_TXN_RECORDS records (100,000) of the same size as the other parts (bench/transactions-throughput.ts).
 * - scale-out (issue 14): KIP-848's published scenario, 10 consumers on a topic grown from 100 to 1,000 partitions, real
 *   processes: classic eager and cooperative (the baselines) against the consumer protocol, time until every member holds
 *   its share (bench/kip-848-scale-out.ts; the classic rows wait for metadata.max.age.ms, so about 11 minutes).
 * - experiment-speed (issue 15): simulated time over wall time of a whole-cluster experiment on SimulatedCluster, 3 brokers,
 *   30 partitions, 10 real consumers polling in application loops, idle and with 1,000 records/s, classic and consumer
 *   protocol; the clock driven one instant at a time against one timer at a time, as before issue 15 (the baseline)
 *   (bench/experiment-speed.ts; BENCH_SPEED_IDLE_MS and BENCH_SPEED_FLOWING_MS, simulated, 600,000 and 60,000 by default).
 */
import { cpus } from 'node:os';
import { KAFKA_JAVA_UNIFORM_PAIR_MS, measureAssignorScale } from './assignor-scale.js';
import { KAFKA_JMH_UNIFORM_10K_MS, measureServerAssignorScale } from './server-assignor-scale.js';
import { measureCluster } from './cluster-throughput.js';
import { measureGroups } from './groups.js';
import { measureInspectionCost } from './inspection-cost.js';
import { findConfigDef } from '@kactor/protocol';
import { startBenchCluster } from './cluster-process.js';
import { measureFailover, type FailoverRun } from './failover.js';
import { measureRebalanceComparison } from './rebalance-comparison.js';
import { measureKip848ScaleOut } from './kip-848-scale-out.js';
import { measureReplicationThroughput } from './replication-throughput.js';
import { measureElectionSimulation, type ElectionRun } from './election-simulation.js';
import { electionHeader, electionRow } from './quorum-report.js';
import { measureProcessElections } from './election-processes.js';
import { measureMetadataThroughput } from './metadata-throughput.js';
import { measureTransactionsThroughput } from './transactions-throughput.js';
import { measureRawWs, type ThroughputResult } from './ws-baseline.js';
import { speedUpInWords } from '@kactor/simulation';
import { measureExperimentSpeed, type ClockDriver } from './experiment-speed.js';

const parts = ['throughput', 'groups', 'assignors', 'rebalance', 'inspection', 'replication', 'election', 'metadata', 'transactions', 'scale-out', 'experiment-speed'] as const;
/** `pnpm bench election` or BENCH_ONLY=election: one part. */
const only = process.argv[2] ?? process.env.BENCH_ONLY;
if (only !== undefined && only !== '' && !(parts as readonly string[]).includes(only)) {
  console.error(`the part to run (pnpm bench <part> or BENCH_ONLY) must be one of ${parts.join(', ')}`);
  process.exit(2);
}
const selected = (part: (typeof parts)[number]) => only === undefined || only === '' || only === part;
const basePort = Number(process.env.BENCH_BASE_PORT ?? 19_100);

console.log(`kactor benchmark; node ${process.version}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})`);

// The throughput and replication parts send the same records with the same producer, so their figures compare.
const records = Number(process.env.BENCH_RECORDS ?? 200_000);
const recordBytes = 1024;
const batchBytes = 128 * 1024;
const recordsPerFrame = Math.floor(batchBytes / recordBytes);
const producerConfig = { 'batch.size': batchBytes, 'linger.ms': 5, acks: '1', 'max.request.size': 4 * 1024 * 1024, 'buffer.memory': 64 * 1024 * 1024 };
const format = (result: ThroughputResult) =>
  `${Math.round(result.recordsPerSecond).toLocaleString('en-US').padStart(10)} records/s  ${result.megabytesPerSecond.toFixed(1).padStart(7)} MB/s  (${result.seconds.toFixed(2)} s)`;
/** The raw ws baseline varies from run to run on a shared machine: the median of three. */
async function medianRawWs(): Promise<{ baseline: ThroughputResult; runs: ThroughputResult[] }> {
  const runs: ThroughputResult[] = [];
  for (let run = 0; run < 3; run += 1) runs.push(await measureRawWs({ records: records * 2, recordBytes, recordsPerFrame }));
  return { baseline: [...runs].sort((a, b) => a.recordsPerSecond - b.recordsPerSecond)[1] as ThroughputResult, runs };
}
const describeRuns = (runs: ThroughputResult[]) => `median of ${runs.map((result) => Math.round(result.recordsPerSecond / 1000)).join('k, ')}k`;

if (selected('throughput')) {
  console.log('');
  console.log(`throughput: ${records.toLocaleString('en-US')} records of ${recordBytes} B; producer ${JSON.stringify(producerConfig)}; 6 partitions over 3 brokers; baseline frames of ${recordsPerFrame} records`);
  const { baseline, runs } = await medianRawWs();
  const cluster = await measureCluster({ records, recordBytes, partitions: 6, basePort, producerConfig });
  console.log(`raw ws loopback, one way (baseline)   ${format(baseline)}   ${describeRuns(runs)}`);
  console.log(`kactor produce (acks=1)               ${format(cluster.produce)}   ratio ${(cluster.produce.recordsPerSecond / baseline.recordsPerSecond).toFixed(2)}`);
  console.log(`kactor produce-to-consume             ${format(cluster.produceToConsume)}   ratio ${(cluster.produceToConsume.recordsPerSecond / baseline.recordsPerSecond).toFixed(2)}`);
}

if (selected('groups')) {
  const groups = await measureGroups({ basePort: basePort + 100, sizes: [1, 10, 100], heartbeatMembers: 100, heartbeatInFlight: 50, heartbeatDurationMs: 3_000 });
  console.log('');
  console.log('consumer groups: 3 brokers, a 100-partition topic, group.initial.rebalance.delay.ms=0; median of 3 groups');
  console.log('members   subscribe -> all stable   bare JoinGroup/SyncGroup (baseline)   ratio   rebalances before stable');
  for (const row of groups.formation) {
    console.log(
      `${String(row.members).padStart(7)}   ${row.consumerMs.toFixed(0).padStart(17)} ms   ${row.rawProtocolMs.toFixed(0).padStart(33)} ms   ${(row.consumerMs / row.rawProtocolMs).toFixed(1).padStart(5)}   ${String(row.rebalances).padStart(24)}`,
    );
  }
  const { heartbeats } = groups;
  console.log(`raw ws round trips, ${heartbeats.inFlight} in flight (baseline)   ${Math.round(heartbeats.rawRoundTripsPerSecond).toLocaleString('en-US').padStart(8)} /s`);
  console.log(
    `coordinator heartbeats, ${heartbeats.members} members       ${Math.round(heartbeats.heartbeatsPerSecond).toLocaleString('en-US').padStart(8)} /s   ratio ${(heartbeats.heartbeatsPerSecond / heartbeats.rawRoundTripsPerSecond).toFixed(2)}`,
  );
}

if (selected('assignors')) {
  console.log('');
  console.log(`assignors: 500 topics x 2,000 partitions, 2,000 consumers, assigned twice (2nd with owned partitions); each case in its own process`);
  console.log(`Kafka Java reference: ${KAFKA_JAVA_UNIFORM_PAIR_MS} ms for the uniform pair (KAFKA-12464); baseline: roundrobin on the same input, same process`);
  console.log('assignor             case           1st ms (cpu)    2nd ms (cpu)   pair ms  vs Kafka  roundrobin ms  pair/rr  peak RSS MB  heap MB  moved');
  for (const row of measureAssignorScale()) {
    const pair = row.firstMs + row.secondMs;
    console.log(
      `${row.assignor.padEnd(20)} ${row.scenario.padEnd(11)} ${row.firstMs.toFixed(0).padStart(7)} (${row.firstCpuMs.toFixed(0).padStart(5)}) ${row.secondMs.toFixed(0).padStart(7)} (${row.secondCpuMs.toFixed(0).padStart(5)}) ${pair.toFixed(0).padStart(9)} ${(pair / KAFKA_JAVA_UNIFORM_PAIR_MS).toFixed(2).padStart(9)} ${row.baselineMs.toFixed(0).padStart(14)} ${(pair / row.baselineMs).toFixed(2).padStart(8)} ${row.peakRssMegabytes.toFixed(0).padStart(12)} ${row.heapAfterMegabytes.toFixed(0).padStart(8)} ${String(row.moved).padStart(6)}`,
    );
  }
  console.log('');
  console.log('server-side assignors (KIP-848): Kafka JMH ServerSideAssignorBenchmark shape, 10 partitions per member, 100 topics; mean of 5 ops after 5 warm-up');
  console.log(`Kafka JMH reference, uniform homogeneous 10,000 members: FULL ${KAFKA_JMH_UNIFORM_10K_MS.FULL} ms/op, INCREMENTAL ${KAFKA_JMH_UNIFORM_10K_MS.INCREMENTAL} ms/op`);
  console.log('assignor  subscription   type          members  partitions   mean ms    min ms  cpu ms/op  Kafka ms/op  moved');
  for (const row of measureServerAssignorScale()) {
    const kafka = row.assignor === 'uniform' && row.subscription === 'HOMOGENEOUS' && row.members === 10_000 ? KAFKA_JMH_UNIFORM_10K_MS[row.assignmentType] : '-';
    console.log(
      `${row.assignor.padEnd(9)} ${row.subscription.padEnd(14)} ${row.assignmentType.padEnd(12)} ${String(row.members).padStart(8)} ${String(row.partitions).padStart(11)} ${row.meanMs.toFixed(1).padStart(9)} ${row.minMs.toFixed(1).padStart(9)} ${row.meanCpuMs.toFixed(1).padStart(10)} ${kafka.padStart(12)} ${String(row.moved).padStart(6)}`,
    );
  }
}

if (selected('rebalance')) {
  const consumerConfig = { 'heartbeat.interval.ms': 500, 'session.timeout.ms': 10_000 };
  const rows = await measureRebalanceComparison({ basePort: basePort + 200, members: 10, partitions: 100, consumerConfig });
  console.log('');
  console.log(`rebalance: 10 consumers on 100 partitions, one joins, then one leaves; ${JSON.stringify(consumerConfig)}; total from the coordinator's record, pauses from the consumers' own`);
  console.log('protocol / assignor                 change   total ms   longest pause ms   average pause ms   longest pause, unmoved members   partitions moved');
  for (const row of rows) {
    console.log(
      `${row.protocol.padEnd(34)} ${row.scenario.padEnd(6)} ${row.totalMs.toFixed(0).padStart(10)} ${row.longestPauseMs.toFixed(0).padStart(18)} ${row.averagePauseMs.toFixed(1).padStart(18)} ${`${row.longestPauseOfUnmovedMs.toFixed(0)} (${row.unmovedMembers} members)`.padStart(32)} ${String(row.partitionsMoved).padStart(18)}`,
    );
  }
  for (const scenario of ['join', 'leave'] as const) {
    const eager = rows.find((row) => row.scenario === scenario && row.protocol.startsWith('eager'));
    const cooperative = rows.find((row) => row.scenario === scenario && row.protocol.startsWith('cooperative'));
    if (eager === undefined || cooperative === undefined) continue;
    const ratio = (value: number, baseline: number) => (baseline === 0 ? 'n/a' : (value / baseline).toFixed(2));
    console.log(`${scenario}: cooperative / eager — total time ${ratio(cooperative.totalMs, eager.totalMs)}, average pause ${ratio(cooperative.averagePauseMs, eager.averagePauseMs)}, partitions moved ${ratio(cooperative.partitionsMoved, eager.partitionsMoved)}`);
  }
}

if (selected('inspection')) {
  const cost = await measureInspectionCost({ basePort: basePort + 300, events: 100_000, rounds: 5, heartbeatDurationMs: 3_000 });
  const baseline = cost.actor[0]?.eventsPerSecond ?? Number.NaN;
  const rate = (value: number) => Math.round(value).toLocaleString('en-US').padStart(9);
  console.log('');
  console.log('inspection: one actor, 100,000 events (kept: assign + state change; filtered: assign only, as a poll), median of 5 alternating rounds; baseline: no inspect option');
  for (const row of cost.actor) console.log(`${row.variant.padEnd(26)} ${rate(row.eventsPerSecond)} events/s   ratio ${(row.eventsPerSecond / baseline).toFixed(2)}   runs ${row.runs.map((run) => `${Math.round(run / 1000)}k`).join(', ')}`);
  const { heartbeats } = cost;
  console.log(`coordinator heartbeats, 100 members, brokers without --inspect (baseline) ${rate(heartbeats.off)} /s   runs ${heartbeats.offRuns.map((run) => Math.round(run)).join(', ')}`);
  console.log(`coordinator heartbeats, 100 members, brokers with --inspect               ${rate(heartbeats.on)} /s   ratio ${(heartbeats.on / heartbeats.off).toFixed(2)}   runs ${heartbeats.onRuns.map((run) => Math.round(run)).join(', ')}`);
}

if (selected('replication')) {
  const failoverRuns = Number(process.env.BENCH_FAILOVER_RUNS ?? 3);
  /** The cluster and the producer run with Kafka's defaults: the figures the failover is bounded by. */
  const defaultOf = (scope: 'broker' | 'producer', name: string) => {
    const found = findConfigDef(scope, name)?.default;
    return found?.kind === 'value' ? Number(found.value) : Number.NaN;
  };
  const sessionTimeoutMs = defaultOf('broker', 'broker.session.timeout.ms');
  const heartbeatIntervalMs = defaultOf('broker', 'broker.heartbeat.interval.ms');
  const retryBackoffMs = defaultOf('producer', 'retry.backoff.ms');
  const retryBackoffMaxMs = defaultOf('producer', 'retry.backoff.max.ms');
  const replicaFetchWaitMaxMs = defaultOf('broker', 'replica.fetch.wait.max.ms');
  console.log('');
  console.log(`replication: ${records.toLocaleString('en-US')} records of ${recordBytes} B; producer ${JSON.stringify({ ...producerConfig, acks: undefined })}; 6 partitions over 3 brokers, one topic per row; RF 3 topics with min.insync.replicas=2; baseline frames of ${recordsPerFrame} records`);
  const { baseline, runs } = await medianRawWs();
  const cluster = await startBenchCluster(basePort + 400);
  try {
    const cases = await measureReplicationThroughput(cluster, { records, recordBytes, partitions: 6, producerConfig, latencyProbes: 200 });
    const rf1 = cases.find((entry) => entry.replicationFactor === 1)?.result;
    console.log(`raw ws loopback, one way (baseline)   ${format(baseline)}   ${describeRuns(runs)}`);
    for (const entry of cases) {
      const label = `kactor produce RF ${entry.replicationFactor}, acks=${entry.acks}`.padEnd(37);
      const versusRf1 = rf1 === undefined || entry.replicationFactor === 1 ? '' : `   vs RF 1 ${(entry.result.recordsPerSecond / rf1.recordsPerSecond).toFixed(2)}`;
      console.log(`${label} ${format(entry.result)}   ratio ${(entry.result.recordsPerSecond / baseline.recordsPerSecond).toFixed(2)}${versusRf1.padEnd(14)}   one record alone: ${entry.medianAckMs.toFixed(1)} ms (median of 200)`);
    }

    const failovers = await measureFailover(cluster, { repetitions: failoverRuns, controllerBrokerId: 0, sendIntervalMs: 2, runTimeoutMs: 60_000 });
    const victim = failovers[0]?.victim ?? -1;
    console.log('');
    console.log(
      `failover: one partition, RF 3, min.insync.replicas=2, led by broker ${victim} (the controller runs on broker 0, which is spared); a producer (acks=all, retries) sends a record every 2 ms; ` +
        `from the stop/kill request to the first acknowledgement by the new leader; ${failoverRuns} runs each`,
    );
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
    };
    const expected = {
      stop:
        `expected: near zero, as leadership moves before the broker stops: retry.backoff.ms ${retryBackoffMs} ms and a metadata refresh, ` +
        `plus up to replica.fetch.wait.max.ms ${replicaFetchWaitMaxMs} ms for the other follower's next fetch from the new leader`,
      kill:
        `expected: about ${(sessionTimeoutMs - heartbeatIntervalMs).toLocaleString('en-US')}-${(sessionTimeoutMs + 1.2 * retryBackoffMaxMs + replicaFetchWaitMaxMs).toLocaleString('en-US')} ms: ` +
        `fenced broker.session.timeout.ms ${sessionTimeoutMs} ms after its last heartbeat (one every ${heartbeatIntervalMs} ms), ` +
        `plus up to retry.backoff.max.ms ${retryBackoffMaxMs} ms (+20% jitter, KIP-580) and replica.fetch.wait.max.ms ${replicaFetchWaitMaxMs} ms`,
    };
    const labels = { stop: `controlled shutdown (cluster stop ${victim})`, kill: `kill -9 (cluster kill ${victim})` };
    for (const kind of ['stop', 'kill'] as const) {
      const ofKind = failovers.filter((run) => run.kind === kind);
      const measured = ofKind.flatMap((run: FailoverRun) => (run.failoverMs === undefined ? [] : [run.failoverMs]));
      const shown = measured.length === 0 ? 'n/a' : `${Math.round(median(measured)).toLocaleString('en-US')} ms`;
      const detail = ofKind.map((run) => (run.failoverMs === undefined ? 'failed' : `${Math.round(run.failoverMs)}`)).join(', ');
      const firstSent = ofKind.map((run) => (run.firstSentAfterMs === undefined ? '-' : `${Math.round(run.firstSentAfterMs)}`)).join(', ');
      console.log(`${labels[kind].padEnd(37)} median ${shown.padStart(9)}   runs ${detail} ms   (first record sent after it acknowledged: ${firstSent} ms)   ${expected[kind]}`);
      for (const run of ofKind) if (run.error !== undefined) console.log(`  ${kind} run failed: ${run.error}`);
    }
  } finally {
    await cluster.stop();
  }
}

if (selected('election')) {
  const seeds = Array.from({ length: 20 }, (_, index) => index + 1);
  /** Kafka's quorum timers lowered: fetch.timeout.ms to 1000 ms (the floor KIP-1236 proposes: twice the 500 ms Fetch wait), election.timeout.ms to 500 ms. */
  const tightened = { 'controller.quorum.fetch.timeout.ms': '1000', 'controller.quorum.election.timeout.ms': '500' };
  const rows: Array<{ label: string; runs: ElectionRun[]; kraft: boolean }> = [
    { label: 'KRaft, 3 voters, fetch.timeout 2000, election.timeout 1000', runs: await measureElectionSimulation({ seeds, controllers: 3 }), kraft: true },
    { label: 'KRaft, 3 voters, fetch.timeout 1000, election.timeout 500', runs: await measureElectionSimulation({ seeds, controllers: 3, brokerConfig: tightened }), kraft: true },
    { label: 'single controller, restarted at once (baseline)', runs: await measureElectionSimulation({ seeds, controllers: undefined }), kraft: false },
  ];
  console.log('');
  console.log('election (simulation): SimulatedCluster, 3 brokers, 1 ms latency; the active controller killed at a seeded moment; seeds 1..20; simulated ms, median / worst');
  console.log('columns: a new leader agreed by a majority; a createTopics with timeoutMs 0 answered (its records committed); one with the Admin default timeoutMs 60 s answered (the controller also waits for every unfenced broker)');
  console.log(electionHeader('from the kill to ...', ['new leader', 'committed', 'Admin answered']));
  for (const row of rows) {
    console.log(
      electionRow(row.label, [
        { values: row.runs.map((run) => run.electedMs), applies: row.kraft },
        { values: row.runs.map((run) => run.committedMs) },
        { values: row.runs.map((run) => run.answeredMs) },
      ]),
    );
    for (const run of row.runs) if (run.error !== undefined) console.log(`  seed ${run.seed} failed: ${run.error}`);
  }
  const processRuns = Number(process.env.BENCH_ELECTION_RUNS ?? 20);
  if (processRuns > 0) {
    const kraft = await measureProcessElections({ mode: 'kraft', runs: processRuns, basePort: basePort + 500 });
    const single = await measureProcessElections({ mode: 'single', runs: processRuns, basePort: basePort + 510 });
    console.log('');
    console.log(`election (real processes): 3 kactor broker processes on 127.0.0.1, Kafka's defaults; the active controller killed with SIGKILL (found by DescribeQuorum) after a random 0-999 ms; ${processRuns} runs each; wall-clock ms, median / worst`);
    console.log('columns: the killed process restarted and ready (single controller only); another node answers DescribeQuorum as the leader (survivors asked every 20 ms); a createTopics (RF 2) with timeoutMs 0 answered; Admin.createTopics with its defaults answered');
    console.log(electionHeader('from the kill to ...', ['restarted', 'new leader', 'committed', 'Admin answered']));
    for (const [label, runs, isKraft] of [
      ['KRaft, 3 voters', kraft, true],
      ['single controller, restarted at once (baseline)', single, false],
    ] as const) {
      console.log(
        electionRow(label, [
          { values: runs.map((run) => run.restartedMs), applies: !isKraft },
          { values: runs.map((run) => run.electedMs), applies: isKraft },
          { values: runs.map((run) => run.committedMs) },
          { values: runs.map((run) => run.answeredMs) },
        ]),
      );
      for (const [index, run] of runs.entries()) {
        if (run.error !== undefined) console.log(`  run ${index + 1} (node ${run.victim} killed) failed: ${run.error}`);
        // NOT_CONTROLLER is expected until the new controller claims, and a refused connection while the single controller restarts.
        const unexpected = run.committedErrors.filter((entry) => !entry.includes('error code 41 ') && !(entry.includes('connection refused') && !isKraft));
        if (unexpected.length > 0) console.log(`  run ${index + 1}: the raw createTopics failed other than with NOT_CONTROLLER, first ${unexpected[0]}`);
        if (run.adminErrors.length > 0) console.log(`  run ${index + 1}: Admin.createTopics failed ${run.adminErrors.length} time(s) before it succeeded or gave up, first ${run.adminErrors[0]}`);
      }
    }
  }
}

if (selected('metadata')) {
  const topics = Number(process.env.BENCH_METADATA_TOPICS ?? 200);
  const concurrencies = [1, 20];
  const kraft = await measureMetadataThroughput({ mode: 'kraft', basePort: basePort + 520, topics, concurrencies });
  const single = await measureMetadataThroughput({ mode: 'single', basePort: basePort + 530, topics, concurrencies });
  console.log('');
  console.log(`metadata: ${topics} topics of 1 partition, RF 3, one topic per createTopics, on 3 kactor broker processes; callers each one request at a time (at most 5 in flight per connection); baseline: the single controller`);
  console.log('answer                               callers   KRaft topics/s (latency median / worst ms)   single controller topics/s (latency)   KRaft / single');
  const labels = { admin: 'Admin.createTopics (defaults)', commit: 'raw, timeoutMs 0 (at commit)' };
  for (const row of kraft) {
    const baseline = single.find((entry) => entry.answer === row.answer && entry.concurrency === row.concurrency);
    const cell = (entry: typeof row | undefined) => (entry === undefined ? 'n/a' : `${entry.topicsPerSecond.toFixed(1)} (${Math.round(entry.medianLatencyMs)} / ${Math.round(entry.worstLatencyMs)})`);
    const ratio = baseline === undefined ? 'n/a' : (row.topicsPerSecond / baseline.topicsPerSecond).toFixed(2);
    console.log(`${labels[row.answer].padEnd(36)} ${String(row.concurrency).padStart(7)}   ${cell(row).padStart(42)}   ${cell(baseline).padStart(36)}   ${ratio.padStart(14)}`);
  }
}

if (selected('transactions')) {
  const transactionRecords = Number(process.env.BENCH_TXN_RECORDS ?? 100_000);
  const config = { ...producerConfig, acks: undefined };
  console.log('');
  console.log(
    `transactions: ${transactionRecords.toLocaleString('en-US')} records of ${recordBytes} B per case; producer ${JSON.stringify(config)}; 6 partitions over 3 brokers, RF 3, min.insync.replicas=2, one topic per case; baseline: acks=all without idempotence`,
  );
  const cluster = await startBenchCluster(basePort + 540);
  try {
    const { acks: _acks, ...sharedConfig } = producerConfig;
    const cases = await measureTransactionsThroughput(cluster, { records: transactionRecords, recordBytes, partitions: 6, producerConfig: sharedConfig });
    const baseline = cases[0]?.result;
    for (const entry of cases) {
      const ratio = baseline === undefined ? 'n/a' : (entry.result.recordsPerSecond / baseline.recordsPerSecond).toFixed(2);
      const transactions = entry.transactionSize === undefined ? '' : `   ${entry.transactions} transactions, ${((entry.result.seconds * 1000) / entry.transactions).toFixed(1)} ms each`;
      console.log(`${entry.label.padEnd(37)} ${format(entry.result)}   ratio ${ratio}${transactions}`);
    }
  } finally {
    await cluster.stop();
  }
}

if (selected('scale-out')) {
  console.log('');
  console.log('scale-out (KIP-848): 10 consumers, a topic grown from 100 to 1,000 partitions, each protocol on its own 3-broker cluster; Kafka\'s defaults; published: classic about 103 s, consumer about 5 s');
  console.log('protocol                                   form ms   100 -> 1,000 partitions ms   speed-up over classic eager');
  let baseline: number | undefined;
  // Each row as soon as its cluster is done: the classic rows take minutes each.
  await measureKip848ScaleOut({
    basePort: basePort + 600,
    onRow: (row) => {
      baseline ??= row.scaleOutMs;
      const speedUp = row.scaleOutMs === 0 ? 'n/a' : `${(baseline / row.scaleOutMs).toFixed(1)}x`;
      console.log(`${row.variant.padEnd(42)} ${row.formMs.toFixed(0).padStart(7)}   ${row.scaleOutMs.toFixed(0).padStart(26)}   ${speedUp.padStart(27)}`);
    },
  });
}

if (selected('experiment-speed')) {
  const idleMs = Number(process.env.BENCH_SPEED_IDLE_MS ?? 600_000);
  const flowingMs = Number(process.env.BENCH_SPEED_FLOWING_MS ?? 60_000);
  console.log('');
  console.log(
    `experiment speed (issue 15): SimulatedCluster, 3 brokers, a 30-partition topic, 10 consumers each in a poll(100) loop; idle for ${idleMs.toLocaleString('en-US')} simulated ms, ` +
      `then ${flowingMs.toLocaleString('en-US')} simulated ms with a producer at 1,000 records/s; baseline: the clock driven one timer at a time (before issue 15); targets 1,000x idle, 100x flowing`,
  );
  console.log('protocol   load             clock driven           simulated ms   wall ms   speed-up                          records acked / consumed');
  for (const protocol of ['classic', 'consumer'] as const) {
    for (const recordsPerSecond of [0, 1_000]) {
      for (const driver of ['per-timer', 'instant'] as ClockDriver[]) {
        const simulatedMs = recordsPerSecond === 0 ? idleMs : flowingMs;
        const result = await measureExperimentSpeed({ protocol, recordsPerSecond, simulatedMs, driver });
        const label = driver === 'per-timer' ? 'one timer at a time' : 'one instant at a time';
        console.log(
          `${protocol.padEnd(10)} ${(recordsPerSecond === 0 ? 'idle' : '1,000 records/s').padEnd(16)} ${label.padEnd(22)} ${result.simulatedMs.toLocaleString('en-US').padStart(12)}   ${result.wallMs.toFixed(0).padStart(7)}   ${speedUpInWords(result.simulatedMs, result.wallMs).padEnd(32)}  ${result.recordsAcknowledged} / ${result.recordsConsumed}`,
        );
      }
    }
  }
}
