/**
 * Replication with real processes, in the shape of Kafka's tests/kafkatest/tests/core/replication_test.py:
 * 3 brokers, a topic with 3 partitions, replication factor 3 and min.insync.replicas=2, a producer sending
 * with acks=all the whole time. The leader of a partition is stopped cleanly (`cluster stop`, a controlled
 * shutdown), killed with SIGKILL (`cluster kill`), bounced cleanly and bounced hard (`cluster start` right
 * after), each time on a broker that is not the active controller (the metadata quorum's leader, which
 * `cluster quorum --json` names: losing it is controller-quorum.test.ts's subject). Then a follower is paused
 * with SIGSTOP: it leaves the ISR and rejoins after SIGCONT, as in Kafka's replication_replica_failure_test.py. At the end every acknowledged record is consumed;
 * duplicates (allowed without idempotence) are counted and printed.
 *
 * One cluster for all of it, with Kafka's settings shortened so faults are noticed in seconds:
 * broker.session.timeout.ms 5000 (9000), replica.lag.time.max.ms 2000 (30000), and the preferred-leader
 * check every 2 s (300 s), so leadership spreads back over the brokers between faults. Each step prints how
 * long it took; the last prints acknowledged, failed, written, consumed, missing and duplicated records.
 */
import { writeFileSync } from 'node:fs';
import { Admin, systemClientRuntime, type PartitionDescription } from '@kactor/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAckedProducer, type AckedProducer } from './support/acked-producer.js';
import { clusterControl, elapsedLogger, eventually, jsonLines, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';

const topic = 'replicated';
const brokerIds = [0, 1, 2];
/** Records the producer must get acknowledged after each fault, so the cluster is shown to carry on. */
const progressRecords = 200;
const log = elapsedLogger();

describe('replication and failover with real brokers (replication_test.py)', { timeout: 240_000 }, () => {
  const dataDir = temporaryDirectory('e2e-replication');
  let cluster: RunningCluster;
  let admin: Admin;
  let producer: AckedProducer;
  const control = async (command: 'kill' | 'stop' | 'start', brokerId: number) => {
    const started = Date.now();
    await clusterControl(dataDir.path, command, brokerId);
    log(`cluster ${command} ${brokerId}: ${Date.now() - started} ms`);
  };
  const partitions = async (): Promise<readonly PartitionDescription[]> => {
    const [description] = await admin.describeTopics([topic], { timeoutMs: 5_000 });
    if (description === undefined || description.error !== null) throw new Error(`describe ${topic}: ${String(description?.error)}`);
    return description.partitions;
  };
  /** Waits for the partitions to pass `check`; a failure shows the state last seen. */
  const until = async (check: (all: readonly PartitionDescription[]) => boolean, description: string, timeoutMs = 30_000) => {
    let last: readonly PartitionDescription[] = [];
    const started = Date.now();
    try {
      await eventually(async () => (check((last = await partitions())) ? true : undefined), timeoutMs, description);
    } catch (error) {
      const state = last.map((entry) => `${entry.partition}: leader ${entry.leader} epoch ${entry.leaderEpoch} replicas [${entry.replicas.join(',')}] isr [${entry.isr.join(',')}]`);
      throw new Error(`${(error as Error).message}; last seen ${state.join('; ')}`, { cause: error });
    }
    log(`${description}: ${Date.now() - started} ms`);
  };
  /** The node leading the metadata quorum now (every node of the cluster is a voter). */
  const activeController = async (): Promise<number> => {
    const result = await kactor(['cluster', 'quorum', '--json', '--data-dir', dataDir.path], { timeoutMs: 30_000 });
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { leaderId: number }).leaderId;
  };
  /** The leader of some partition that is not the active controller (Kafka's test chases "the leader"). */
  const leaderNotController = async () => {
    const controllerBrokerId = await activeController();
    const all = await partitions();
    const found = all.find((partition) => partition.leader !== -1 && partition.leader !== controllerBrokerId);
    if (found === undefined) throw new Error(`no partition led by a broker other than ${controllerBrokerId}: ${JSON.stringify(all)}`);
    return { partition: found.partition, leader: found.leader, leaderEpoch: found.leaderEpoch };
  };
  const fullyReplicated = (all: readonly PartitionDescription[]) => all.every((partition) => partition.leader !== -1 && partition.isr.length === brokerIds.length);
  const movedAway = (brokerId: number, partition: number, leaderEpoch: number) => (all: readonly PartitionDescription[]) =>
    all.every((entry) => entry.leader !== -1 && entry.leader !== brokerId && !entry.isr.includes(brokerId) && entry.isr.length >= 2) &&
    (all.find((entry) => entry.partition === partition)?.leaderEpoch ?? -1) > leaderEpoch;

  beforeAll(async () => {
    cluster = await startCluster({
      brokers: brokerIds.length,
      dataDir: dataDir.path,
      extraArgs: [
        ...['broker.session.timeout.ms=5000', 'broker.heartbeat.interval.ms=500', 'replica.lag.time.max.ms=2000', 'leader.imbalance.check.interval.seconds=2'].flatMap((entry) => ['--override', entry]),
      ],
    });
    admin = Admin.create({ 'bootstrap.servers': cluster.bootstrap, 'request.timeout.ms': 3_000 }, systemClientRuntime());
    const created = await kactor(['topics', 'create', topic, '--partitions', '3', '--replication-factor', '3', '--config', 'min.insync.replicas=2', '--bootstrap-server', cluster.bootstrap]);
    expect(created.code, created.stderr).toBe(0);
    await until(fullyReplicated, 'every partition led with 3 replicas in sync');
    producer = startAckedProducer({ bootstrap: cluster.bootstrap, topic, partitions: 3, concurrency: 9, pauseMs: 20 });
    await producer.ackedMore(progressRecords, 30_000, 'before any fault');
  }, 120_000);

  afterAll(async () => {
    await producer?.stop().catch(() => undefined);
    await admin?.close();
    await cluster?.stop('SIGINT');
    // KACTOR_E2E_CLUSTER_LOG=FILE keeps the brokers' log of the run, to see what a failing wait waited for.
    if (process.env.KACTOR_E2E_CLUSTER_LOG !== undefined) writeFileSync(process.env.KACTOR_E2E_CLUSTER_LOG, cluster?.output().stderr ?? '');
    dataDir.remove();
  });

  it('cluster up names the metadata quorum\'s voters and says how soon preferred leaders return', () => {
    const { stderr } = cluster.output();
    expect(stderr).toContain('metadata quorum: voters 0,1,2 (controller.quorum.voters); any one of them can be killed, a new leader is elected');
    expect(stderr).toContain("preferred leaders return within leader.imbalance.check.interval.seconds=2 s (Kafka's default is 300 s)");
  });

  it('clean shutdown and bounce of a leader (cluster stop, then start): leadership moves under a new leader epoch, acks=all carries on, it rejoins the ISR', async () => {
    const { partition, leader, leaderEpoch } = await leaderNotController();
    await control('stop', leader);
    await until(movedAway(leader, partition, leaderEpoch), `the partitions to leave broker ${leader} after its controlled shutdown`);
    await producer.ackedMore(progressRecords, 30_000, `with broker ${leader} stopped`);
    await control('start', leader);
    await until(fullyReplicated, `broker ${leader} back in every ISR`);
  });

  it('hard shutdown of a leader (cluster kill, SIGKILL): the controller fences it and elects from the ISR, acks=all carries on; started, it rejoins the ISR', async () => {
    const { partition, leader, leaderEpoch } = await leaderNotController();
    await control('kill', leader);
    await until(movedAway(leader, partition, leaderEpoch), `the partitions to leave broker ${leader} once it is fenced`);
    // What a user sees: every partition led by a live broker, the dead one offline and out of the ISR, and a Status.
    const [described, atOrUnderMinIsr] = await Promise.all([
      kactor(['topics', 'describe', topic, '--bootstrap-server', cluster.bootstrap]),
      kactor(['topics', 'describe', topic, '--at-min-isr-partitions', '--under-min-isr-partitions', '--json', '--bootstrap-server', cluster.bootstrap]),
    ]);
    expect(described.code, described.stderr).toBe(0);
    // Two of three replicas in sync with min.insync.replicas=2: every partition is one lost replica away from refusing acks=all.
    expect(atOrUnderMinIsr.code, atOrUnderMinIsr.stderr).toBe(0);
    expect(jsonLines<{ partitions: Array<{ partition: number }> }>(atOrUnderMinIsr.stdout)[0]?.partitions.map((entry) => entry.partition)).toEqual([0, 1, 2]);
    const partitionLines = described.stdout.split('\n').filter((line) => line.startsWith('\tTopic:'));
    expect(partitionLines).toHaveLength(3);
    for (const line of partitionLines) {
      const fields = Object.fromEntries(line.trim().split('\t').map((field) => field.split(': ') as [string, string]));
      expect(Object.keys(fields)).toEqual(['Topic', 'Partition', 'Leader', 'LeaderEpoch', 'Replicas', 'Isr', 'Offline', 'LogStartOffset', 'LogEndOffset', 'HighWatermark', 'Status']);
      expect(fields.Leader).not.toBe(String(leader));
      expect(fields.Isr?.split(',')).not.toContain(String(leader));
      expect(fields.Offline).toBe(String(leader));
      // A loaded machine may also drop a slow follower for a moment (under-min-isr too): under-replicated either way.
      expect(fields.Status).toMatch(/^(under-min-isr,)?under-replicated$/);
    }
    await producer.ackedMore(progressRecords, 30_000, `with broker ${leader} killed`);
    await control('start', leader);
    await until(fullyReplicated, `broker ${leader} back in every ISR`);
  });

  it('hard bounce of a leader (cluster kill, then start): it truncates what it must, catches up and rejoins the ISR', async () => {
    const { partition, leader, leaderEpoch } = await leaderNotController();
    await control('kill', leader);
    await control('start', leader);
    // Restarted without a controlled shutdown, it is a new incarnation: its partitions get a new leader epoch.
    await until((all) => fullyReplicated(all) && (all.find((entry) => entry.partition === partition)?.leaderEpoch ?? -1) > leaderEpoch, `broker ${leader} back in every ISR after its hard bounce`);
    await producer.ackedMore(progressRecords, 30_000, `after the hard bounce of broker ${leader}`);
  });

  it('a follower paused with SIGSTOP is dropped from the ISR by its leaders after replica.lag.time.max.ms, acks=all carries on, and it rejoins after SIGCONT', async () => {
    const controllerBrokerId = await activeController();
    const paused = brokerIds.find((brokerId) => brokerId !== controllerBrokerId)!;
    const pid = cluster.brokerPid(paused);
    const logBefore = cluster.output().stderr.length;
    process.kill(pid, 'SIGSTOP');
    try {
      await until((all) => all.every((partition) => !partition.isr.includes(paused) && partition.leader !== paused && partition.leader !== -1), `paused broker ${paused} to leave every ISR`);
      await producer.ackedMore(progressRecords, 30_000, `with broker ${paused} paused`);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // A leader's own lag check removed it (AlterPartition), before the controller fenced the silent broker for its
    // missed heartbeats: replica.lag.time.max.ms (2 s) is shorter than broker.session.timeout.ms (5 s).
    const shrinks = [...cluster.output().stderr.slice(logBefore).matchAll(/proposing an ISR shrink \{"isr":\[([\d,]*)\],"proposedIsr":\[([\d,]*)\]/g)];
    const dropped = shrinks.filter(([, isr, proposed]) => isr!.split(',').includes(String(paused)) && !proposed!.split(',').includes(String(paused)));
    expect(dropped.length, cluster.output().stderr.slice(logBefore)).toBeGreaterThan(0);
    await until(fullyReplicated, `broker ${paused} back in every ISR after SIGCONT`);
  });

  it('every acknowledged record is consumed (duplicates counted and printed), and preferred leaders are back', async () => {
    await producer.stop();
    // With the producer stopped, every replica ends up with the whole log committed (HW = LEO): the offsets read then
    // are the leader's, even from a node whose metadata still names the previous leader of a partition.
    await until(
      (all) => fullyReplicated(all) && all.every((partition) => partition.leader === partition.replicas[0] && partition.highWatermark === partition.logEndOffset),
      'preferred leaders to lead again, every record committed',
    );
    const all = await partitions();
    const written = all.reduce((sum, partition) => sum + partition.highWatermark - partition.logStartOffset, 0);
    const consumed = await kactor(['consume', topic, '--offset', 'earliest', '--max-messages', String(written), '--timeout-ms', '15000', '--bootstrap-server', cluster.bootstrap], { timeoutMs: 90_000 });
    expect(consumed.code, consumed.stderr).toBe(0);
    const values = consumed.stdout.split('\n').filter((line) => line !== '');
    const seen = new Set(values);
    const missing = [...producer.acked].filter((value) => !seen.has(value));
    const duplicates = values.length - seen.size;
    console.log(`replication e2e: acknowledged ${producer.acked.size}, failed sends ${producer.failed()}, written ${written}, consumed ${values.length}, missing ${missing.length}, duplicates ${duplicates}`);
    expect(values.length).toBe(written);
    expect(missing).toEqual([]);
    expect(producer.acked.size).toBeGreaterThanOrEqual(progressRecords * 5);
  });

  it('topics create --replica-assignment places each partition on the brokers named, the first one leading (kafka-topics.sh)', async () => {
    const created = await kactor(['topics', 'create', 'placed', '--replica-assignment', '2:1:0,1:0:2', '--bootstrap-server', cluster.bootstrap]);
    expect(created.code, created.stderr).toBe(0);
    const described = await kactor(['topics', 'describe', 'placed', '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(described.code, described.stderr).toBe(0);
    const placed = JSON.parse(described.stdout) as { replicationFactor: number; partitions: Array<{ leader: number; replicas: number[] }> };
    expect(placed.replicationFactor).toBe(3);
    expect(placed.partitions.map(({ leader, replicas }) => ({ leader, replicas }))).toEqual([
      { leader: 2, replicas: [2, 1, 0] },
      { leader: 1, replicas: [1, 0, 2] },
    ]);
    const refused = await kactor(['topics', 'create', 'misplaced', '--replica-assignment', '0:9', '--bootstrap-server', cluster.bootstrap]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/INVALID_REPLICA_ASSIGNMENT.*broker 9, which is not registered/);
  });
});
