/**
 * Ctrl-C on a standalone `kactor broker` always shuts it down cleanly. A terminal sends SIGINT to the whole
 * process group, and a wrapper in that group (pnpm, or the `tsx` command) relays its own copy, so one key
 * press can arrive twice; a second Ctrl-C adds more. The broker must finish closing its logs whatever follows
 * the first signal: the clean-shutdown marker is written and the next start recovers nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeBasePort, kactor, repositoryRoot, temporaryDirectory } from './support/cli.js';

/** The README's command line: `pnpm kactor` runs this bin, one node process with tsx's loader registered in it. */
const kactorBin = [process.execPath, join(repositoryRoot, 'apps/cli/bin/kactor.mjs')];
const cleanShutdownMarker = '.kafka_cleanshutdown';
const recordCount = 50;

interface BrokerRun {
  output: string;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
}

/**
 * Starts `kactor broker` in its own process group (as a shell does for a foreground job), waits until it runs,
 * lets `whileRunning` use it, then presses Ctrl-C twice: SIGINT to the group, and again once it is shutting down.
 */
async function runBrokerAndInterrupt(dataDir: string, port: number, whileRunning: (url: string) => Promise<void>): Promise<BrokerRun> {
  const child = spawn(kactorBin[0]!, [...kactorBin.slice(1), 'broker', '--id', '0', '--port', String(port), '--data-dir', dataDir], {
    cwd: repositoryRoot,
    // The log store's lines say whether the last shutdown was clean and whether a log was recovered.
    env: { ...process.env, KACTOR_LOG_LEVEL: 'info' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  /** Resolves once the output matches `pattern`; fails with the output if the process exits first (unless `exitWillDo`) or time runs out. */
  const outputMatches = (pattern: RegExp, timeoutMs: number, what: string, exitWillDo = false) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`${what} did not happen within ${timeoutMs} ms\n${output}`)), timeoutMs);
      const check = () => {
        if (pattern.test(output)) finish();
        else if (child.exitCode !== null || child.signalCode !== null) finish(exitWillDo ? undefined : new Error(`the broker exited before ${what}\n${output}`));
      };
      const finish = (error?: Error) => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.stderr.off('data', check);
        child.off('exit', check);
        if (error === undefined) resolve();
        else reject(error);
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.on('exit', check);
      check();
    });
  const interruptGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // The group is gone: the broker already finished its shutdown.
    }
  };
  try {
    await outputMatches(/broker 0 running/, 60_000, 'the broker start');
    await whileRunning(`ws://127.0.0.1:${port}`);
    interruptGroup();
    // The second Ctrl-C lands while the shutdown runs (it is moot if the broker has already exited).
    await outputMatches(/shutting down/, 30_000, 'the shutdown start', true);
    interruptGroup();
    let timer: NodeJS.Timeout | undefined;
    const { code, signal } = await Promise.race([
      exited,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the broker did not exit within 60 s\n${output}`)), 60_000))),
    ]).finally(() => clearTimeout(timer));
    return { output: `${output}\n(exit code ${code}, signal ${signal})`, exitCode: code, exitSignal: signal };
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
}

describe('kactor broker stopped with Ctrl-C (SIGINT to its process group, twice)', { timeout: 240_000 }, () => {
  const dataDir = temporaryDirectory('e2e-broker-signals');
  afterAll(() => dataDir.remove());

  it('closes its logs every time: the clean-shutdown marker is written and the next start recovers nothing', async () => {
    const port = await freeBasePort(1);
    const input = Array.from({ length: recordCount }, (_, index) => `value-${index}`).join('\n');
    const runs: BrokerRun[] = [];
    runs.push(
      await runBrokerAndInterrupt(dataDir.path, port, async (url) => {
        const created = await kactor(['topics', 'create', 'orders', '--partitions', '2', '--bootstrap-server', url]);
        expect(created.code, created.stderr).toBe(0);
        const produced = await kactor(['produce', 'orders', '--bootstrap-server', url], { input });
        expect(produced.code, produced.stderr).toBe(0);
      }),
    );
    for (let restart = 1; restart <= 2; restart += 1) {
      expect(existsSync(join(dataDir.path, cleanShutdownMarker)), `marker after stop ${restart}\n${runs.at(-1)?.output}`).toBe(true);
      runs.push(await runBrokerAndInterrupt(dataDir.path, port, async () => undefined));
    }
    expect(existsSync(join(dataDir.path, cleanShutdownMarker)), `marker after the last stop\n${runs.at(-1)?.output}`).toBe(true);
    // The records are still there: both partitions' segments hold them.
    const segmentBytes = [0, 1].map((partition) => statSync(join(dataDir.path, `orders-${partition}`, '00000000000000000000.log')).size);
    expect(segmentBytes.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(recordCount * 'value-0'.length);
    for (const [index, run] of runs.entries()) {
      expect({ run: index, exitCode: run.exitCode, exitSignal: run.exitSignal }).toEqual({ run: index, exitCode: 0, exitSignal: null });
      expect(run.output).toMatch(/closed the log directory cleanly/);
      if (index === 0) continue;
      expect(run.output).toMatch(/opened the log directory.*"wasCleanShutdown":true/);
      expect(run.output).not.toMatch(/recovered the log/);
    }
  });
});
