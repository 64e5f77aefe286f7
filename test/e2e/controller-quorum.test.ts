/**
 * The KRaft controller quorum with real processes (issue 12): three nodes, each a broker and a voter of the
 * `__cluster_metadata` quorum. A producer sends with acks=all to a topic with replication factor 3 the whole time.
 *
 * 1. The active controller is killed with SIGKILL while topics are being created: a new leader is elected within a
 *    few `controller.quorum.election.timeout.ms`, topic creation goes on, and the killed node, started again, rejoins
 *    the quorum as a follower and catches up.
 * 2. Two of the three voters are killed: the quorum has no leader (`cluster quorum` says so in one line, exit code 1)
 *    and no metadata change is accepted; when one returns a leader is elected and everything carries on.
 * At the end every acknowledged record is consumed and every topic whose creation was acknowledged exists.
 * Also: `kactor broker` with `controller.quorum.voters` refuses `--controller`, and a data directory of another cluster.
 *
 * What a user runs goes through the CLI (`cluster kill|start|quorum`, `topics create`, `consume`); the waits in
 * between ask the quorum through one in-process Admin, which answers in milliseconds where a CLI process takes
 * seconds to start, so the file stays lean. Kafka's settings are shortened so faults are noticed in seconds:
 * broker.session.timeout.ms 5000 (9000), broker.heartbeat.interval.ms 500 (2000); the quorum keeps Kafka's
 * defaults (election timeout 1 s, fetch timeout 2 s).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileMetaPropertiesStore } from '@kactor/broker';
import { Admin, NoQuorumLeaderError, systemClientRuntime, type QuorumInfo } from '@kactor/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAckedProducer, type AckedProducer } from './support/acked-producer.js';
import { clusterControl, elapsedLogger, eventually, jsonLines, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';

interface QuorumJson {
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  voters: Array<{ replicaId: number; logEndOffset: number }>;
  observers: Array<{ replicaId: number; logEndOffset: number }>;
}

const topic = 'quorum-orders';
const voterIds = [0, 1, 2];
const log = elapsedLogger();

describe('the KRaft controller quorum with real processes', { timeout: 180_000 }, () => {
  const dataDir = temporaryDirectory('e2e-quorum');
  let cluster: RunningCluster;
  let admin: Admin;
  let producer: AckedProducer;
  const createdTopics: string[] = [];

  const control = (command: 'kill' | 'start', brokerId: number) => clusterControl(dataDir.path, command, brokerId);
  /** `cluster quorum --json` as a user runs it; a few seconds to find the leader, so no leader is an answer, not a long wait. */
  const quorumCommand = async (): Promise<{ code: number | null; json: QuorumJson | undefined; stderr: string }> => {
    const result = await kactor(['cluster', 'quorum', '--json', '--timeout-ms', '5000', '--data-dir', dataDir.path], { timeoutMs: 30_000 });
    let json: QuorumJson | undefined;
    try {
      json = JSON.parse(result.stdout) as QuorumJson;
    } catch {
      json = undefined;
    }
    return { code: result.code, json, stderr: result.stderr };
  };
  /** The quorum as its leader describes it, or null when no node leads. */
  const describeQuorum = async (): Promise<QuorumInfo | null> => {
    try {
      return await admin.describeMetadataQuorum({ timeoutMs: 4_000 });
    } catch (error) {
      if (error instanceof NoQuorumLeaderError) return null;
      throw error;
    }
  };
  const leaderOtherThan = (than: number) => async () => {
    const quorum = await describeQuorum();
    return quorum !== null && quorum.leaderId >= 0 && quorum.leaderId !== than ? quorum : undefined;
  };
  const allCaughtUp = async () => {
    const quorum = await describeQuorum();
    return quorum !== null && quorum.highWatermark > 0 && quorum.voters.every((voter) => voter.logEndOffset >= quorum.highWatermark) ? quorum : undefined;
  };
  /** Through the CLI, replication factor 2 unless told: with one of the three nodes down and fenced a factor of 3 cannot be placed, as in Kafka. */
  const createTopic = async (name: string, timeoutMs = 30_000, replicationFactor = 2) => {
    const result = await kactor(['topics', 'create', name, '--partitions', '1', '--replication-factor', String(replicationFactor), '--bootstrap-server', cluster.bootstrap], { timeoutMs });
    if (result.code === 0) createdTopics.push(name);
    return result;
  };
  const topicNames = async () => new Set((await admin.listTopics({ timeoutMs: 10_000 })).map((listing) => listing.name));

  beforeAll(async () => {
    cluster = await startCluster({
      brokers: 3,
      dataDir: dataDir.path,
      extraArgs: ['broker.session.timeout.ms=5000', 'broker.heartbeat.interval.ms=500'].flatMap((entry) => ['--override', entry]),
    });
    admin = Admin.create({ 'bootstrap.servers': cluster.bootstrap, 'request.timeout.ms': 2_000 }, systemClientRuntime());
    const created = await createTopic(topic, 30_000, 3);
    expect(created.code, created.stderr).toBe(0);
    producer = startAckedProducer({ bootstrap: cluster.bootstrap, topic, concurrency: 5, pauseMs: 20 });
    await producer.ackedMore(100, 30_000, 'before any fault');
  }, 120_000);

  afterAll(async () => {
    await producer?.stop().catch(() => undefined);
    await admin?.close();
    await cluster?.stop('SIGINT');
    if (process.env.KACTOR_E2E_CLUSTER_LOG !== undefined) writeFileSync(process.env.KACTOR_E2E_CLUSTER_LOG, cluster?.output().stderr ?? '');
    dataDir.remove();
  });

  it('cluster quorum names a leader among three voters, every one caught up', async () => {
    await eventually(allCaughtUp, 20_000, 'a leader with three caught-up voters');
    const [described, text] = await Promise.all([quorumCommand(), kactor(['cluster', 'quorum', '--data-dir', dataDir.path])]);
    expect(described.code, described.stderr).toBe(0);
    expect(described.json?.leaderId).toBeGreaterThanOrEqual(0);
    expect(described.json?.voters.map((voter) => voter.replicaId).sort()).toEqual(voterIds);
    expect(described.json?.observers).toEqual([]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^LeaderId: +\d+$/m);
  });

  it('kill -9 the active controller while topics are created: a new leader within a few election timeouts, creation goes on, the node rejoins', async () => {
    const before = (await describeQuorum())!;
    const killed = before.leaderId;
    const creating = (async () => {
      for (let index = 0; index < 2; index += 1) await createTopic(`during-failover-${index}`);
    })();
    const killedAt = Date.now();
    await control('kill', killed);
    const after = await eventually(leaderOtherThan(killed), 15_000, `a leader other than node ${killed}`, 100);
    log(`new leader ${after.leaderId} (epoch ${after.leaderEpoch}) ${Date.now() - killedAt} ms after killing node ${killed}`);
    expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
    await creating;
    // What a user sees: topics create answered, and the new leader under a later epoch.
    const [created, seen] = await Promise.all([
      createTopic('after-failover').then((result) => {
        log(`topics create after the failover answered ${Date.now() - killedAt} ms after the kill`);
        return result;
      }),
      quorumCommand(),
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(seen.code, seen.stderr).toBe(0);
    expect(seen.json?.leaderId).not.toBe(killed);
    expect(seen.json?.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
    await Promise.all([producer.ackedMore(100, 30_000, `with node ${killed} killed`), control('start', killed)]);
    const rejoined = await eventually(allCaughtUp, 30_000, `node ${killed} caught up with the quorum again`);
    expect(rejoined.voters.find((voter) => voter.replicaId === killed)?.logEndOffset).toBeGreaterThanOrEqual(rejoined.highWatermark);
  });

  it('with two of three voters killed there is no leader and no metadata change; one back and everything carries on', async () => {
    const { leaderId } = (await describeQuorum())!;
    const keep = voterIds.find((id) => id !== leaderId)!;
    const killed = voterIds.filter((id) => id !== keep);
    const messages = await Promise.all(killed.map((id) => control('kill', id)));
    // The second kill leaves one voter of three: cluster kill says the quorum lost its majority.
    expect(messages.join('')).toMatch(/the metadata quorum lost its majority \(1 of 3 voters running, 2 needed\)/);
    await eventually(async () => ((await describeQuorum()) === null ? true : undefined), 20_000, 'the quorum to have no leader');
    // No metadata change without a leader: the create fails (or throws once its time is up).
    const [answer, refused] = await Promise.all([
      quorumCommand(),
      admin.createTopics([{ name: 'without-majority', numPartitions: 1, replicationFactor: 1 }], { timeoutMs: 3_000 }).then(
        ([result]) => result?.error ?? null,
        (error: unknown) => error,
      ),
    ]);
    expect(refused).not.toBeNull();
    expect(answer.code).toBe(1);
    // One line of its own (a client's warnings about the dead nodes may come before it), and no stack trace.
    expect(answer.stderr.split('\n').filter((line) => line.startsWith('kactor cluster quorum:'))).toEqual([expect.stringMatching(/no leader/i)]);
    expect(answer.stderr).not.toMatch(/\n\s+at /);
    expect(answer.json?.leaderId).toBe(-1);
    await control('start', killed[0]!);
    await eventually(async () => ((await describeQuorum())?.leaderId ?? -1) >= 0 || undefined, 30_000, 'a leader once a majority is back', 100);
    const [created] = await Promise.all([createTopic('majority-back'), control('start', killed[1]!)]);
    expect(created.code, created.stderr).toBe(0);
    expect((await topicNames()).has('without-majority')).toBe(false);
    await eventually(allCaughtUp, 30_000, 'every voter caught up once all are back');
  });

  it('nothing acknowledged is lost: every acked record is consumed and every created topic exists', async () => {
    await producer.stop();
    const names = await topicNames();
    expect(createdTopics.filter((name) => !names.has(name))).toEqual([]);
    // Everything the partition holds (a retried send without idempotence may be there twice), read to its high watermark.
    const described = await kactor(['topics', 'describe', topic, '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(described.code, described.stderr).toBe(0);
    const [partition] = jsonLines<{ partitions: Array<{ highWatermark: number; logStartOffset: number }> }>(described.stdout)[0]!.partitions;
    const written = partition!.highWatermark - partition!.logStartOffset;
    const consumed = await kactor(['consume', topic, '--offset', 'earliest', '--max-messages', String(written), '--timeout-ms', '15000', '--bootstrap-server', cluster.bootstrap], { timeoutMs: 90_000 });
    expect(consumed.code, consumed.stderr).toBe(0);
    const values = consumed.stdout.split('\n').filter((line) => line !== '');
    const seen = new Set(values);
    const missing = [...producer.acked].filter((value) => !seen.has(value));
    log(`quorum e2e: acknowledged ${producer.acked.size}, failed sends ${producer.failed()}, written ${written}, consumed ${values.length}, missing ${missing.length}, topics created ${createdTopics.length}`);
    expect(values.length).toBe(written);
    expect(missing).toEqual([]);
  });

  it('kactor broker with controller.quorum.voters refuses --controller, and a data directory of another cluster, each in one line', async () => {
    const voters = ['--override', `controller.quorum.voters=0@127.0.0.1:${cluster.basePort}`];
    const otherCluster = join(dataDir.path, 'other-cluster');
    mkdirSync(otherCluster);
    new FileMetaPropertiesStore(otherCluster).write({ nodeId: 5, clusterId: 'the-other-cluster' });
    const [withController, wrongCluster] = await Promise.all([
      kactor(['broker', '--id', '5', '--port', '0', '--data-dir', join(dataDir.path, 'unused'), '--controller', `ws://127.0.0.1:${cluster.basePort}`, ...voters]),
      kactor(['broker', '--id', '5', '--port', '0', '--data-dir', otherCluster, '--cluster-id', 'this-cluster', '--cluster-secret-file', join(dataDir.path, 'cluster.secret'), ...voters]),
    ]);
    expect(withController.code).toBe(1);
    expect(withController.stderr).toBe('kactor broker: --controller is for a cluster with one controller; with controller.quorum.voters every node finds the quorum leader itself\n');
    expect(wrongCluster.code).toBe(1);
    expect(wrongCluster.stderr).toBe('kactor broker: the data directory belongs to cluster the-other-cluster, not this-cluster\n');
  });
});
