import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLUSTER_SECRET_ENV, ensureClusterSecretFile, resolveClusterSecret } from './cluster-secret.js';

const dirs: string[] = [];
const freshDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'kactor-cluster-secret-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete process.env[CLUSTER_SECRET_ENV];
});

describe('the cluster secret', () => {
  it('is generated once into the data directory, readable by its owner only, and never replaced', () => {
    const dir = freshDir();
    const first = resolveClusterSecret({ dataDir: dir, mayGenerate: true });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'cluster.secret')).mode & 0o777).toBe(0o600);
    expect(resolveClusterSecret({ dataDir: dir, mayGenerate: true })).toBe(first);
    // A broker sharing that data directory's file (as `cluster up` passes it) reads the same secret.
    expect(resolveClusterSecret({ clusterSecretFile: join(dir, 'cluster.secret'), dataDir: freshDir(), mayGenerate: false })).toBe(first);
  });

  it('tightens an existing secret file that others could read', () => {
    const dir = freshDir();
    const path = join(dir, 'cluster.secret');
    writeFileSync(path, 'kept\n', { mode: 0o644 });
    expect(ensureClusterSecretFile(path)).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe('kept\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('prefers --cluster-secret-file, then KACTOR_CLUSTER_SECRET, then the data directory', () => {
    const dir = freshDir();
    const file = join(dir, 'given');
    writeFileSync(file, '  from-file \n');
    process.env[CLUSTER_SECRET_ENV] = 'from-env';
    expect(resolveClusterSecret({ clusterSecretFile: file, dataDir: dir, mayGenerate: true })).toBe('from-file');
    expect(resolveClusterSecret({ dataDir: dir, mayGenerate: true })).toBe('from-env');
  });

  it('a broker joining a controller without it is told where to find it; an empty file is refused', () => {
    expect(() => resolveClusterSecret({ dataDir: freshDir(), mayGenerate: false })).toThrow(/--cluster-secret-file .*cluster\.secret.*KACTOR_CLUSTER_SECRET/);
    const empty = join(freshDir(), 'empty');
    writeFileSync(empty, '\n');
    expect(() => resolveClusterSecret({ clusterSecretFile: empty, dataDir: freshDir(), mayGenerate: true })).toThrow(/is empty/);
  });
});
