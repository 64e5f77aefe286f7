/**
 * `kactor experiment` as a user runs it: a small scenario file (3 brokers, one group of 2, 20 simulated
 * seconds, 2 seeds, 2 variants) run to tables and a results/ folder, one of its runs replayed to the same trace
 * hash, the same run played in the dashboard, the built-in list, and a bad scenario refused with a line pointing
 * into the file.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, freeBasePort, kactor, repositoryRoot, temporaryDirectory } from './support/cli.js';

const tinyScenario = `name: tiny
description: Two members share four partitions while records flow; one member crashes after five seconds.
durationMs: 20s
seeds: 2
cluster:
  brokers: 3
topics:
  - name: orders
    partitions: 4
    replicationFactor: 3
groups:
  - name: app
    topics: [orders]
    members: 2
producers:
  - topic: orders
    recordsPerSecond: 20
timeline:
  - at: 5s
    action: member.crash
    group: app
    member: 1
variants: [classic-cooperative, consumer]
`;

/** `durationMs` is on line 3 of this file. */
const badScenario = `name: bad
description: A duration that is not one.
durationMs: soon
cluster:
  brokers: 3
`;

describe('kactor experiment', { timeout: 180_000 }, () => {
  const work = temporaryDirectory('experiment-cli');
  afterAll(() => work.remove());

  it('runs a scenario file over seeds and variants: tables, speed-up, results/ with the per-run data, plots and report', async () => {
    const scenarioFile = join(work.path, 'tiny.yaml');
    writeFileSync(scenarioFile, tinyScenario);
    const out = join(work.path, 'results');
    const result = await kactor(['experiment', 'run', scenarioFile, '--seeds', '2', '--out', out], { timeoutMs: 170_000 });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    // Not a terminal: one line per finished run on stderr instead of a bar.
    expect(result.stderr.match(/^run \d\/4: seed=\d variant=(classic-cooperative|consumer): /gm)).toHaveLength(4);
    // A table per metric names both variants, and the output says how much faster than real time it ran.
    expect(result.stdout).toContain('classic-cooperative');
    expect(result.stdout).toContain('consumer');
    expect(result.stdout).toMatch(/rebalance_time_ms/);
    expect(result.stdout).toMatch(/\d[\d,.]*x faster than real time/);
    expect(result.stdout).toContain(`report: ${join(out, 'report.md')}`);
    expect(result.stdout).not.toContain('VIOLATION');

    expect(existsSync(join(out, 'report.md'))).toBe(true);
    const csvRows = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n');
    expect(csvRows).toHaveLength(1 + 4); // the header and one row per run
    const plots = readdirSync(join(out, 'plots')).filter((file) => file.endsWith('.svg'));
    expect(plots.length).toBeGreaterThan(0);
    for (const plot of plots) expect(readFileSync(join(out, 'plots', plot), 'utf8')).toMatch(/<svg[\s\S]*<\/svg>\s*$/);

    // The replay of one of those runs gives its trace hash again.
    const original = JSON.parse(readFileSync(join(out, 'runs', 'consumer-seed-2.json'), 'utf8')) as { seed: number; variant: string; traceHash: string };
    expect(original).toMatchObject({ seed: 2, variant: 'consumer' });
    const replay = await kactor(['experiment', 'replay', scenarioFile, '--seed', '2', '--variant', 'consumer'], { timeoutMs: 60_000 });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain(`trace hash ${original.traceHash}`);
    expect(replay.stdout).toMatch(/^\s*5\.000 s {2}member\.crash app\/member-1: /m);
    expect(replay.stdout).toContain('no violations');
  });

  it("replays a run into the dashboard: the brokers' actors with their states, the brokers alive, the group's members", async () => {
    const scenarioFile = join(work.path, 'tiny-dashboard.yaml');
    writeFileSync(scenarioFile, tinyScenario);
    const port = await freeBasePort(1);
    // Fast enough that the 20 simulated seconds play in well under a second.
    const child = spawn(process.execPath, ['--import', 'tsx', join(repositoryRoot, 'apps/cli/src/main.ts'), 'experiment', 'replay', scenarioFile, '--seed', '1', '--variant', 'consumer', '--dashboard', '--speed', '200', '--port', String(port)], {
      cwd: repositoryRoot,
      env: { ...process.env, KACTOR_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await eventually(async () => (stderr.includes('played to the end of the run') ? true : undefined), 60_000, `the playback to end\n${stdout}\n${stderr}`);
      expect(stdout).toMatch(new RegExp(`^dashboard: http://127\\.0\\.0\\.1:${port}/`, 'm'));
      expect(stdout).toMatch(/trace hash [0-9a-f]{64}/);
      const actors = ((await (await fetch(`http://127.0.0.1:${port}/api/actors`)).json()) as { actors: Array<{ id: string; machine: string; state: unknown }> }).actors;
      // The consumer group's coordinator on one of the brokers, with a state, and actors of every broker.
      expect(actors.some((actor) => /^broker-\d\/group\/app$/.test(actor.id) && actor.machine === 'consumer-group-coordinator' && actor.state !== null)).toBe(true);
      expect(new Set(actors.map((actor) => /^broker-(\d)\//.exec(actor.id)?.[1]).filter((id) => id !== undefined))).toEqual(new Set(['0', '1', '2']));
      const cluster = (await (await fetch(`http://127.0.0.1:${port}/api/cluster`)).json()) as { brokers: Array<{ id: number; alive: boolean }> };
      expect(cluster.brokers).toEqual([expect.objectContaining({ id: 0, alive: true }), expect.objectContaining({ id: 1, alive: true }), expect.objectContaining({ id: 2, alive: true })]);
      // The group as the trace has it at the end: member-1 crashed at 5 s, member-0 is left; its coordinator is listed.
      const { groups } = (await (await fetch(`http://127.0.0.1:${port}/api/groups`)).json()) as { groups: Array<{ group: string; coordinator: number | null; members: Array<{ memberId: string }>; partitions: unknown[] }> };
      expect(groups).toHaveLength(1);
      expect(groups[0]?.group).toBe('app');
      expect(groups[0]?.members.map((member) => member.memberId)).toEqual(['app/member-0']);
      expect(groups[0]?.partitions).toHaveLength(4);
      expect(groups[0]?.coordinator).not.toBeNull();
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('prints the summaries as JSON with --json', async () => {
    const scenarioFile = join(work.path, 'tiny-json.yaml');
    writeFileSync(scenarioFile, tinyScenario);
    const result = await kactor(['experiment', 'run', scenarioFile, '--seeds', '1', '--variants', 'consumer', '--out', join(work.path, 'json-results'), '--json'], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    const summaries = JSON.parse(result.stdout) as Array<{ metric: string; rows: Array<{ variant: string; runs: number }> }>;
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries[0]?.rows).toEqual([expect.objectContaining({ variant: 'consumer', runs: 1 })]);
  });

  it('lists the built-in experiments, one line each', async () => {
    const result = await kactor(['experiment', 'list']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(7);
    expect(lines.some((line) => /^rebalance-protocols\s+\S/.test(line))).toBe(true);
  });

  it('refuses a bad scenario with a line pointing into the file, exit code 2', async () => {
    const scenarioFile = join(work.path, 'bad.yaml');
    writeFileSync(scenarioFile, badScenario);
    const result = await kactor(['experiment', 'run', scenarioFile, '--out', join(work.path, 'bad-results')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${scenarioFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: durationMs: `, 'm'));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(work.path, 'bad-results'))).toBe(false);
  });

  it('refuses an unknown experiment name in one line, exit code 2', async () => {
    const result = await kactor(['experiment', 'run', 'no-such-experiment']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^kactor experiment run: no built-in experiment or scenario file "no-such-experiment"/);
  });
});
