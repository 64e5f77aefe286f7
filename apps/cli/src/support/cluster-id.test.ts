import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMetaPropertiesStore } from '@kactor/broker';
import { createSeededRandom } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { CLUSTER_ID_FILE_NAME, ensureClusterId, newClusterId } from './cluster-id.js';
import { CliError } from './errors.js';

const dirs: string[] = [];
const freshDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'kactor-cluster-id-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const nodeDirs = (dataDir: string) => [0, 1, 2].map((nodeId) => join(dataDir, `broker-${nodeId}`));

describe("cluster up's cluster id", () => {
  it("is a random UUID in Kafka's shape (22 characters of base64url), never starting with a dash", () => {
    const random = createSeededRandom(7);
    const ids = Array.from({ length: 200 }, () => newClusterId(random));
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is made on the first up, kept in <data-dir>/cluster.id, and the same on every later up', () => {
    const dataDir = freshDir();
    const first = ensureClusterId(dataDir, nodeDirs(dataDir), createSeededRandom(1));
    expect(readFileSync(join(dataDir, CLUSTER_ID_FILE_NAME), 'utf8')).toBe(`${first}\n`);
    expect(ensureClusterId(dataDir, nodeDirs(dataDir), createSeededRandom(2))).toBe(first);
  });

  it("a data directory from before cluster.id keeps the cluster its nodes' meta.properties name", () => {
    const dataDir = freshDir();
    mkdirSync(join(dataDir, 'broker-1'), { recursive: true });
    new FileMetaPropertiesStore(join(dataDir, 'broker-1')).write({ nodeId: 1, clusterId: 'kept-from-before' });
    expect(ensureClusterId(dataDir, nodeDirs(dataDir), createSeededRandom(1))).toBe('kept-from-before');
    expect(readFileSync(join(dataDir, CLUSTER_ID_FILE_NAME), 'utf8')).toBe('kept-from-before\n');
  });

  it('refuses a cluster.id file that holds no id, with one line', () => {
    const dataDir = freshDir();
    const path = join(dataDir, CLUSTER_ID_FILE_NAME);
    writeFileSync(path, '\n');
    expect(() => ensureClusterId(dataDir, [], createSeededRandom(1))).toThrow(new CliError(`the cluster id file ${path} holds no valid cluster id (letters, digits, _ and -)`));
  });
});
