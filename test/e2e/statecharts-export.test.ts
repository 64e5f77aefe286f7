/**
 * `kactor statecharts export` as a user runs it: no cluster, no network, one file per machine and format,
 * and clear errors for a bad --format.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kactor, temporaryDirectory } from './support/cli.js';

const machines = ['consumer', 'consumer-membership', 'producer', 'transaction-manager', 'group-coordinator', 'consumer-group-coordinator', 'transaction-coordinator', 'broker', 'controller', 'partition', 'replica-fetcher', 'raft'];

describe('kactor statecharts export', { timeout: 60_000 }, () => {
  const out = temporaryDirectory('statecharts');
  afterAll(() => out.remove());

  it('writes <machine>.json, .mmd and .svg for every machine', async () => {
    const dir = join(out.path, 'charts');
    const result = await kactor(['statecharts', 'export', '--out', dir, '--format', 'mermaid,svg,json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const expected = machines.flatMap((name) => [`${name}.json`, `${name}.mmd`, `${name}.svg`]).sort();
    expect(readdirSync(dir).sort()).toEqual(expected);
    expect(result.stdout.trim().split('\n').sort()).toEqual(expected.map((file) => join(dir, file)).sort());

    const consumer = JSON.parse(readFileSync(join(dir, 'consumer.json'), 'utf8')) as { id: string; states: Record<string, unknown> };
    expect(consumer.id).toBe('consumerGroup');
    expect(Object.keys(consumer.states)).toEqual(expect.arrayContaining(['joining', 'syncing', 'stable', 'rebalancing', 'dead']));
    for (const name of machines) {
      expect(readFileSync(join(dir, `${name}.mmd`), 'utf8')).toMatch(/^stateDiagram-v2\n/);
      expect(readFileSync(join(dir, `${name}.svg`), 'utf8')).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
    }
    expect(readFileSync(join(dir, 'group-coordinator.mmd'), 'utf8')).toContain('PreparingRebalance');
  });

  it('writes only the formats asked for', async () => {
    const dir = join(out.path, 'mermaid-only');
    const result = await kactor(['statecharts', 'export', '--out', dir, '--format', 'mermaid']);
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(machines.map((name) => `${name}.mmd`).sort());
  });

  it('refuses an unknown format with a one-line error and writes nothing', async () => {
    const dir = join(out.path, 'refused');
    const result = await kactor(['statecharts', 'export', '--out', dir, '--format', 'png']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/kactor statecharts export: unknown statechart format "png"/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(() => readdirSync(dir)).toThrow();
  });
});
