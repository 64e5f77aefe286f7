/**
 * Election time with real processes (issue 12): three `kactor broker` processes on 127.0.0.1 (bench/quorum-nodes.ts),
 * the active controller killed with SIGKILL, then, in wall-clock milliseconds from the kill:
 *
 * - elected: another node answers DescribeQuorum as the leader (each surviving node asked directly every 20 ms);
 * - committed: a CreateTopics with `timeoutMs` 0, sent one at a time to the leader that poll last named (retried
 *   100 ms after an error, Kafka's Admin `retry.backoff.ms`), is answered without error: its records are committed;
 * - answered: `Admin.createTopics()` with its defaults (`default.api.timeout.ms` 60 s), called at the kill on an
 *   Admin already connected, resolves without error.
 *
 * The victim is found with `Admin.describeMetadataQuorum()`, after a random pause of 0-999 ms so the kill falls
 * anywhere in the followers' fetch cycle. After each run it is started again, and the next run waits until all three
 * voters are caught up and a topic with replication factor 3 can be created (every broker registered and unfenced).
 *
 * The baseline, `single` mode, is today's single controller on node 0: killed, then started again at once (what a
 * supervisor would do); the same columns, plus when the restarted process reported ready.
 */
import { Admin, systemClientRuntime, type ClientRuntime, type QuorumInfo } from '@kactor/client';
import { RawClients } from './quorum-raw-requests.js';
import { startQuorumNodes, type QuorumMode, type QuorumNodes } from './quorum-nodes.js';

export interface ProcessElectionRun {
  victim: number;
  /** Kill -> the restarted process reported ready (single mode only). */
  restartedMs: number | undefined;
  /** Kill -> a new leader named by DescribeQuorum (KRaft only). */
  electedMs: number | undefined;
  /** Kill -> a CreateTopics with timeoutMs 0 answered without error. */
  committedMs: number | undefined;
  /** Kill -> Admin.createTopics (default timeout) resolved without error. */
  answeredMs: number | undefined;
  /** What the raw CreateTopics that failed said (each was retried 100 ms later; NOT_CONTROLLER until the new controller claims). */
  committedErrors: string[];
  /** What the Admin's createTopics calls that failed said (each was retried 100 ms later). */
  adminErrors: string[];
  error?: string;
}

export interface ProcessElectionOptions {
  mode: QuorumMode;
  runs: number;
  basePort: number;
  /** How long one run may take (wall clock) before it is reported as failed. */
  runTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Kafka's Admin `retry.backoff.ms`. */
const retryBackoffMs = 100;
const leaderPollMs = 20;
/** Kafka's error code TOPIC_ALREADY_EXISTS. */
const topicAlreadyExists = 36;

async function waitFor<T>(description: string, timeoutMs: number, check: () => Promise<T | undefined>, pollMs = 50): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (performance.now() > deadline) throw new Error(`${description}: not within ${timeoutMs} ms`);
    await sleep(pollMs);
  }
}

async function quorumOf(admin: Admin): Promise<QuorumInfo | undefined> {
  try {
    return await admin.describeMetadataQuorum({ timeoutMs: 2_000 });
  } catch {
    // No leader yet (NoQuorumLeaderError), or the node asked just died: the caller asks again.
    return undefined;
  }
}

/** Every voter caught up with a leader, and a topic of replication factor 3 created: all three brokers serve. */
async function waitUntilSteady(nodes: QuorumNodes, admin: Admin, name: string): Promise<void> {
  if (nodes.mode === 'kraft') {
    await waitFor('a quorum leader with every voter caught up', 60_000, async () => {
      const quorum = await quorumOf(admin);
      return quorum !== undefined && quorum.voters.length === 3 && quorum.voters.every((voter) => voter.lag === 0) ? true : undefined;
    });
  }
  await waitFor(`topic ${name} (RF 3) created`, 60_000, async () => {
    const [created] = await admin.createTopics([{ name, numPartitions: 1, replicationFactor: 3 }], { timeoutMs: 10_000 }).catch(() => [undefined]);
    return created !== undefined && (created.error === null || created.error.errorName === 'TOPIC_ALREADY_EXISTS') ? true : undefined;
  });
}

