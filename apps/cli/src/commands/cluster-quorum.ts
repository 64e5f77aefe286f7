/**
 * `kactor cluster quorum [--json]`: the KRaft metadata quorum as its leader describes it (DescribeQuorum,
 * Kafka's `kafka-metadata-quorum describe --status` and `--replication` in one output). It finds the cluster as
 * the other `cluster` commands do, from the `cluster.json` that `cluster up` keeps in --data-dir (every running
 * node is a bootstrap server, so it still works after `cluster kill 0`), unless --bootstrap-server or
 * KACTOR_BOOTSTRAP names one. With no leader it says so in one line on stderr (`--json` also prints leaderId -1) and exits 1.
 */
import { resolve } from 'node:path';
import { NoQuorumLeaderError, type QuorumInfo } from '@kactor/client';
import { isKafkaError } from '@kactor/protocol';
import { systemClock } from '@kactor/runtime';
import type { ClientCommandOptions } from '../support/client-flags.js';
import { describeError, exitAfterFlush, exitWithError } from '../support/errors.js';
import { noLeaderJson, quorumJson, quorumText } from '../support/quorum-output.js';
import { withAdmin } from '../support/with-admin.js';
import { readClusterState } from './cluster-state.js';

/** The two admin calls the command makes (the real Admin, or a fake in tests). */
export interface QuorumAdmin {
  describeMetadataQuorum(options: { timeoutMs?: number }): Promise<QuorumInfo>;
  describeCluster(options: { timeoutMs?: number }): Promise<{ clusterId: string | null }>;
}

export interface ClusterQuorumOptions extends ClientCommandOptions {
  json?: boolean;
  humanReadable?: boolean;
  dataDir: string;
  timeoutMs: number;
}

export interface QuorumOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What the command prints and its exit code: 0 with the quorum, 1 with no leader or any other failure (one line). */
export async function describeQuorumOutcome(admin: QuorumAdmin, options: { json: boolean; timeoutMs: number; humanReadableNowMs?: number | undefined }): Promise<QuorumOutcome> {
  // The cluster id is a courtesy of the text form; the quorum does not wait on it, nor fail with it.
  const clusterId = options.json ? Promise.resolve(null) : admin.describeCluster({ timeoutMs: options.timeoutMs }).then((cluster) => cluster.clusterId, () => null);
  try {
    const info = await admin.describeMetadataQuorum({ timeoutMs: options.timeoutMs });
    const stdout = options.json ? JSON.stringify(quorumJson(info)) : quorumText(info, await clusterId, options.humanReadableNowMs);
    return { exitCode: 0, stdout: `${stdout}\n`, stderr: '' };
  } catch (error) {
    await clusterId;
    // Said in one line either way; --json also prints the quorum with leaderId -1, for scripts that read stdout only.
    if (error instanceof NoQuorumLeaderError) {
      return { exitCode: 1, stdout: options.json ? `${JSON.stringify(noLeaderJson(error.leaderEpoch))}\n` : '', stderr: `kactor cluster quorum: ${error.message}\n` };
    }
    // Today's brokers without a quorum refuse the request: say what that means rather than only its code.
    const reason = isKafkaError(error, 'INVALID_REQUEST') ? `the nodes run no KRaft metadata quorum (${describeError(error)})` : describeError(error);
    return { exitCode: 1, stdout: '', stderr: `kactor cluster quorum: ${reason}\n` };
  }
}

/**
 * --bootstrap-server or KACTOR_BOOTSTRAP when given; else every running node of the `cluster up` in --data-dir;
 * else undefined (the clients' default, ws://127.0.0.1:9100).
 */
export function quorumBootstrap(options: Pick<ClusterQuorumOptions, 'bootstrapServer' | 'dataDir'>, environmentBootstrap: string | undefined): string[] | undefined {
  if (options.bootstrapServer !== undefined) return options.bootstrapServer;
  if (environmentBootstrap !== undefined && environmentBootstrap.trim() !== '') return undefined;
  const state = readClusterState(resolve(options.dataDir));
  const running = state?.brokers.filter((broker) => broker.pid !== null) ?? [];
  if (running.length === 0) return undefined;
  return running.map((broker) => `ws://${state?.host ?? '127.0.0.1'}:${broker.port}`);
}

export async function runClusterQuorum(options: ClusterQuorumOptions): Promise<void> {
  let bootstrapServer: string[] | undefined;
  try {
    bootstrapServer = quorumBootstrap(options, process.env.KACTOR_BOOTSTRAP);
  } catch (error) {
    return exitWithError('cluster quorum', error);
  }
  let outcome: QuorumOutcome | undefined;
  await withAdmin({ ...options, bootstrapServer }, 'cluster quorum', async (admin) => {
    outcome = await describeQuorumOutcome(admin, { json: options.json === true, timeoutMs: options.timeoutMs, humanReadableNowMs: options.humanReadable === true ? systemClock.now() : undefined });
  });
  if (outcome === undefined) return;
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  await exitAfterFlush(outcome.exitCode);
}
