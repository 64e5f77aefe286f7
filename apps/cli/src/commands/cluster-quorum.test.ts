import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoQuorumLeaderError, type QuorumInfo } from '@kactor/client';
import { KafkaProtocolError } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { describeQuorumOutcome, quorumBootstrap, type QuorumAdmin } from './cluster-quorum.js';
import { writeClusterState } from './cluster-state.js';

const quorum: QuorumInfo = {
  leaderId: 0,
  leaderEpoch: 2,
  highWatermark: 9,
  voters: [
    { replicaId: 0, logEndOffset: 9, lag: 0, lastFetchTimestamp: 1_000, lastCaughtUpTimestamp: 1_000 },
    { replicaId: 1, logEndOffset: 9, lag: 0, lastFetchTimestamp: 990, lastCaughtUpTimestamp: 990 },
  ],
  observers: [],
};

/** A fake cluster's admin: the quorum it describes, or the failure it gives; the cluster id; the calls it got. */
function fakeAdmin(answer: QuorumInfo | Error, clusterId: string | Error = 'c-9'): QuorumAdmin & { calls: Array<{ call: string; timeoutMs: number | undefined }> } {
  const calls: Array<{ call: string; timeoutMs: number | undefined }> = [];
  return {
    calls,
    describeMetadataQuorum: async (options) => {
      calls.push({ call: 'describeMetadataQuorum', timeoutMs: options.timeoutMs });
      if (answer instanceof Error) throw answer;
      return answer;
    },
    describeCluster: async (options) => {
      calls.push({ call: 'describeCluster', timeoutMs: options.timeoutMs });
      if (clusterId instanceof Error) throw clusterId;
      return { clusterId };
    },
  };
}

describe('kactor cluster quorum', () => {
  it('exit 0 with the status and replication text, the cluster id from DescribeCluster, within --timeout-ms', async () => {
    const admin = fakeAdmin(quorum);
    const outcome = await describeQuorumOutcome(admin, { json: false, timeoutMs: 5_000 });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toMatch(/^ClusterId: +c-9\nLeaderId: +0\nLeaderEpoch: +2\nHighWatermark: +9\n/);
    expect(outcome.stdout).toMatch(/\n0 +9 +0 +1000 +1000 +Leader\n1 +9 +0 +990 +990 +Follower\n$/);
    expect(admin.calls).toEqual([
      { call: 'describeCluster', timeoutMs: 5_000 },
      { call: 'describeMetadataQuorum', timeoutMs: 5_000 },
    ]);
  });

  it('a cluster id that cannot be read does not fail the command', async () => {
    const outcome = await describeQuorumOutcome(fakeAdmin(quorum, KafkaProtocolError.from('NETWORK_EXCEPTION', 'node 0 is down')), { json: false, timeoutMs: 5_000 });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toMatch(/^ClusterId: +unknown\n/);
  });

  it('--json: one line with exactly the contract keys, exit 0', async () => {
    const outcome = await describeQuorumOutcome(fakeAdmin(quorum), { json: true, timeoutMs: 5_000 });
    expect(outcome.exitCode).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual({
      leaderId: 0,
      leaderEpoch: 2,
      highWatermark: 9,
      voters: quorum.voters,
      observers: [],
    });
    expect(outcome.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('no leader: one plain line and exit 1; with --json also the quorum with leaderId -1 and the latest epoch on stdout', async () => {
    const noLeader = new NoQuorumLeaderError(5, [0, 1, 2]);
    const line = 'kactor cluster quorum: the metadata quorum has no leader (asked nodes 0, 1, 2; latest epoch 5)\n';
    const text = await describeQuorumOutcome(fakeAdmin(noLeader), { json: false, timeoutMs: 5_000 });
    expect(text).toEqual({ exitCode: 1, stdout: '', stderr: line });
    const json = await describeQuorumOutcome(fakeAdmin(noLeader), { json: true, timeoutMs: 5_000 });
    expect(json.exitCode).toBe(1);
    expect(json.stderr).toBe(line);
    expect(JSON.parse(json.stdout)).toEqual({ leaderId: -1, leaderEpoch: 5, highWatermark: -1, voters: [], observers: [] });
  });

  it('other failures: one line with the Kafka error name, exit 1; nodes that refuse DescribeQuorum run no quorum', async () => {
    const timedOut = await describeQuorumOutcome(fakeAdmin(KafkaProtocolError.from('REQUEST_TIMED_OUT', 'describeMetadataQuorum timed out')), { json: true, timeoutMs: 5_000 });
    expect(timedOut).toEqual({ exitCode: 1, stdout: '', stderr: 'kactor cluster quorum: REQUEST_TIMED_OUT: describeMetadataQuorum timed out\n' });
    const refused = await describeQuorumOutcome(fakeAdmin(KafkaProtocolError.from('INVALID_REQUEST', 'describeQuorum is not served by brokers')), { json: false, timeoutMs: 5_000 });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe('kactor cluster quorum: the nodes run no KRaft metadata quorum (INVALID_REQUEST: describeQuorum is not served by brokers)\n');
  });
});

describe('kactor cluster quorum: where the cluster is', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const path of directories.splice(0)) rmSync(path, { recursive: true, force: true });
  });

  it("every running node of cluster up's cluster.json, so a killed node 0 is not needed; --bootstrap-server and KACTOR_BOOTSTRAP win", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kactor-quorum-'));
    directories.push(dataDir);
    expect(quorumBootstrap({ dataDir }, undefined)).toBeUndefined();
    writeClusterState(dataDir, { pid: 10, host: '127.0.0.2', brokers: [{ brokerId: 0, port: 9100, pid: null }, { brokerId: 1, port: 9101, pid: 11 }, { brokerId: 2, port: 9102, pid: 12 }] });
    expect(quorumBootstrap({ dataDir }, undefined)).toEqual(['ws://127.0.0.2:9101', 'ws://127.0.0.2:9102']);
    expect(quorumBootstrap({ dataDir, bootstrapServer: ['ws://h:1'] }, undefined)).toEqual(['ws://h:1']);
    expect(quorumBootstrap({ dataDir }, 'ws://env:2')).toBeUndefined();
  });
});
