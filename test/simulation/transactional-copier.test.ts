/**
 * Kafka's transactions system test (transactions_test.py, with group_mode_transactions_test's one copier group) as a
 * seeded simulation (issue 13, KIP-98, KIP-447): three brokers (the controller on broker 0, killed and restarted like
 * the others), the internal topics with replication factor 3 and min ISR 2, an input topic of 2 partitions filled with
 * numbered records, and a group of three copiers, each with its own transactional.id, copying every record to an output
 * topic of 3 partitions in transactions that carry the group's offsets (sendOffsetsToTransaction with
 * consumer.groupMetadata()). Once the first transaction has committed, a seeded nemesis kills (kill -9 or a clean
 * shutdown) and restarts brokers, among them the leaders of the group's and the copiers' coordinator partitions;
 * hard-kills copiers, whose successors with the same transactional.id fence them; and cuts a copier off past its session
 * timeout and lets it back in, a zombie whose offsets of an old generation the group coordinator refuses (KIP-447), so
 * it aborts and goes back to the committed offsets.
 *
 * Then a read_committed consumer reads the whole output: every input value must be there exactly once (0 lost, 0
 * duplicated), and another read_committed consumer that read the output while the faults went on must never have seen
 * a value twice, nor anything that is not in the final log at the offset it read it at. The same copier committing its
 * offsets outside the transaction (send, then commitSync: at-least-once) under the same faults copies records twice,
 * and the checker says so.
 *
 * `SIMULATION_TXN_SEEDS` raises the number of seeds (default 50, from `SIMULATION_FIRST_SEED`, default 1); a failure
 * names its seed and fault plan, and `SIMULATION_SEED=n` runs seed n alone, the same way (the reproducibility test shows
 * one seed run twice gives the same fingerprint). `SIMULATION_TXN_VERBOSE=1` prints each seed's figures.
 */
import { createHash } from 'node:crypto';
import type { Consumer, TopicPartitionOffset } from '@kactor/client';
import { groupCoordinatorPartition } from '@kactor/protocol';
import { createSeededRandom, type Random } from '@kactor/runtime';
import { assertNoViolations, checkCopy, controllerRecord, countTransactionMarkers, findValuesReadTwice, GroupClients, recordIdOf, replicasConverged, replicaViews, TransactionalCopier, type CopyMode } from '@kactor/simulation';
import { describe, expect, it } from 'vitest';

const INPUT = 'input';
const OUTPUT = 'output';
const INPUT_PARTITIONS = 2;
const OUTPUT_PARTITIONS = 3;
const RECORDS_PER_INPUT_PARTITION = 200;
const TRANSACTION_SIZE = 20;
const COPIERS = 3;
const GROUP = 'copier-group';
/** Each transaction's records take this long to process, so the copy lasts through the nemesis' window. */
const PROCESSING_MS = 200;
const COPIER_SESSION_TIMEOUT_MS = 3_000;
const SEEDS = Number(process.env.SIMULATION_TXN_SEEDS ?? 50);
/** The nemesis acts during this much virtual time (the copy runs through it). */
const FAULT_WINDOW_MS = 3_000;
const BROKER_FAULTS = 3;
const COPIER_KILLS = 3;
const brokerConfig = {
  'offsets.topic.num.partitions': '3',
  'offsets.topic.replication.factor': '3',
  'transaction.state.log.num.partitions': '3',
  'transaction.state.log.replication.factor': '3',
  'transaction.state.log.min.isr': '2',
  'min.insync.replicas': '2',
  // Copiers time out of the group in 3 s (Kafka's lowest is 6 s), so a killed copier's partitions move on within a run.
  'group.min.session.timeout.ms': '1000',
  // A broker killed and restarted at once is refused as still registered until its session ends (as in Kafka), and
  // until then it keeps leading what it led: 3 s instead of 9 s keeps that stall inside the run's scale. A follower
  // cut off leaves the ISR within it.
  'broker.session.timeout.ms': '3000',
  'broker.heartbeat.interval.ms': '500',
  'replica.lag.time.max.ms': '2000',
};

