/**
 * Running the `kactor` CLI as a user does, from tests: every command is a real process started through
 * tsx (no build step), and clusters are real broker processes on 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';

export const repositoryRoot = resolve(import.meta.dirname, '../../..');
/**
 * The CLI runs as one process, `node --import tsx main.ts`: the `tsx` command would put a wrapper process in
 * front, and a kill -9 of the wrapper leaves the real process running as an orphan.
 */
const nodeWithTsx = [process.execPath, '--import', 'tsx'] as const;
const main = join(repositoryRoot, 'apps/cli/src/main.ts');

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `kactor <args>` to completion (bounded), feeding `input` on stdin. `preload`: modules node loads
 * first (`--import`), e.g. support/deny-writes.mjs to inject file-system failures.
 */
export function kactor(args: string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number; preload?: string[] } = {}): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const preload = (options.preload ?? []).flatMap((module) => ['--import', pathToFileURL(module).href]);
    const child = spawn(nodeWithTsx[0], [...nodeWithTsx.slice(1), ...preload, main, ...args], { cwd: repositoryRoot, env: { ...process.env, KACTOR_LOG_LEVEL: 'warn', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kactor ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A test's progress lines, stamped with the seconds since it started, so a slow run's log says where time went. */
export function elapsedLogger(): (message: string) => void {
  const startedMs = Date.now();
  return (message) => console.log(`[${((Date.now() - startedMs) / 1000).toFixed(1)} s] ${message}`);
}

/** `kactor cluster kill|stop|start N` against the `cluster up` of `dataDir`, as a user types it; must exit 0. Returns its stdout. */
export async function clusterControl(dataDir: string, command: 'kill' | 'stop' | 'start', brokerId: number): Promise<string> {
  const result = await kactor(['cluster', command, String(brokerId), '--data-dir', dataDir], { timeoutMs: 60_000 });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** Waits until `condition` holds, re-checking every `intervalMs`; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, description: string, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${description} did not happen within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** A base port with `count` free consecutive ports, spread by worker so parallel test files do not collide. */
export async function freeBasePort(count: number): Promise<number> {
  const worker = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 1);
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const base = 20_000 + ((worker * 997 + attempt * 37 + process.pid) % 30_000);
    const checks = await Promise.all(Array.from({ length: count }, (_, index) => portIsFree(base + index)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error('no free port range found');
}

export function temporaryDirectory(label: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `kactor-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }) };
}

export interface RunningCluster {
  bootstrap: string;
  /** Where Kafka's own clients connect (`host:port,...`, the `Kafka clients:` line); undefined with --no-kafka-listener. */
  kafkaBootstrap: string | undefined;
  basePort: number;
  dataDir: string;
  process: ChildProcess;
  output: () => { stdout: string; stderr: string };
  /** Stops the cluster as Ctrl-C does and waits for every broker to exit. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** Process id of one broker, found by its unique arguments. */
  brokerPid: (brokerId: number) => number;
}

/**
 * `kactor cluster up` as a test's cluster. Its brokers' Kafka listeners take free ports (`--kafka-port 0`) unless
 * `extraArgs` says otherwise: a test never depends on Kafka's 9092 being free.
 */
export async function startCluster(options: { brokers?: number; dataDir: string; basePort?: number; extraArgs?: string[]; timeoutMs?: number }): Promise<RunningCluster> {
  const brokers = options.brokers ?? 3;
  const basePort = options.basePort ?? (await freeBasePort(brokers));
  const extraArgs = options.extraArgs ?? [];
  const kafkaListener = !extraArgs.includes('--no-kafka-listener');
  const kafkaArgs = kafkaListener && !extraArgs.includes('--kafka-port') ? ['--kafka-port', '0'] : [];
  const child = spawn(nodeWithTsx[0], [...nodeWithTsx.slice(1), main, 'cluster', 'up', '--brokers', String(brokers), '--base-port', String(basePort), '--data-dir', options.dataDir, ...kafkaArgs, ...extraArgs], {
    cwd: repositoryRoot,
    env: { ...process.env, KACTOR_LOG_LEVEL: 'info' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const { bootstrap, kafkaBootstrap } = await new Promise<{ bootstrap: string; kafkaBootstrap: string | undefined }>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`cluster did not start within ${options.timeoutMs ?? 60_000} ms\n${stderr}`)), options.timeoutMs ?? 60_000);
    const check = () => {
      const match = /^bootstrap: (\S+)$/m.exec(stdout);
      const kafka = /^Kafka clients: (\S+)$/m.exec(stdout)?.[1];
      if (match?.[1] !== undefined && (kafka !== undefined || !kafkaListener)) {
        clearTimeout(timer);
        resolvePromise({ bootstrap: match[1], kafkaBootstrap: kafka });
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cluster up exited with ${code} before it was ready\n${stderr}`));
    });
  });
  return {
    bootstrap,
    kafkaBootstrap,
    basePort,
    dataDir: options.dataDir,
    process: child,
    output: () => ({ stdout, stderr }),
    stop: async (signal = 'SIGINT') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    brokerPid: (brokerId) => {
      const found = spawnSync('pgrep', ['-f', `broker --id ${brokerId} --port ${basePort + brokerId} `]);
      const pid = Number(found.stdout.toString().trim().split('\n')[0]);
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no process for broker ${brokerId}`);
      return pid;
    },
  };
}

/** Parses `--json` output: one object per line. */
export function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
