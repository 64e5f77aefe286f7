/**
 * `kactor` commands as child processes, run as a user runs them: `node --import tsx apps/cli/src/main.ts ...`,
 * one process each (no tsx wrapper in front, so a signal reaches the command itself: SIGKILL kills the
 * consumer, not a wrapper that would leave it running). They run from the CLI package's directory, where
 * `tsx` resolves; `cluster up` hands the same node flags to its brokers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@kactor/runtime';

const mainScript = fileURLToPath(new URL('../main.ts', import.meta.url));
const cliPackageDirectory = fileURLToPath(new URL('../..', import.meta.url));

export interface CliProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  readonly exited: Promise<number | string>;
  stderr(): string;
  isRunning(): boolean;
  signal(signal: NodeJS.Signals): void;
}

/** Starts `kactor <args>`; `onLine` gets each stdout line with the wall-clock time (epoch ms) it arrived. */
export function startCli(args: readonly string[], onLine: (line: string, arrivedAtMs: number) => void, logLevel = 'warn'): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', mainScript, ...args], {
    cwd: cliPackageDirectory,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KACTOR_LOG_LEVEL: logLevel },
  });
  let partial = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const arrivedAtMs = systemClock.now();
    partial += chunk.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line, arrivedAtMs);
  });
  // Only the end is kept: a long run's warnings would otherwise grow without bound.
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-8_000)));
  const exited = new Promise<number | string>((done) => child.once('exit', (code, signal) => done(signal ?? code ?? -1)));
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    exited,
    stderr: () => stderr,
    isRunning,
    signal: (signal) => {
      if (isRunning()) child.kill(signal);
    },
  };
}

/** Runs `kactor <args>` to its end, at most `timeoutMs`; rejects with its stderr unless it exits 0. */
export async function runCli(args: readonly string[], timeoutMs: number): Promise<string> {
  let stdout = '';
  const command = startCli(args, (line) => (stdout += `${line}\n`));
  const timer = systemClock.setTimeout(() => command.signal('SIGKILL'), timeoutMs);
  const exit = await command.exited;
  systemClock.clearTimeout(timer);
  if (exit !== 0) throw new Error(`kactor ${args.join(' ')} failed (${exit === 'SIGKILL' ? `no answer within ${timeoutMs} ms` : exit}): ${command.stderr().trim()}`);
  return stdout;
}

/** Resolves when `condition` holds, checking every `intervalMs`; rejects with `description` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, description: string, intervalMs = 50): Promise<void> {
  const deadline = systemClock.now() + timeoutMs;
  while (!condition()) {
    if (systemClock.now() > deadline) throw new Error(`${description} did not happen within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** Real time passing, for the timeline: the runner acts on the wall clock on purpose. */
export function sleep(durationMs: number): Promise<void> {
  return new Promise((done) => systemClock.setTimeout(done, Math.max(0, durationMs)));
}
