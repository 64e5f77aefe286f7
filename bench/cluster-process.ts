/**
 * Starts `kactor cluster up` as a real process for a benchmark and stops it afterwards.
 * With BENCH_BROKER_CPU_PROF=DIR, every broker writes a V8 CPU profile into DIR when it stops (cluster up
 * passes its node flags on to the brokers), to see where their time goes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repositoryRoot = resolve(import.meta.dirname, '..');
const tsx = join(repositoryRoot, 'node_modules/.bin/tsx');
const main = join(repositoryRoot, 'apps/cli/src/main.ts');

export interface BenchCluster {
  bootstrap: string;
  stop(): Promise<void>;
}

function command(): { file: string; args: string[] } {
  const profileDir = process.env.BENCH_BROKER_CPU_PROF;
  if (profileDir === undefined || profileDir === '') return { file: tsx, args: [main] };
  return { file: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`, '--import', 'tsx', main] };
}

/** `extraArgs` go to `cluster up` as they are (e.g. `--inspect ws://...`). */
export async function startBenchCluster(basePort: number, overrides: string[] = [], extraArgs: string[] = []): Promise<BenchCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kactor-bench-'));
  const { file, args } = command();
  const child = spawn(file, [...args, 'cluster', 'up', '--base-port', String(basePort), '--data-dir', dataDir, ...overrides.flatMap((entry) => ['--override', entry]), ...extraArgs], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, KACTOR_LOG_LEVEL: 'warn' },
  });
  const bootstrap = await new Promise<string>((done, fail) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^bootstrap: (\S+)$/m.exec(output);
      if (match?.[1] !== undefined) done(match[1]);
    });
    child.once('exit', (code) => fail(new Error(`cluster up exited (${code})`)));
  });
  return {
    bootstrap,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => {
          rmSync(dataDir, { recursive: true, force: true });
          done();
        });
        child.kill('SIGINT');
      }),
  };
}
