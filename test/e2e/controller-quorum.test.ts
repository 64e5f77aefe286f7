/**
 * The KRaft controller quorum with real processes (issue 12): three nodes, each a broker and a voter of the
 * `__cluster_metadata` quorum. A producer sends with acks=all to a topic with replication factor 3 the whole time.
 *
 * 1. The active controller is killed with SIGKILL while topics are being created: a new leader is elected within a
 *    few `controller.quorum.election.timeout.ms`, topic creation goes on, the dead broker is fenced and its partitions
 *    move, and the killed node, started again, rejoins the quorum as a follower and catches up.
 * 2. Two of the three voters are killed: the quorum has no leader (`cluster quorum` says so) and no metadata change is
 *    accepted; when one returns a leader is elected and everything carries on.
 * At the end every acknowledged record is consumed and every topic whose creation was acknowledged exists.
 * Also: `kactor broker` with `controller.quorum.voters` refuses `--controller`, and a data directory of another cluster.
 *
 * Kafka's settings are shortened so faults are noticed in seconds: broker.session.timeout.ms 5000 (9000),
 * broker.heartbeat.interval.ms 500 (2000); the quorum keeps Kafka's defaults (election timeout 1 s, fetch timeout 2 s).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileMetaPropertiesStore } from '@kactor/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAckedProducer, type AckedProducer } from './support/acked-producer.js';
import { eventually, jsonLines, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';

interface QuorumJson {
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  voters: Array<{ replicaId: number; logEndOffset: number }>;
  observers: Array<{ replicaId: number; logEndOffset: number }>;
}

const topic = 'quorum-orders';
const testStarted = Date.now();
const log = (message: string) => console.log(`[${((Date.now() - testStarted) / 1000).toFixed(1)} s] ${message}`);

describe('the KRaft controller quorum with real processes', { timeout: 240_000 }, () => {
  const dataDir = temporaryDirectory('e2e-quorum');
  let cluster: RunningCluster;
  let producer: AckedProducer;
  const createdTopics: string[] = [];

  const control = async (command: 'kill' | 'stop' | 'start', brokerId: number) => {
    const result = await kactor(['cluster', command, String(brokerId), '--data-dir', dataDir.path], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
  };
  const quorum = async (): Promise<{ code: number | null; json: QuorumJson | undefined; stderr: string }> => {
    // A few seconds to find the leader: without one, the answer is that there is none, not a long wait.
    const result = await kactor(['cluster', 'quorum', '--json', '--timeout-ms', '5000', '--data-dir', dataDir.path], { timeoutMs: 30_000 });
    let json: QuorumJson | undefined;
    try {
      json = JSON.parse(result.stdout) as QuorumJson;
    } catch {
      json = undefined;
    }
    return { code: result.code, json, stderr: result.stderr };
  };
  /** Replication factor 2 unless told: with one of the three nodes down (and fenced) a factor of 3 cannot be placed, as in Kafka. */
  const createTopic = async (name: string, timeoutMs = 20_000, replicationFactor = 2) => {
    const result = await kactor(['topics', 'create', name, '--partitions', '1', '--replication-factor', String(replicationFactor), '--bootstrap-server', cluster.bootstrap], { timeoutMs });
    if (result.code === 0) createdTopics.push(name);
    return result;
  };
  const topicNames = async () => {
    const listed = await kactor(['topics', 'list', '--bootstrap-server', cluster.bootstrap]);
    expect(listed.code, listed.stderr).toBe(0);
    return new Set(listed.stdout.split('\n').filter((line) => line !== ''));
  };
  const leaderOther = (than: number) => async () => {
    const { json } = await quorum();
    return json !== undefined && json.leaderId >= 0 && json.leaderId !== than ? json : undefined;
  };

  beforeAll(async () => {
    cluster = await startCluster({
      brokers: 3,
      dataDir: dataDir.path,
      extraArgs: ['broker.session.timeout.ms=5000', 'broker.heartbeat.interval.ms=500'].flatMap((entry) => ['--override', entry]),
    });
    const created = await createTopic(topic, 20_000, 3);
    expect(created.code, created.stderr).toBe(0);
    producer = startAckedProducer({ bootstrap: cluster.bootstrap, topic, concurrency: 5, pauseMs: 20 });
    await producer.ackedMore(100, 30_000, 'before any fault');
  }, 120_000);

  afterAll(async () => {
    await producer?.stop().catch(() => undefined);
    await cluster?.stop('SIGINT');
    if (process.env.KACTOR_E2E_CLUSTER_LOG !== undefined) writeFileSync(process.env.KACTOR_E2E_CLUSTER_LOG, cluster?.output().stderr ?? '');
    dataDir.remove();
  });

  it('cluster quorum names a leader among three voters, every one caught up', async () => {
    const described = await eventually(async () => {
      const { json } = await quorum();
      return json !== undefined && json.leaderId >= 0 && json.voters.every((voter) => voter.logEndOffset === json.voters[0]?.logEndOffset) ? json : undefined;
    }, 20_000, 'a leader with three caught-up voters');
    expect(described.voters.map((voter) => voter.replicaId).sort()).toEqual([0, 1, 2]);
    expect(described.observers).toEqual([]);
    const text = await kactor(['cluster', 'quorum', '--data-dir', dataDir.path]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`LeaderId:`);
  });

  it('kill -9 the active controller while topics are created: a new leader within a few election timeouts, creation goes on, the node rejoins', async () => {
    const before = (await quorum()).json!;
    const killed = before.leaderId;
    const creating = (async () => {
      for (let index = 0; index < 5; index += 1) await createTopic(`during-failover-${index}`, 30_000);
    })();
    const killedAt = Date.now();
    await control('kill', killed);
    const after = await eventually(leaderOther(killed), 15_000, `a leader other than node ${killed}`);
    log(`new leader ${after.leaderId} (epoch ${after.leaderEpoch}) ${Date.now() - killedAt} ms after killing node ${killed}`);
    expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
    await creating;
    const created = await createTopic('after-failover');
    expect(created.code, created.stderr).toBe(0);
    log(`first topics create after the failover answered ${Date.now() - killedAt} ms after the kill`);
    await producer.ackedMore(100, 30_000, `with node ${killed} killed`);
    await control('start', killed);
    await eventually(async () => {
      const { json } = await quorum();
      const rejoined = json?.voters.find((voter) => voter.replicaId === killed);
      return json !== undefined && rejoined !== undefined && rejoined.logEndOffset >= json.highWatermark ? true : undefined;
    }, 30_000, `node ${killed} caught up with the quorum again`);
  });

  it('with two of three voters killed there is no leader and no metadata change; one back and everything carries on', async () => {
    const { json } = await quorum();
    const survivors = [0, 1, 2].filter((id) => id !== json!.leaderId);
    const [keep] = survivors;
    const killed = [0, 1, 2].filter((id) => id !== keep);
    for (const id of killed) await control('kill', id);
    await eventually(async () => {
      const answer = await quorum();
      if (answer.code !== 0 && /no leader/i.test(answer.stderr)) return true;
      throw new Error(`cluster quorum exited ${answer.code}: ${answer.stderr.trim() || JSON.stringify(answer.json)}`);
    }, 30_000, 'cluster quorum to say the quorum has no leader');
    // Without a leader no metadata change is accepted: the create fails, or is still waiting when this gives up on it.
    const refused = await createTopic('without-majority', 10_000).catch(() => ({ code: null, stdout: '', stderr: 'still waiting after 10 s' }));
    expect(refused.code).not.toBe(0);
    await control('start', killed[0]!);
    await eventually(async () => ((await quorum()).json?.leaderId ?? -1) >= 0 || undefined, 30_000, 'a leader once a majority is back');
    const created = await createTopic('majority-back', 30_000);
    expect(created.code, created.stderr).toBe(0);
    await control('start', killed[1]!);
    expect((await topicNames()).has('without-majority')).toBe(false);
    await eventually(async () => {
      const { json: all } = await quorum();
      return all !== undefined && all.leaderId >= 0 && all.voters.every((voter) => voter.logEndOffset >= all.highWatermark) ? true : undefined;
    }, 30_000, 'every voter caught up once all are back');
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
