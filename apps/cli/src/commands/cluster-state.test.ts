import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../support/errors.js';
import { ClusterStateInvariantError, clusterStatePath, readClusterState, removeClusterState, writeClusterState, type ClusterState } from './cluster-state.js';

const directories: string[] = [];
function dataDir(): string {
  const path = mkdtempSync(join(tmpdir(), 'kactor-cluster-state-'));
  directories.push(path);
  return path;
}
afterEach(() => {
  for (const path of directories.splice(0)) rmSync(path, { recursive: true, force: true });
});

const state: ClusterState = {
  pid: 100,
  brokers: [
    { brokerId: 0, port: 9100, pid: 101 },
    { brokerId: 1, port: 9101, pid: null },
  ],
};

describe('cluster.json', () => {
  it('reads back what was written, leaves no temporary file and is readable by its owner only', () => {
    const dir = dataDir();
    writeClusterState(dir, state);
    expect(readClusterState(dir)).toEqual(state);
    expect(readdirSync(dir)).toEqual(['cluster.json']);
    expect(statSync(clusterStatePath(dir)).mode & 0o777).toBe(0o600);
  });

  it('replaces the previous state on every write (a broker restarted gets its new pid)', () => {
    const dir = dataDir();
    writeClusterState(dir, state);
    const restarted: ClusterState = { pid: 100, brokers: [state.brokers[0]!, { brokerId: 1, port: 9101, pid: 202 }] };
    writeClusterState(dir, restarted);
    expect(readClusterState(dir)).toEqual(restarted);
  });

  it('is gone after a clean stop, and reading a directory without one says so with undefined', () => {
    const dir = dataDir();
    writeClusterState(dir, state);
    removeClusterState(dir);
    expect(readClusterState(dir)).toBeUndefined();
    removeClusterState(dir);
  });

  it("records the nodes' host and the metadata quorum's voters (cluster up --controllers), and reads files without them", () => {
    const dir = dataDir();
    const withQuorum: ClusterState = { ...state, host: '127.0.0.1', voters: [0, 1, 2] };
    writeClusterState(dir, withQuorum);
    expect(readClusterState(dir)).toEqual(withQuorum);
    writeFileSync(clusterStatePath(dir), JSON.stringify({ ...state, voters: ['zero'] }));
    expect(readClusterState(dir)).toEqual(state);
  });

  it('names a file that is not a cluster state instead of trusting it', () => {
    const dir = dataDir();
    writeFileSync(clusterStatePath(dir), 'not json');
    expect(() => readClusterState(dir)).toThrow(CliError);
    writeFileSync(clusterStatePath(dir), JSON.stringify({ pid: 1, brokers: [{ brokerId: 'zero', port: 1, pid: null }] }));
    expect(() => readClusterState(dir)).toThrow(/is not a cluster state file/);
  });

  it('refuses to publish two brokers with one id or one pid for two processes (invariant)', () => {
    const dir = dataDir();
    expect(() => writeClusterState(dir, { pid: 1, brokers: [{ brokerId: 0, port: 1, pid: 5 }, { brokerId: 0, port: 2, pid: 6 }] })).toThrow(ClusterStateInvariantError);
    expect(() => writeClusterState(dir, { pid: 1, brokers: [{ brokerId: 0, port: 1, pid: 5 }, { brokerId: 1, port: 2, pid: 5 }] })).toThrow(ClusterStateInvariantError);
    expect(() => writeClusterState(dir, { pid: 5, brokers: [{ brokerId: 0, port: 1, pid: 5 }] })).toThrow(ClusterStateInvariantError);
    expect(readClusterState(dir)).toBeUndefined();
  });
});
