/**
 * `kactor dashboard [--port 9180]`: a local web page (http://127.0.0.1:9180/) showing the cluster live —
 * brokers, topics and partitions, groups with their members, lag and rebalance timeline — and the same
 * data as JSON for scripts. Served by this process alone: no CDN, works with no internet.
 * `kactor cluster up --dashboard` starts the same server beside the cluster. Processes started with
 * `--inspect ws://127.0.0.1:9180/inspect` stream their actors to it: the page lists them and draws the
 * consumers' and coordinators' statecharts with their current states. This file holds the flags; the server
 * starts from dashboard-run.ts, loaded when the command runs.
 */
import type { Command } from 'commander';
import { addClientOptions, type ClientCommandOptions } from '../support/client-flags.js';
import { portOption } from '../support/options.js';

export const defaultDashboardPort = 9180;

export function registerDashboardCommand(program: Command): void {
  addClientOptions(
    program
      .command('dashboard')
      .description(
        'Serve a live dashboard of the cluster on 127.0.0.1 (brokers, topics, groups, lag, rebalances, and the statecharts of processes started with --inspect ws://127.0.0.1:PORT/inspect) and its data as JSON (/api/cluster, /api/groups, /api/groups/:id, /api/actors).',
      )
      .option('--port <P>', 'port on 127.0.0.1', portOption, defaultDashboardPort),
  ).action(async (options: ClientCommandOptions & { port: number }) => (await import('./dashboard-run.js')).runDashboard(options));
}
