/**
 * Election time of the KRaft metadata quorum (issue 12) on a simulated clock: `SimulatedCluster({ brokers: 3,
 * controllers: 3 })`, the active controller (the quorum leader) killed at a seeded moment, then how long until a new
 * leader is elected and until the first `createTopics` is answered without error. Times are simulated milliseconds:
 * the timers and the 1 ms network latency, none of this machine's CPU.
 *
 * Two clients create a topic after the kill, at the same time: one with `timeoutMs` 0, answered as soon as the
 * topic's records are committed, and one with the Admin's default `timeoutMs` (60 s), which kactor's controller also
 * holds until every unfenced broker has applied the records. Each is told the new leader the moment a majority of
 * the voters agree on it (the simulation reads it from the nodes) and sends CreateTopics there one at a time,
 * retrying after Kafka's Admin `retry.backoff.ms` (100 ms) on an error (NOT_CONTROLLER while the new controller has
 * not claimed yet): the figures are the quorum's and the controller's, without a client's metadata discovery.
 *
 * The baseline is today's single controller (SimulatedCluster without `controllers`): with its broker killed no
 * topic can be created at all until it returns, so it is restarted at once (as a supervisor would) and timed the
 * same way. A restart costs no simulated time, so this baseline is a lower bound of a real restart.
 */
import { findConfigDef, type RequestBody } from '@kactor/protocol';
import { createSeededRandom } from '@kactor/runtime';
import { SimulatedCluster } from '@kactor/simulation';

export interface ElectionRun {
  seed: number;
  /** Kill -> a new leader that a majority of the running voters agree on (KRaft only). */
  electedMs: number | undefined;
  /** Kill -> the first CreateTopics with `timeoutMs` 0 answered without error: its records are committed. */
  committedMs: number | undefined;
  /**
   * Kill -> the first CreateTopics with the Admin's default `timeoutMs` (default.api.timeout.ms) answered without
   * error: kactor's controller also waits until every unfenced broker has applied the records, or that timeout.
   */
  answeredMs: number | undefined;
  /** Set when the run did not complete in time. */
  error?: string;
}

export interface ElectionSimulationOptions {
  seeds: readonly number[];
  /** KRaft: how many voters (brokers 0..controllers-1); undefined: today's single controller on broker 0, restarted at once. */
  controllers: number | undefined;
  /** Broker config overrides (Kafka names), e.g. shorter quorum timers. */
  brokerConfig?: Record<string, string>;
}

const adminDefault = (name: string): number => {
  const found = findConfigDef('admin', name)?.default;
  if (found?.kind !== 'value') throw new Error(`no default for the admin config ${name}`);
  return Number(found.value);
};
/** Kafka's Admin `retry.backoff.ms` (100 ms): the pause before a failed CreateTopics is sent again. */
const adminRetryBackoffMs = adminDefault('retry.backoff.ms');
/** Kafka's Admin `default.api.timeout.ms` (60 s): the `timeoutMs` an Admin's createTopics sends by default. */
const adminApiTimeoutMs = adminDefault('default.api.timeout.ms');
/** The pause before the kill is drawn from [0, this). */
const killPhaseSpreadMs = 1_000;
/** How long one run may take, in simulated ms, before it is reported as failed. */
const runTimeoutMs = 120_000;

const newTopic = (name: string): RequestBody<'createTopics'>['topics'][number] => ({ name, numPartitions: 1, replicationFactor: 2, assignments: [], configs: [] });

/**
 * Sends CreateTopics for `name` to wherever `target()` points (looked at every simulated millisecond while it points
 * nowhere), one request at a time, until one is answered without error; then calls `done` with the simulated time.
 * Driven by the clock's timers rather than by its own wait loop, so several of them share one `cluster.until`.
 */
