/**
 * The README runs as written. Its TypeScript blocks are the files of examples/, shown whole (so the two
 * cannot drift), and each runs against a real cluster: it reads every record, and Ctrl-C stops it with exit
 * code 0 after close() (whose onPartitionsRevoked commits) with the group's offsets committed. The Try it
 * block runs line by line as the README shows it, `pnpm kactor` being the workspace's kactor bin.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, jsonLines, kactor, repositoryRoot, startCluster, temporaryDirectory, type RunningCluster } from '../e2e/support/cli.js';
import { fencedBlocks, readme, withoutComment } from './readme.js';

const examples = readdirSync(join(repositoryRoot, 'examples'))
  .filter((name) => name.endsWith('.ts'))
  .sort();
const exampleText = (name: string) => readFileSync(join(repositoryRoot, 'examples', name), 'utf8');

describe('the README code samples', () => {
  it('every ts block of the README is one of examples/*.ts, whole, and every example is in the README', () => {
    const blocks = fencedBlocks('ts');
    expect(examples.length).toBeGreaterThan(0);
    expect([...blocks].sort()).toEqual(examples.map(exampleText).sort());
  });
});

/** The block that follows a heading, up to the next heading. */
function section(heading: string): string {
  const text = readme();
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const end = text.indexOf('\n#', start + heading.length + 2);
  return text.slice(start, end < 0 ? undefined : end);
}

interface GroupDescription {
  partitions: Array<{ topic: string; partition: number; committedOffset: number | null; logEndOffset: number; lag: number | null }>;
}

