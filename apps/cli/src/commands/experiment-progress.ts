/**
 * Progress of `kactor experiment run` on stderr (stdout carries the tables or the JSON): a bar on a
 * terminal, else one line per finished run, so a log or CI output says how far it got and what each run found.
 */
import { SingleBar } from 'cli-progress';
import type { RunResult } from './experiment-library.js';
import { runCoordinates, runDoneLine } from './experiment-output.js';

export interface RunProgress {
  /** Before the first run: how many there will be. */
  start(total: number): void;
  /** The runner's onRun: a run finished, `done` of `total`. */
  onRun(result: RunResult, done: number, total: number): void;
  stop(): void;
}

export function runProgress(stream: NodeJS.WriteStream = process.stderr): RunProgress {
  if (stream.isTTY !== true) {
    return { start: () => undefined, onRun: (result, done, total) => void stream.write(`${runDoneLine(result, done, total)}\n`), stop: () => undefined };
  }
  const bar = new SingleBar({ format: 'experiment [{bar}] {value}/{total} runs | {violations} violations | last: {last}', hideCursor: true, stream });
  let started = false;
  let violations = 0;
  return {
    start: (total) => {
      bar.start(total, 0, { violations, last: '-' });
      started = true;
    },
    onRun: (result, done, total) => {
      violations += result.violations.length;
      const payload = { violations, last: runCoordinates(result) };
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else bar.update(done, payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