type BrokerTarget = 'group coordinator' | 'transaction coordinator' | 'any broker';

type CopierFault =
  | { kind: 'kill-broker'; target: BrokerTarget; copier: number; clean: boolean; downMs: number }
  | { kind: 'kill-copier'; copier: number; downMs: number }
  /** A copier cut off past its session timeout, then let back in: a zombie of an old generation (KIP-447). */
  | { kind: 'isolate-copier'; copier: number; downMs: number };

interface TimedCopierFault {
  atMs: number;
  fault: CopierFault;
}

/**
 * A seeded nemesis: broker faults one at a time (each broker comes back before the next goes, so min ISR 2 stays
 * reachable), aimed at the leader of the group's coordinator partition, of a copier's transaction coordinator
 * partition, or any broker; and copier kills, each copier restarted before it can be killed again.
 */
function planCopierFaults(random: Random): TimedCopierFault[] {
  const plan: TimedCopierFault[] = [];
  const targets: BrokerTarget[] = ['group coordinator', 'transaction coordinator', 'any broker'];
  let brokerAtMs = 0;
  for (let n = 0; n < BROKER_FAULTS; n += 1) {
    brokerAtMs += 200 + random.nextInt(800);
    const downMs = 300 + random.nextInt(1_200);
    plan.push({ atMs: brokerAtMs, fault: { kind: 'kill-broker', target: targets[random.nextInt(targets.length)] as BrokerTarget, copier: random.nextInt(COPIERS), clean: random.nextInt(3) === 0, downMs } });
    brokerAtMs += downMs;
  }
  const copierFreeAtMs = Array.from({ length: COPIERS }, () => 0);
  for (let n = 0; n < COPIER_KILLS; n += 1) {
    const copier = random.nextInt(COPIERS);
    const atMs = Math.max(copierFreeAtMs[copier] ?? 0, random.nextInt(FAULT_WINDOW_MS));
    const downMs = random.nextInt(700);
    copierFreeAtMs[copier] = atMs + downMs + 1;
    plan.push({ atMs, fault: { kind: 'kill-copier', copier, downMs } });
  }
  // Drawn last, so the faults above are the same as without zombies for every seed.
  if (random.nextInt(2) === 0) {
    const copier = random.nextInt(COPIERS);
    const atMs = Math.max(copierFreeAtMs[copier] ?? 0, random.nextInt(FAULT_WINDOW_MS));
    plan.push({ atMs, fault: { kind: 'isolate-copier', copier, downMs: COPIER_SESSION_TIMEOUT_MS + 500 + random.nextInt(1_500) } });
  }
  return plan.sort((left, right) => left.atMs - right.atMs);
}

function describePlan(plan: readonly TimedCopierFault[]): string {
  return plan.map(({ atMs, fault }) => `${atMs}ms ${JSON.stringify(fault)}`).join('\n');
}

interface Outcome {
  seed: number;
  records: number;
  /** Transactions the copiers saw committed. */
  committed: number;
  /** Transactions the copiers aborted themselves. */
  aborted: number;
  /** ABORT markers in the output: transactions aborted by their copier or by the coordinator for a dead or fenced one. */
  abortMarkers: number;
  copierRestarts: number;
  brokerKills: number;
  /** Copiers cut off past their session timeout and let back in (zombies). */
  zombies: number;
  readLive: number;
  /** Virtual time from the copiers' start to the end of the verifier's read. */
  virtualMs: number;
  /** Virtual time from the copiers' start until every input offset was committed. */
  copiedMs: number;
  fingerprint: string;
}

