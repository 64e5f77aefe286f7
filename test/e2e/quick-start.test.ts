/**
 * The README's Quick start as a new user runs it, through pnpm: `pnpm start` shows what the user needs
 * (the cluster, its bootstrap servers, the dashboard's URL) and not one log line per partition; Ctrl-C stops it
 * with exit code 0 (so pnpm reports no `ELIFECYCLE Command failed`); and `pnpm kactor ... --json` prints only
 * JSON on stdout (no `> kactor ...` script header) and no npm warning on stderr.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freeBasePort, repositoryRoot, temporaryDirectory } from './support/cli.js';

/** The README's way to run pnpm without a global one. */
const npxPnpm = ['npx', '-y', 'pnpm@10.34.9'] as const;
/**
 * A user's terminal: no test log level (vitest sets one), so the defaults show; and none of the npm_* and
 * PNPM_* variables pnpm gives its scripts when the suite runs as `pnpm test` (npm would warn about pnpm's).
 */
const userEnvironment = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.KACTOR_LOG_LEVEL;
  for (const name of Object.keys(env)) if (/^(npm_|pnpm_)/i.test(name) || name === 'INIT_CWD') delete env[name];
  return env;
};
/** Log lines that belong at --log-level debug: one per partition, per index, per coordinator shard. */
const detailLine = /loaded its partition|offset index|recovered the log|rolled a new segment|"partition":|partitions stopped|broker registered|metadata log replayed/;

describe('the Quick start through pnpm', { timeout: 180_000 }, () => {
  const dataDir = temporaryDirectory('e2e-quick-start');
  let basePort: number;
  let dashboardPort: number;
  let bootstrap: string;
  let start: ReturnType<typeof spawn>;
  let output = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  beforeAll(async () => {
    basePort = await freeBasePort(4);
    dashboardPort = basePort + 3;
    // pnpm itself, as a global pnpm runs, without npx's own `sh -c pnpm` in front (npm's shell, which a
    // terminal's Ctrl-C kills whatever pnpm does).
    const located = spawnSync('npx', ['-y', '-p', 'pnpm@10.34.9', '-c', 'command -v pnpm'], { cwd: repositoryRoot, env: userEnvironment(), encoding: 'utf8' });
    const pnpm = located.stdout.trim();
    expect(pnpm, located.stderr).toMatch(/pnpm/);
    // Its own process group, as a terminal's foreground job: Ctrl-C reaches pnpm and everything it started.
    start = spawn(process.execPath, [pnpm, 'start', '--base-port', String(basePort), '--data-dir', dataDir.path, '--dashboard', String(dashboardPort), '--kafka-port', '0'], {
      cwd: repositoryRoot,
      env: userEnvironment(),
      detached: true,
    });
    start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((done) => start.once('exit', (code, signal) => done({ code, signal })));
    const seen = (pattern: RegExp) => async () => {
      if (start.exitCode !== null) throw new Error(`pnpm start exited with ${start.exitCode}:\n${output}`);
      return pattern.exec(output)?.[1];
    };
    bootstrap = await eventually(seen(/^bootstrap: (\S+)$/m), 120_000, 'pnpm start printing its bootstrap servers').catch((error: Error) => Promise.reject(new Error(`${error.message}\n${output}`)));
    await eventually(seen(/^(dashboard): /m), 60_000, 'pnpm start printing the dashboard URL').catch((error: Error) => Promise.reject(new Error(`${error.message}\n${output}`)));
  }, 240_000);

  afterAll(async () => {
    if (start !== undefined && start.exitCode === null && start.signalCode === null) process.kill(-start.pid!, 'SIGKILL');
    dataDir.remove();
  });

  it('shows the cluster, its bootstrap servers and the dashboard URL, with no per-partition log lines', () => {
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    expect(output).toContain(`dashboard: http://127.0.0.1:${dashboardPort}/`);
    expect(output).toMatch(/cluster of 3 broker\(s\) running/);
    expect(lines.filter((line) => detailLine.test(line))).toEqual([]);
    // The dashboard (the brokers' inspection relay) listens before the brokers start streaming to it.
    expect(output).not.toMatch(/cannot connect/);
    // The Quick start's first screen: everything so far fits on it.
    expect(lines.length, output).toBeLessThan(40);
  });

  it('`pnpm kactor topics list --json` prints only JSON on stdout and nothing on stderr', () => {
    const result = spawnSync(npxPnpm[0], [...npxPnpm.slice(1), 'kactor', 'topics', 'list', '--json'], {
      cwd: repositoryRoot,
      env: { ...userEnvironment(), KACTOR_BOOTSTRAP: bootstrap },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const topics = JSON.parse(result.stdout) as unknown;
    expect(JSON.stringify(topics)).toContain('"demo"');
  });

  it('Ctrl-C stops it cleanly: exit code 0 and no ELIFECYCLE from pnpm', async () => {
    process.kill(-start.pid!, 'SIGINT');
    const { code, signal } = await Promise.race([exited, new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`pnpm start did not stop within 60 s\n${output}`)), 60_000))]);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(output).not.toContain('ELIFECYCLE');
    expect(output).toMatch(/stopping the cluster/);
  });
});
