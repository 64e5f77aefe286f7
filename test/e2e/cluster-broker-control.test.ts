/**
 * `kactor cluster kill N`, `cluster stop N` and `cluster start N` from another terminal, acting on one broker
 * of a running `cluster up` (issue 11): the broker killed is gone and reported, its partitions lose their leader
 * once the controller fences it; started again, it runs under the same `cluster up`, leads them again and serves
 * its data; stopped, it shuts down cleanly; and Ctrl-C after all that still stops the whole cluster with exit 0.
 * One 2-broker cluster with a short broker.session.timeout.ms keeps this quick; node 0 is its only voter of the
 * metadata quorum (`--controllers 1`), so broker 1 is an observer whose loss the quorum does not notice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, jsonLines, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';

interface DescribeLine {
  topic: string;
  partitions: Array<{ partition: number; leader: number; replicas: number[] }>;
}

interface ClusterJson {
  pid: number;
  voters: number[];
  brokers: Array<{ brokerId: number; port: number; pid: number | null }>;
}

const recordCount = 40;
const input = Array.from({ length: recordCount }, (_, index) => `record-${index}`).join('\n');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('cluster kill, stop and start act on one broker of a running cluster up', { timeout: 180_000 }, () => {
  const dataDir = temporaryDirectory('e2e-broker-control');
  let cluster: RunningCluster;
  const control = (command: string, brokerId: number, dir = dataDir.path) => kactor(['cluster', command, String(brokerId), '--data-dir', dir], { timeoutMs: 90_000 });
  const clusterJson = () => JSON.parse(readFileSync(join(dataDir.path, 'cluster.json'), 'utf8')) as ClusterJson;
  const describeTopic = async () => {
    const result = await kactor(['topics', 'describe', 'events', '--json', '--bootstrap-server', cluster.bootstrap]);
    return jsonLines<DescribeLine>(result.stdout)[0];
  };
  const partitionsOfBrokerOne = async () => (await describeTopic())?.partitions.filter((partition) => partition.replicas.includes(1)) ?? [];

  beforeAll(async () => {
    // The controller fences a silent broker after 3 s instead of 9 s; heartbeats come often enough for that. A restarted
    // broker leads its partitions again at the next preferred-leader check: every 2 s rather than cluster up's 10 s.
    cluster = await startCluster({
      brokers: 2,
      dataDir: dataDir.path,
      extraArgs: ['--controllers', '1', ...['broker.session.timeout.ms=3000', 'broker.heartbeat.interval.ms=500', 'leader.imbalance.check.interval.seconds=2'].flatMap((entry) => ['--override', entry])],
    });
    const created = await kactor(['topics', 'create', 'events', '--partitions', '4', '--bootstrap-server', cluster.bootstrap]);
    expect(created.code, created.stderr).toBe(0);
    const produced = await kactor(['produce', 'events', '--bootstrap-server', cluster.bootstrap], { input });
    expect(produced.code, produced.stderr).toBe(0);
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop('SIGKILL');
    dataDir.remove();
  });

  it('publishes cluster.json with its own pid, the voters and each broker\'s port and pid, and says node 0 is the only voter', () => {
    const state = clusterJson();
    expect(state.pid).toBe(cluster.process.pid);
    expect(state.voters).toEqual([0]);
    expect(state.brokers).toEqual([0, 1].map((brokerId) => ({ brokerId, port: cluster.basePort + brokerId, pid: cluster.brokerPid(brokerId) })));
    expect(cluster.output().stderr).toContain('metadata quorum: a single voter, node 0 (controller.quorum.voters): while node 0 is down nothing can be created, elected or fenced');
  });

  it('refuses, with one line and exit code 1: a directory without a cluster up, a broker it does not have, starting a running broker', async () => {
    const elsewhere = temporaryDirectory('e2e-no-cluster');
    const runningPid = cluster.brokerPid(1);
    const [none, unknown, running] = await Promise.all([control('kill', 1, elsewhere.path), control('stop', 5), control('start', 1)]).finally(() => elsewhere.remove());
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`kactor cluster kill: no running cluster up in ${elsewhere.path} (start one with kactor cluster up)\n`);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('kactor cluster stop: no broker 5 in this cluster (its brokers are 0..1)\n');
    expect(running.code).toBe(1);
    expect(running.stderr).toBe(`kactor cluster start: broker 1 is already running (pid ${runningPid})\n`);
  });

  it('kill 1: the process is gone, cluster up reports it, and after broker.session.timeout.ms its partitions have no leader', async () => {
    const pid = cluster.brokerPid(1);
    const killed = await control('kill', 1);
    expect(killed.code, killed.stderr).toBe(0);
    expect(killed.stdout).toBe(`broker 1 killed (pid ${pid})\n`);
    expect(isRunning(pid)).toBe(false);
    expect(cluster.output().stderr).toMatch(/broker 1 killed \(SIGKILL\) by kactor cluster kill/);
    expect(clusterJson().brokers[1]).toEqual({ brokerId: 1, port: cluster.basePort + 1, pid: null });
    const notRunning = await control('kill', 1);
    expect(notRunning.code).toBe(1);
    expect(notRunning.stderr).toBe('kactor cluster kill: broker 1 is not running (kactor cluster start 1 starts it)\n');
    await eventually(
      async () => {
        const partitions = await partitionsOfBrokerOne();
        return partitions.length > 0 && partitions.every((partition) => partition.leader === -1) ? true : undefined;
      },
      30_000,
      'the partitions of broker 1 to lose their leader',
    );
  });

  it('start 1: it runs again under cluster up, leads its partitions again and every record is readable', async () => {
    const started = await control('start', 1);
    expect(started.code, started.stderr).toBe(0);
    const pid = Number(/^broker 1 started \(pid (\d+)\)\n$/.exec(started.stdout)?.[1]);
    expect(isRunning(pid)).toBe(true);
    expect(cluster.brokerPid(1)).toBe(pid);
    expect(clusterJson().brokers[1]?.pid).toBe(pid);
    await eventually(
      async () => ((await partitionsOfBrokerOne()).every((partition) => partition.leader === 1) ? true : undefined),
      30_000,
      'the partitions of broker 1 to have it as leader again',
    );
    const consumed = await kactor(['consume', 'events', '--offset', 'earliest', '--max-messages', String(recordCount), '--timeout-ms', '10000', '--bootstrap-server', cluster.bootstrap]);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n').sort()).toEqual(input.split('\n').sort());
  });

  it('stop 1: a controlled shutdown that exits cleanly, so the next start recovers nothing', async () => {
    const stopped = await control('stop', 1);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toBe('broker 1 stopped\n');
    expect(cluster.output().stderr).toMatch(/broker 1 stopped \(exit code 0\) by kactor cluster stop/);
    expect(existsSync(join(dataDir.path, 'broker-1', '.kafka_cleanshutdown'))).toBe(true);
    const cleanOpensBefore = cluster.output().stderr.match(/broker-1 log-manager\] opened the log directory .*"wasCleanShutdown":true/g)?.length ?? 0;
    const started = await control('start', 1);
    expect(started.code, started.stderr).toBe(0);
    expect(cluster.output().stderr.match(/broker-1 log-manager\] opened the log directory .*"wasCleanShutdown":true/g)?.length ?? 0).toBe(cleanOpensBefore + 1);
  });

  it('Ctrl-C after the restarts stops every broker, exits 0 and removes cluster.json and the control socket', async () => {
    const pids = [cluster.brokerPid(0), cluster.brokerPid(1)];
    expect(await cluster.stop('SIGINT')).toBe(0);
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
    expect(cluster.output().stderr).not.toMatch(/exited unexpectedly/);
    expect(existsSync(join(dataDir.path, 'cluster.json'))).toBe(false);
    expect(existsSync(join(dataDir.path, 'cluster.sock'))).toBe(false);
  });
});