async function runSeed(seed: number, mode: CopyMode = 'transactional'): Promise<Outcome> {
  const clients = new GroupClients({ seed, brokers: 3, latencyMs: 1, brokerConfig });
  const { cluster } = clients;
  const plan = planCopierFaults(createSeededRandom(`transactional-copier-${seed}`));
  const copiers: TransactionalCopier[] = [];
  let copyStartMs = 0;
  let copiedMs = -1;
  const onCommitted = (offsets: readonly TopicPartitionOffset[]) => {
    for (const { partition, offset } of offsets) committedInput.set(partition, Math.max(committedInput.get(partition) ?? 0, offset));
    if (copiedMs < 0 && copied()) copiedMs = cluster.clock.now() - copyStartMs;
  };
  const committedInput = new Map<number, number>();
  const copied = () => Array.from({ length: INPUT_PARTITIONS }, (_, partition) => partition).every((partition) => (committedInput.get(partition) ?? 0) >= RECORDS_PER_INPUT_PARTITION);
  let brokerKills = 0;
  let zombies = 0;
  try {
    await cluster.startAll();
    await clients.createTopic(INPUT, INPUT_PARTITIONS, 3, { 'min.insync.replicas': '2' });
    await clients.createTopic(OUTPUT, OUTPUT_PARTITIONS, 3, { 'min.insync.replicas': '2' });
    await clients.fill(INPUT, INPUT_PARTITIONS, RECORDS_PER_INPUT_PARTITION);
    const inputValues = Array.from({ length: INPUT_PARTITIONS }, (_, partition) => Array.from({ length: RECORDS_PER_INPUT_PARTITION }, (_, n) => `${partition}/${n}`)).flat();

    for (let n = 0; n < COPIERS; n += 1) {
      copiers.push(
        new TransactionalCopier({
          clients,
          groupId: GROUP,
          transactionalId: `copier-${n}`,
          inputTopic: INPUT,
          outputTopic: OUTPUT,
          mode,
          transactionSize: TRANSACTION_SIZE,
          onCommitted,
          processingMs: PROCESSING_MS,
          consumerSettings: { 'session.timeout.ms': COPIER_SESSION_TIMEOUT_MS, 'heartbeat.interval.ms': 300 },
          producerSettings: { 'transaction.timeout.ms': 10_000, 'request.timeout.ms': 5_000, 'delivery.timeout.ms': 60_000 },
        }),
      );
    }
    copyStartMs = cluster.clock.now();
    for (const copier of copiers) copier.start();

    // A verifier reading the output with read_committed all along: it must never see a copy twice.
    const live = clients.reader('live-verifier', { 'isolation.level': 'read_committed' });
    live.assign(Array.from({ length: OUTPUT_PARTITIONS }, (_, partition) => ({ topic: OUTPUT, partition })));
    let stopReading = false;
    const liveErrors: string[] = [];
    const reading = (async () => {
      while (!stopReading) {
        try {
          clients.records(live).push(...(await live.poll(100)));
        } catch (error) {
          liveErrors.push(String(error));
          return;
        }
      }
    })();

    const picks = createSeededRandom(`transactional-copier-picks-${seed}`);
    const restarts: Array<{ atMs: number; run: () => Promise<void> }> = [];
    // The nemesis starts once the copiers are under way (the group formed, a first transaction committed), as the system
    // test bounces brokers and copiers while the copy runs.
    await cluster.until(() => committedInput.size > 0, 'the first transaction commits');
    const startMs = cluster.clock.now();
    const pending = plan.map(({ atMs, fault }) => ({ atMs, run: () => applyFault(fault) }));
    const applyFault = async (fault: CopierFault): Promise<void> => {
      const at = cluster.clock.now() - startMs;
      if (fault.kind === 'isolate-copier') {
        const copier = copiers[fault.copier] as TransactionalCopier;
        const host = copier.isolate();
        if (host === undefined) return;
        zombies += 1;
        restarts.push({ atMs: at + fault.downMs, run: async () => copier.heal(host) });
        return;
      }
      if (fault.kind === 'kill-copier') {
        const copier = copiers[fault.copier] as TransactionalCopier;
        if (!copier.running) return;
        copier.kill();
        restarts.push({ atMs: at + fault.downMs, run: async () => (copier.running ? undefined : copier.start()) });
        return;
      }
      const brokerId = brokerFor(fault.target, `copier-${fault.copier}`);
      if (brokerId === undefined || !cluster.isRunning(brokerId)) return;
      brokerKills += 1;
      if (fault.clean) await cluster.shutdown(brokerId);
      else await cluster.kill(brokerId);
      restarts.push({ atMs: at + fault.downMs, run: async () => void (cluster.isRunning(brokerId) ? undefined : await cluster.start(brokerId)) });
    };
    const brokerFor = (target: BrokerTarget, transactionalId: string): number | undefined => {
      const running = cluster.brokerIds.filter((id) => cluster.isRunning(id));
      if (target === 'any broker') return running[picks.nextInt(running.length)];
      const [topic, key] = target === 'group coordinator' ? ['__consumer_offsets', GROUP] : ['__transaction_state', transactionalId];
      return controllerRecord(cluster, topic, groupCoordinatorPartition(key, 3))?.leader;
    };
    // The plan's faults and the restarts they schedule, in time order.
    for (;;) {
      const queue = [...pending, ...restarts].sort((left, right) => left.atMs - right.atMs);
      const next = queue[0];
      if (next === undefined) break;
      const isRestart = restarts.includes(next);
      const queued = isRestart ? restarts : pending;
      queued.splice(queued.indexOf(next), 1);
      const waitMs = startMs + next.atMs - cluster.clock.now();
      if (waitMs > 0) await cluster.advance(waitMs);
      // Once everything is copied, the faults left would strike idle copiers: only the restarts still run.
      if (isRestart || !copied()) await next.run();
    }

    await cluster.until(copied, 'the copiers commit every input offset', 300_000);
    for (const copier of copiers) await clients.settle(copier.close());

    // The whole output with read_committed, up to each partition's log end (no transaction is left open).
    const outputIndexes = Array.from({ length: OUTPUT_PARTITIONS }, (_, partition) => partition);
    await cluster.until(() => outputIndexes.every((partition) => replicasConverged(cluster, OUTPUT, partition)), 'the output replicas converge', 120_000);
    const ends = outputIndexes.map((partition) => Math.max(...replicaViews(cluster, OUTPUT, partition).map((view) => view.logEndOffset)));
    const reader = clients.reader('verifier', { 'isolation.level': 'read_committed' });
    const outputPartitions = Array.from({ length: OUTPUT_PARTITIONS }, (_, partition) => ({ topic: OUTPUT, partition }));
    reader.assign(outputPartitions);
    await clients.settle(readToEnd(clients, reader, outputPartitions, ends), 120_000);
    stopReading = true;
    await clients.settle(reading);

    const final = clients.records(reader);
    const outputValues = final.map((record) => recordIdOf(record).value);
    const { lost, duplicated, unexpected } = checkCopy(inputValues, outputValues);
    const atOffset = new Map(final.map((record) => [`${record.partition}/${record.offset}`, recordIdOf(record).value]));
    const readLive = clients.records(live);
    const notInFinalLog = readLive.filter((record) => atOffset.get(`${record.partition}/${record.offset}`) !== recordIdOf(record).value).map((record) => `${record.partition}/${record.offset}`);
    assertNoViolations('records copied twice', duplicated);
    assertNoViolations('input records never copied', lost);
    assertNoViolations('output records that are no input record', unexpected);
    assertNoViolations('records the live read_committed verifier read twice', findValuesReadTwice(readLive.map((record) => recordIdOf(record).value)));
    assertNoViolations('records read during the run but not in the final log at their offset', notInFinalLog);
    assertNoViolations('the live verifier failed', liveErrors);

    const figures = copiers.map((copier) => copier.figures);
    const abortMarkers = outputIndexes.reduce((total, partition) => total + cluster.replicaLogs(OUTPUT, partition).slice(0, 1).reduce((sum, { log }) => sum + countTransactionMarkers(log).aborts, 0), 0);
    const sum = (key: 'transactionsCommitted' | 'transactionsAborted' | 'killed' | 'fatal') => figures.reduce((total, entry) => total + entry[key], 0);
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ figures, final: final.map((record) => [record.partition, record.offset, recordIdOf(record).value]), endMs: cluster.clock.now() }))
      .digest('hex');
    return { seed, records: final.length, committed: sum('transactionsCommitted'), aborted: sum('transactionsAborted'), abortMarkers, copierRestarts: sum('killed') + sum('fatal'), brokerKills, zombies, readLive: readLive.length, virtualMs: cluster.clock.now() - copyStartMs, copiedMs, fingerprint };
  } catch (error) {
    const copierErrors = copiers.flatMap((copier) => copier.fatalErrors).join('\n');
    throw new Error(`transactional copier simulation (${mode}) failed for seed ${seed} (SIMULATION_SEED=${seed} runs it alone, the same way)\nfaults:\n${describePlan(plan)}\ncopiers' fatal errors:\n${copierErrors}\n${String(error)}`, { cause: error });
  } finally {
    await clients.close();
  }
}

