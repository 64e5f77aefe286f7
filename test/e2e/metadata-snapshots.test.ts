/**
 * Metadata snapshots (KIP-630) with real processes and real files: three KRaft nodes with a small
 * `metadata.log.max.record.bytes.between.snapshots`. While one node is killed (SIGKILL) topics are created; the
 * others write `<endOffset>-<epoch>.checkpoint` files beside `__cluster_metadata-0` and move their log start up to
 * them; the killed node, started again, is behind that log start, reads the leader's snapshot (FetchSnapshot),
 * installs it and serves every topic from its own metadata. The broker session is shortened (3 s, heartbeats every
 * 500 ms) so the killed node is fenced soon: until then a topic create waits for it to apply the records.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin, systemClientRuntime } from '@kactor/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kactor, startCluster, temporaryDirectory, type RunningCluster } from './support/cli.js';

const SNAPSHOT_FILE = /^\d{20}-\d{10}\.checkpoint$/;

describe('metadata snapshots with real processes (KIP-630)', { timeout: 120_000 }, () => {
  const dataDir = temporaryDirectory('e2e-snapshots');
  let cluster: RunningCluster;
  const metadataDir = (brokerId: number) => join(dataDir.path, `broker-${brokerId}`, '__cluster_metadata-0');
  const snapshotsOf = (brokerId: number) => (existsSync(metadataDir(brokerId)) ? readdirSync(metadataDir(brokerId)).filter((name) => SNAPSHOT_FILE.test(name)).sort() : []);
  /** The log start a node wrote when it moved it up to a snapshot (0 when it never did). */
  const logStartOf = (brokerId: number) => {
    const file = join(metadataDir(brokerId), 'log-start-offset');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim().split(/\s+/).at(-1)) : 0;
  };
  const control = async (command: 'kill' | 'start', brokerId: number) => {
    const result = await kactor(['cluster', command, String(brokerId), '--data-dir', dataDir.path], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
  };
  let admin: Admin;
  /** In-process (a CLI process takes seconds to start; the CLI's topics create is covered elsewhere). */
  const createTopic = async (name: string) => {
    const [result] = await admin.createTopics([{ name, numPartitions: 1, replicationFactor: 2 }], { timeoutMs: 20_000 });
    // A create retried after a controller change may find its first attempt committed.
    const error = result?.error as { errorName?: string } | undefined;
    if (error?.errorName !== 'TOPIC_ALREADY_EXISTS') expect(error ?? null).toBeNull();
  };

  beforeAll(async () => {
    cluster = await startCluster({ brokers: 3, dataDir: dataDir.path, extraArgs: ['metadata.log.max.record.bytes.between.snapshots=400', 'broker.session.timeout.ms=3000', 'broker.heartbeat.interval.ms=500'].flatMap((entry) => ['--override', entry]) });
    admin = Admin.create({ 'bootstrap.servers': cluster.bootstrap, 'request.timeout.ms': 5_000 }, systemClientRuntime());
  }, 90_000);

  afterAll(async () => {
    await admin?.close();
    await cluster?.stop('SIGINT');
    dataDir.remove();
  });

  it('a node killed while the others snapshot and clean their logs comes back through the leader\'s snapshot and knows every topic', async () => {
    await createTopic('before');
    // A follower of the quorum (killing the leader is the quorum test's; here no failover slows the test down).
    const { leaderId } = await eventually(async () => (await admin.describeMetadataQuorum({ timeoutMs: 4_000 }).catch(() => undefined)) ?? undefined, 20_000, 'a quorum leader');
    const killed = [0, 1, 2].find((id) => id !== leaderId)!;
    const running = [0, 1, 2].filter((id) => id !== killed);
    await control('kill', killed);
    const names = ['before', ...Array.from({ length: 4 }, (_, i) => `while-down-${i}`)];
    for (const name of names.slice(1)) await createTopic(name);
    const killedSnapshots = snapshotsOf(killed);
    // The two running nodes wrote snapshot files and moved their log start past everything the killed node holds.
    await eventually(async () => (running.every((id) => snapshotsOf(id).length > 0 && logStartOf(id) > logStartOf(killed)) ? true : undefined), 30_000, 'snapshots on the running nodes').catch((error: unknown) => {
      throw new Error(`${String(error)}: snapshots ${JSON.stringify([0, 1, 2].map(snapshotsOf))}, log starts ${[0, 1, 2].map(logStartOf).join(' ')}\n${cluster.output().stderr.split('\n').filter((line) => /snapshot|log start/i.test(line)).slice(-20).join('\n')}`);
    });
    await control('start', killed);
    // Its own metadata (bootstrapped to it alone) lists every topic, and it now holds a snapshot it did not write itself.
    const ownAdmin = Admin.create({ 'bootstrap.servers': `ws://127.0.0.1:${cluster.basePort + killed}`, 'request.timeout.ms': 2_000 }, systemClientRuntime());
    try {
      await eventually(async () => {
        const listed = new Set((await ownAdmin.listTopics({ timeoutMs: 5_000 }).catch(() => [])).map((listing) => listing.name));
        return names.every((name) => listed.has(name)) ? true : undefined;
      }, 30_000, `node ${killed} knows every topic`);
    } finally {
      await ownAdmin.close();
    }
    const fetched = snapshotsOf(killed).filter((name) => !killedSnapshots.includes(name));
    expect(fetched.length).toBeGreaterThan(0);
    expect(logStartOf(killed)).toBeGreaterThan(0);
  });
});
