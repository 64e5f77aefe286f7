/** Long-running CLI processes in e2e tests (consumers): output collected as JSON lines, stopped on demand. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from './cli.js';

const nodeWithTsx = [process.execPath, '--import', 'tsx'] as const;
const main = join(repositoryRoot, 'apps/cli/src/main.ts');

export interface RunningCommand {
  process: ChildProcess;
  /** Every JSON line printed on stdout so far. */
  lines(): Array<Record<string, unknown>>;
  stderr(): string;
  /** SIGINT (a clean stop) or SIGKILL; resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startCommand(args: string[]): RunningCommand {
  const child = spawn(nodeWithTsx[0], [...nodeWithTsx.slice(1), main, ...args], { cwd: repositoryRoot, env: { ...process.env, KACTOR_LOG_LEVEL: 'warn' } });
  const parsed: Array<Record<string, unknown>> = [];
  let partial = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') parsed.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    process: child,
    lines: () => parsed,
    stderr: () => stderr,
    stop: async (signal = 'SIGINT') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
