/**
 * `<data-dir>/cluster.json`: what a running `kactor cluster up` publishes about itself (its pid, host, the metadata
 * quorum's voters, and each broker's id, port and pid, null while that broker is not running), so a user or a script can see which
 * process is which broker. It is rewritten on every broker start and exit, atomically (a reader sees the
 * old file or the new one, never half of one), and removed when the cluster stops cleanly.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../support/errors.js';

export const CLUSTER_STATE_FILE_NAME = 'cluster.json';

export interface ClusterBrokerState {
  brokerId: number;
  port: number;
  /** The broker's process id while it runs; null once it exited (until `kactor cluster start` brings it back). */
  pid: number | null;
}

export interface ClusterState {
  /** The `cluster up` process, which supervises the brokers. */
  pid: number;
  /** The interface every node listens on (`cluster up --host`); absent in files from before it was recorded. */
  host?: string;
  /** The node ids of the metadata quorum's voters (`cluster up --controllers`), ascending; the others observe. */
  voters?: number[];
  brokers: ClusterBrokerState[];
}

/** Raised when the state held in memory would publish something impossible (a bug, never user input). */
export class ClusterStateInvariantError extends Error {
  override readonly name = 'ClusterStateInvariantError';
}

export function clusterStatePath(dataDir: string): string {
  return join(dataDir, CLUSTER_STATE_FILE_NAME);
}

/** Broker ids are unique and each pid belongs to one broker only: the file must never make two brokers one process. */
export function assertClusterState(state: ClusterState): void {
  const ids = new Set<number>();
  const pids = new Set<number>();
  for (const broker of state.brokers) {
    if (ids.has(broker.brokerId)) throw new ClusterStateInvariantError(`broker ${broker.brokerId} appears twice in the cluster state`);
    ids.add(broker.brokerId);
    if (broker.pid === null) continue;
    if (pids.has(broker.pid) || broker.pid === state.pid) throw new ClusterStateInvariantError(`pid ${broker.pid} is given to two processes in the cluster state`);
    pids.add(broker.pid);
  }
}

/** Writes beside the target, then renames over it: rename is atomic on one file system. */
export function writeClusterState(dataDir: string, state: ClusterState): void {
  assertClusterState(state);
  const path = clusterStatePath(dataDir);
  const temporary = `${path}.${state.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

export function removeClusterState(dataDir: string): void {
  rmSync(clusterStatePath(dataDir), { force: true });
}

function isBrokerState(value: unknown): value is ClusterBrokerState {
  if (typeof value !== 'object' || value === null) return false;
  const broker = value as Record<string, unknown>;
  return Number.isInteger(broker.brokerId) && Number.isInteger(broker.port) && (broker.pid === null || Number.isInteger(broker.pid));
}

/** The published state, or undefined when no `cluster up` left one; a file that is not one is named as such. */
export function readClusterState(dataDir: string): ClusterState | undefined {
  const path = clusterStatePath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not a cluster state file (not JSON)`);
  }
  const candidate = parsed as Partial<ClusterState> | null;
  if (candidate === null || typeof candidate !== 'object' || !Number.isInteger(candidate.pid) || !Array.isArray(candidate.brokers) || !candidate.brokers.every(isBrokerState)) {
    throw new CliError(`${path} is not a cluster state file`);
  }
  const voters = Array.isArray(candidate.voters) && candidate.voters.every((id) => Number.isInteger(id)) ? { voters: candidate.voters } : {};
  return { pid: candidate.pid as number, ...(typeof candidate.host === 'string' ? { host: candidate.host } : {}), ...voters, brokers: candidate.brokers };
}