async function measureOne(nodes: QuorumNodes, admin: Admin, raw: RawClients, probes: RawClients, runtime: ClientRuntime, index: number, runTimeoutMs: number): Promise<ProcessElectionRun> {
  const kraft = nodes.mode === 'kraft';
  await waitUntilSteady(nodes, admin, `steady-${index}`);
  // An Admin already connected, as an application's would be: its createTopics starts from cached metadata.
  const answering = Admin.create({ 'bootstrap.servers': nodes.bootstrap }, runtime);
  await answering.describeCluster();
  await sleep(Math.floor(Math.random() * 1_000));
  const victim = kraft ? ((await quorumOf(admin))?.leaderId ?? -1) : 0;
  const run: ProcessElectionRun = { victim, restartedMs: undefined, electedMs: undefined, committedMs: undefined, answeredMs: undefined, committedErrors: [], adminErrors: [] };
  if (victim < 0) {
    run.error = 'no quorum leader to kill';
    answering.close();
    return run;
  }
  const killedAt = performance.now();
  const since = () => performance.now() - killedAt;
  await nodes.kill(victim);
  let leader: number | undefined = kraft ? undefined : victim;
  let finished = false;
  try {
    const restarted = kraft ? Promise.resolve() : nodes.start(victim).then(() => (run.restartedMs = since()));
    const elected = kraft
      ? waitFor(
          'a new quorum leader',
          runTimeoutMs,
          async () => {
            const survivors = nodes.nodeIds.filter((nodeId) => nodeId !== victim);
            const leading = await Promise.all(survivors.map((nodeId) => probes.leadsQuorum(nodeId)));
            return survivors.find((_, position) => leading[position]);
          },
          leaderPollMs,
        ).then((found) => {
          leader = found;
          run.electedMs = since();
        })
      : Promise.resolve();
    const committed = (async () => {
      while (!finished && since() < runTimeoutMs) {
        if (leader === undefined || !nodes.isRunning(leader)) {
          await sleep(5);
          continue;
        }
        const answer = await raw.createTopic(leader, `after-committed-${index}`, 2);
        const topic = answer.ok ? answer.body.topics[0] : undefined;
        // TOPIC_ALREADY_EXISTS after a failed attempt: that attempt's records were committed after all (a request
        // that timed out, or NOT_CONTROLLER from a controller that had appended them, does not prove the opposite).
        if (topic?.errorCode === 0 || (topic?.errorCode === topicAlreadyExists && run.committedErrors.length > 0)) {
          run.committedMs = since();
          return;
        }
        run.committedErrors.push(`${Math.round(since())} ms: ${answer.ok ? `error code ${topic?.errorCode} ${topic?.errorMessage ?? ''}` : `${answer.error.code} ${answer.error.message}`}`);
        await sleep(retryBackoffMs);
      }
    })();
    const answered = (async () => {
      while (!finished && since() < runTimeoutMs) {
        const name = `after-answered-${index}`;
        const outcome = await answering.createTopics([{ name, numPartitions: 1, replicationFactor: 2 }]).then(
          ([created]) => created?.error ?? null,
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        );
        // A retry that finds the topic created means an earlier call that failed had created it.
        const alreadyCreated = run.adminErrors.length > 0 && outcome !== null && 'errorName' in outcome && outcome.errorName === 'TOPIC_ALREADY_EXISTS';
        if (outcome === null || alreadyCreated) {
          run.answeredMs = since();
          return;
        }
        run.adminErrors.push(`${Math.round(since())} ms: ${outcome.message}`);
        await sleep(retryBackoffMs);
      }
    })();
    await Promise.all([restarted, elected, committed, answered]);
    if (run.committedMs === undefined || run.answeredMs === undefined) run.error = `no topic created within ${runTimeoutMs} ms`;
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  } finally {
    finished = true;
    answering.close();
  }
  if (kraft) await nodes.start(victim);
  return run;
}

export async function measureProcessElections(options: ProcessElectionOptions): Promise<ProcessElectionRun[]> {
  const nodes = await startQuorumNodes(options.mode, options.basePort);
  const runtime = systemClientRuntime();
  const admin = Admin.create({ 'bootstrap.servers': nodes.bootstrap }, runtime);
  const raw = new RawClients(runtime, (nodeId) => nodes.urlOf(nodeId));
  const probes = new RawClients(runtime, (nodeId) => nodes.urlOf(nodeId));
  const runs: ProcessElectionRun[] = [];
  try {
    for (let index = 0; index < options.runs; index += 1) {
      const run = await measureOne(nodes, admin, raw, probes, runtime, index, options.runTimeoutMs ?? 60_000);
      runs.push(run);
      if (process.env.BENCH_VERBOSE === '1') console.log(`  ${options.mode} run ${index + 1}: ${JSON.stringify(run)}`);
    }
    return runs;
  } finally {
    raw.close();
    probes.close();
    admin.close();
    await nodes.stop();
  }
}
