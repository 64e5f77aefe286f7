/**
 * Starts `kactor cluster up` as a real process for a benchmark and stops it afterwards.
 * With BENCH_BROKER_CPU_PROF=DIR, every broker writes a V8 CPU profile into DIR when it stops (cluster up
 * passes its node flags on to the brokers), to see where their time goes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repositoryRoot = resolve(import.meta.dirname, '..');
const tsx = join(repositoryRoot, 'node_modules/.bin/tsx');
const main = join(repositoryRoot, 'apps/cli/src/main.ts');

export interface BenchCluster {
  bootstrap: string;
  /**
   * What `kactor cluster kill|stop|start N --data-dir DIR` does, without starting a CLI process (whose
   * start-up would blur a failover's timing): one JSON line to cluster up's control channel,
   * `<data-dir>/cluster.sock` (apps/cli/src/commands/cluster-control.ts), and its one-line answer.
   * Rejects with cluster up's error when it refused or failed.
   */
  control(command: 'kill' | 'stop' | 'start', brokerId: number): Promise<string>;
  stop(): Promise<void>;
}

function sendControl(dataDir: string, command: 'kill' | 'stop' | 'start', brokerId: number): Promise<string> {
  return new Promise((done, fail) => {
    const socket = createConnection(join(dataDir, 'cluster.sock'));
    let answer = '';
    socket.once('connect', () => socket.write(`${JSON.stringify({ command, brokerId })}\n`));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.once('error', fail);
    socket.once('close', () => {
      try {
        const reply = JSON.parse(answer) as { ok: boolean; message?: string; error?: string };
        if (reply.ok) done(reply.message ?? '');
        else fail(new Error(`cluster ${command} ${brokerId}: ${reply.error ?? answer}`));
      } catch {
        fail(new Error(`cluster ${command} ${brokerId}: no answer from cluster up (${JSON.stringify(answer)})`));
      }
    });
  });
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
    control: (command, brokerId) => sendControl(dataDir, command, brokerId),
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