/** Polls `reader` until its position in each partition reaches `ends` (read_committed: the LSO must get there too). */
async function readToEnd(clients: GroupClients, reader: Consumer, partitions: ReadonlyArray<{ topic: string; partition: number }>, ends: readonly number[]): Promise<void> {
  for (;;) {
    clients.records(reader).push(...(await reader.poll(100)));
    const positions = await Promise.all(partitions.map((tp) => reader.position(tp)));
    if (positions.every((position, index) => position >= (ends[index] ?? 0))) return;
  }
}

/** SIMULATION_FIRST_SEED moves the window of seeds (a long hunt can go on where the last one stopped). */
const FIRST_SEED = Number(process.env.SIMULATION_FIRST_SEED ?? 1);
const seeds = process.env.SIMULATION_SEED === undefined ? Array.from({ length: SEEDS }, (_, index) => FIRST_SEED + index) : [Number(process.env.SIMULATION_SEED)];
const outcomes: Outcome[] = [];

describe(`a transactional copier group under seeded broker and copier faults (${SEEDS} seeds; SIMULATION_TXN_SEEDS raises it)`, () => {
  it.each(seeds)('seed %i: the output holds every input record exactly once, and a read_committed reader never sees one twice', async (seed) => {
    const cpu = process.cpuUsage();
    const outcome = await runSeed(seed);
    if (process.env.SIMULATION_TXN_VERBOSE !== undefined) console.info('cpu ms', process.cpuUsage(cpu).user / 1000);
    if (process.env.SIMULATION_TXN_VERBOSE !== undefined) console.info(JSON.stringify(outcome));
    outcomes.push(outcome);
  });

  it('prints the figures: seeds, records, transactions committed and aborted, copier restarts, broker kills', () => {
    const total = (key: 'records' | 'committed' | 'aborted' | 'abortMarkers' | 'copierRestarts' | 'brokerKills' | 'zombies' | 'readLive') => outcomes.reduce((sum, outcome) => sum + outcome[key], 0);
    console.info(
      `transactional copier simulation: ${outcomes.length} seeds, ${total('records')} records copied (${INPUT_PARTITIONS * RECORDS_PER_INPUT_PARTITION} per seed), ${total('committed')} transactions committed, ${total('aborted')} aborted by the copiers and ${total('abortMarkers')} ABORT markers in the output (those and the coordinators' aborts for killed copiers), ${total('copierRestarts')} copier restarts, ${total('brokerKills')} broker kills, ${total('zombies')} zombie copiers, 0 duplicates, 0 lost (${total('readLive')} records read during the runs)`,
    );
    expect(outcomes).toHaveLength(seeds.length);
    expect(total('records')).toBe(seeds.length * INPUT_PARTITIONS * RECORDS_PER_INPUT_PARTITION);
  });

  it('the duplicate checker fires for the same copier committing its offsets outside the transaction (at-least-once) under the same faults (seed 1)', async () => {
    await expect(runSeed(1, 'at-least-once')).rejects.toThrow(/records copied twice/);
  });

  it('the same seed reproduces the run: two runs of one seed give the same fingerprint', async () => {
    const [first, second] = [await runSeed(5), await runSeed(5)];
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second).toEqual(first);
  });
});