function createWhenPossible(cluster: SimulatedCluster, name: string, timeoutMs: number, target: () => string | undefined, done: (atMs: number) => void): void {
  const attempt = (): void => {
    const url = target();
    if (url === undefined) {
      cluster.clock.setTimeout(attempt, 1);
      return;
    }
    const client = cluster.client(url);
    client.rpc.request('createTopics', { topics: [newTopic(name)], timeoutMs, validateOnly: false }, (result) => {
      client.rpc.close();
      if (result.ok && result.body.topics[0]?.errorCode === 0) done(cluster.clock.now());
      else cluster.clock.setTimeout(attempt, adminRetryBackoffMs);
    });
  };
  attempt();
}

/** Resolves with the simulated time at which `name` was created (see createWhenPossible). */
async function createOne(cluster: SimulatedCluster, name: string, target: () => string | undefined): Promise<number> {
  let createdAt: number | undefined;
  createWhenPossible(cluster, name, 0, target, (atMs) => (createdAt = atMs));
  await cluster.until(() => createdAt !== undefined, `topic ${name} created`, runTimeoutMs);
  return createdAt as number;
}

async function measureOne(seed: number, options: ElectionSimulationOptions): Promise<ElectionRun> {
  const kraft = options.controllers !== undefined;
  const cluster = new SimulatedCluster({ brokers: 3, seed, latencyMs: 1, ...(kraft ? { controllers: options.controllers } : {}), ...(options.brokerConfig === undefined ? {} : { brokerConfig: options.brokerConfig }) });
  const run: ElectionRun = { seed, electedMs: undefined, committedMs: undefined, answeredMs: undefined };
  try {
    await cluster.startAll();
    if (kraft) await cluster.until(() => cluster.quorumLeader() !== undefined, 'a metadata quorum leader');
    // A topic created before the fault: the controller is up and serving, not still starting.
    await createOne(cluster, 'before', () => cluster.controllerUrl);
    // A seeded pause before the kill, so the kill falls anywhere in the followers' fetch cycle (a parked Fetch is
    // answered within 500 ms, and each answer restarts the fetch timeout), not always just after a commit.
    await cluster.advance(createSeededRandom(`election-bench-${seed}`).nextInt(killPhaseSpreadMs));
    const victim = kraft ? (cluster.quorumLeader() as number) : cluster.controllerId;
    const killedAt = cluster.clock.now();
    await cluster.kill(victim);
    const newLeader = () => {
      const leader = cluster.quorumLeader();
      return leader !== undefined && leader !== victim ? leader : undefined;
    };
    const target = kraft ? () => (newLeader() === undefined ? undefined : cluster.controllerUrl) : () => cluster.controllerUrl;
    if (!kraft) await cluster.start(victim);
    // Both clients at once, so neither waits behind the other: the answer at commit, and the Admin's.
    let committedAt: number | undefined;
    let answeredAt: number | undefined;
    createWhenPossible(cluster, 'after-committed', 0, target, (atMs) => (committedAt = atMs));
    createWhenPossible(cluster, 'after-answered', adminApiTimeoutMs, target, (atMs) => (answeredAt = atMs));
    // The condition is looked at after every timer of the simulated clock: the first look that sees a new leader is its time.
    await cluster.until(
      () => {
        if (kraft && run.electedMs === undefined && newLeader() !== undefined) run.electedMs = cluster.clock.now() - killedAt;
        return committedAt !== undefined && answeredAt !== undefined;
      },
      'both topics created after the kill',
      runTimeoutMs,
    );
    run.committedMs = (committedAt as number) - killedAt;
    run.answeredMs = (answeredAt as number) - killedAt;
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  } finally {
    for (const id of cluster.brokerIds) if (cluster.isRunning(id)) await cluster.kill(id);
  }
  return run;
}

export async function measureElectionSimulation(options: ElectionSimulationOptions): Promise<ElectionRun[]> {
  const runs: ElectionRun[] = [];
  for (const seed of options.seeds) runs.push(await measureOne(seed, options));
  return runs;
}
