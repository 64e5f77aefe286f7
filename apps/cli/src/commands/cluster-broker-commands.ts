/**
 * `kactor cluster kill N`, `cluster stop N` and `cluster start N`: act on one broker of the `cluster up`
 * running in `--data-dir`, through its control channel (see cluster-control.ts), so failover can be watched
 * from another terminal without hunting for pids. `cluster up` does the signalling and keeps supervising the
 * broker; this command prints its one-line answer and exits 0, or prints the error and exits 1.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../support/cli-error.js';
import { integerOption } from '../support/options.js';
import type { ControlCommand } from './cluster-control.js';

interface BrokerControlOptions {
  dataDir: string;
}

/** Long enough for a controlled shutdown (30 s grace) or a start-up (cluster up's --ready-timeout-ms, 60 s by default). */
const controlReplyTimeoutMs = 120_000;

async function runBrokerControl(command: ControlCommand, brokerId: number, options: BrokerControlOptions): Promise<void> {
  // Loaded here, not at the top: registering the flags must not load what only a running command needs.
  const [{ sendControlRequest }, { exitAfterFlush, exitWithError }] = await Promise.all([import('./cluster-control.js'), import('../support/errors.js')]);
  try {
    const reply = await sendControlRequest(resolve(options.dataDir), options.dataDir, { command, brokerId }, controlReplyTimeoutMs);
    if (!reply.ok) throw new CliError(reply.error);
    process.stdout.write(`${reply.message}\n`);
    await exitAfterFlush(0);
  } catch (error) {
    await exitWithError(`cluster ${command}`, error);
  }
}

const descriptions: Record<ControlCommand, string> = {
  kill: 'kill -9 (SIGKILL) broker N of the running cluster up: no controlled shutdown, its logs are recovered on restart',
  stop: 'stop broker N of the running cluster up with a controlled shutdown (SIGTERM)',
  start: 'start broker N of the running cluster up again, with the flags cluster up first gave it; cluster up keeps supervising it',
};

export function registerBrokerControlCommands(cluster: Command): void {
  for (const command of ['kill', 'stop', 'start'] as const) {
    cluster
      .command(command)
      .description(descriptions[command])
      .argument('<N>', 'the broker id', integerOption('the broker id', { min: 0 }))
      .option('--data-dir <D>', 'the data directory of the cluster up to act on', './.kactor')
      .action((brokerId: number, options: BrokerControlOptions) => runBrokerControl(command, brokerId, options));
  }
}