describe('the README against a running cluster', { timeout: 180_000 }, () => {
  const dataDir = temporaryDirectory('e2e-readme');
  let cluster: RunningCluster;
  /** `pnpm` as the README uses it, without needing one: `pnpm kactor ...` runs the workspace's kactor bin. */
  const pnpmShim = join(dataDir.path, 'bin', 'pnpm');

  beforeAll(async () => {
    // Each example is its group's only member: waiting group.initial.rebalance.delay.ms (3 s) for more would only delay it.
    cluster = await startCluster({ brokers: 1, dataDir: join(dataDir.path, 'cluster'), extraArgs: ['--override', 'group.initial.rebalance.delay.ms=0'] });
    mkdirSync(join(dataDir.path, 'bin'));
    writeFileSync(pnpmShim, `#!/bin/sh\n[ "$1" = kactor ] || { echo "this test's pnpm runs only kactor" >&2; exit 2; }\nshift\nexec "${process.execPath}" "${join(repositoryRoot, 'apps/cli/bin/kactor.mjs')}" "$@"\n`);
    chmodSync(pnpmShim, 0o755);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    dataDir.remove();
  });

  const shell = (line: string, timeoutMs = 90_000) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolvePromise, reject) => {
      const child = spawn('sh', ['-c', line], {
        cwd: repositoryRoot,
        env: { ...process.env, PATH: `${join(dataDir.path, 'bin')}:${process.env.PATH ?? ''}`, KACTOR_BOOTSTRAP: cluster.bootstrap, KACTOR_LOG_LEVEL: 'warn' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${line} did not finish within ${timeoutMs} ms\n${stderr}`));
      }, timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolvePromise({ code, stdout, stderr });
      });
    });

  it('the Try it commands run as written', async () => {
    const block = fencedBlocks('sh', section('## Try it'))[0]!;
    const lines = block.split('\n').map(withoutComment).filter((line) => line !== '');
    expect(lines).toHaveLength(4);
    const [create, produce, consume, describeTopic] = lines as [string, string, string, string];
    const created = await shell(create);
    expect(created, created.stderr).toMatchObject({ code: 0, stdout: 'Created topic orders.\n' });
    const produced = await shell(produce);
    expect(produced.code, produced.stderr).toBe(0);
    // Both only read what was produced: they run side by side.
    const [consumed, described] = await Promise.all([shell(consume), shell(describeTopic)]);
    expect(consumed.code, consumed.stderr).toBe(0);
    const records = jsonLines<{ type: string; partition: number; offset: number; key: string; value: string }>(consumed.stdout).filter((line) => line.type === 'record');
    expect(records.map((record) => record.offset)).toEqual([0, 1, 2, 3, 4]);
    for (const record of records) expect(record).toMatchObject({ partition: 3, value: record.key.replace('key-', 'value-') });
    expect(described.code, described.stderr).toBe(0);
    const [orders] = jsonLines<{ topic: string; partitions: Array<{ logEndOffset: number }> }>(described.stdout);
    expect(orders?.topic).toBe('orders');
    expect(orders!.partitions.reduce((sum, partition) => sum + partition.logEndOffset, 0)).toBe(10_000);
  });

  it.each([
    ['at-least-once.ts', 'billing', 'charged'],
    ['at-most-once.ts', 'alerts', 'notified'],
  ])('examples/%s reads every record, stops on Ctrl-C with exit code 0, and leaves its group %s committed to the end', async (file, group, verb) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('examples', file)], { cwd: repositoryRoot, env: { ...process.env, KACTOR_BOOTSTRAP: cluster.bootstrap } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const count = () => stdout.split('\n').filter((line) => line.startsWith(`${verb} orders-`)).length;
    try {
      await eventually(async () => (count() >= 10_000 ? true : undefined), 120_000, `${file} processing the 10000 records of the Try it block`);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${String(error)}: ${count()} so far\n${stderr}`, { cause: error });
    }
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toBe('');
    expect(count()).toBe(10_000);
    const described = await kactor(['groups', 'describe', group, '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(described.code, described.stderr).toBe(0);
    const { partitions } = JSON.parse(described.stdout) as GroupDescription;
    expect(partitions).toHaveLength(6);
    for (const partition of partitions) expect(partition.committedOffset).toBe(partition.logEndOffset);
  });

  it('examples/transactional-copier.ts copies every record once to orders-copied, stops on Ctrl-C with exit code 0, and commits the group copier to the end with its transactions', async () => {
    const created = await kactor(['topics', 'create', 'orders-copied', '--partitions', '3', '--bootstrap-server', cluster.bootstrap]);
    expect(created.code, created.stderr).toBe(0);
    const child = spawn(process.execPath, ['--import', 'tsx', join('examples', 'transactional-copier.ts')], { cwd: repositoryRoot, env: { ...process.env, KACTOR_BOOTSTRAP: cluster.bootstrap } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const copied = () => [...stdout.matchAll(/^copied (\d+) records from orders to orders-copied$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    try {
      await eventually(async () => (copied() >= 10_000 ? true : undefined), 120_000, 'the copier copying the 10000 records of the Try it block');
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${String(error)}: ${copied()} so far\n${stderr}`, { cause: error });
    }
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toBe('');
    expect(copied()).toBe(10_000);
    const described = await kactor(['groups', 'describe', 'copier', '--json', '--bootstrap-server', cluster.bootstrap]);
    expect(described.code, described.stderr).toBe(0);
    const { partitions } = JSON.parse(described.stdout) as GroupDescription;
    expect(partitions).toHaveLength(6);
    for (const partition of partitions) expect(partition.committedOffset).toBe(partition.logEndOffset);
    const output = await kactor(['consume', 'orders-copied', '--from-beginning', '--isolation-level', 'read_committed', '--max-messages', '10000', '--timeout-ms', '10000', '--json', '--bootstrap-server', cluster.bootstrap], { timeoutMs: 90_000 });
    expect(output.code, output.stderr).toBe(0);
    const values = jsonLines<{ value: string }>(output.stdout).map((record) => record.value);
    expect(new Set(values).size).toBe(10_000);
    for (const value of values) expect(value).toMatch(/^VALUE-\d+$/);
  });
});
