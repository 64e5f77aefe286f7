/**
 * `kactor dashboard [--port 9180]`: a local web page (http://127.0.0.1:9180/) showing the cluster live —
 * brokers, topics and partitions, groups with their members, lag and rebalance timeline — and the same
 * data as JSON for scripts. Served by this process alone: no CDN, works with no internet.
 * `kactor cluster up --dashboard` starts the same server beside the cluster.
 */
import { Admin } from '@kactor/client';
import type { Logger } from '@kactor/runtime';
import type { Command } from 'commander';
import { emptyActorDirectory, type ActorDirectory } from '../dashboard/actor-directory.js';
import { adminClusterSource } from '../dashboard/cluster-source.js';
import { startDashboardServer } from '../dashboard/server.js';
import { addClientOptions, clientSetup, type ClientCommandOptions } from '../support/client-options.js';
import { exitWithError } from '../support/errors.js';
import { portOption } from '../support/options.js';

export const defaultDashboardPort = 9180;

export interface Dashboard {
  readonly url: string;
  /** Stops the server and closes the admin client. */
  stop(): Promise<void>;
}

/** Starts the dashboard against the cluster `options` name; the actor directory is empty until an inspection relay feeds one. */
export async function startDashboard(options: ClientCommandOptions & { port: number }, actors: ActorDirectory = emptyActorDirectory): Promise<Dashboard> {
  const { bootstrapServers, runtime } = clientSetup(options);
  const admin = Admin.create({ 'bootstrap.servers': bootstrapServers }, runtime);
  try {
    const server = await startDashboardServer({ source: adminClusterSource(admin), actors, port: options.port });
    return {
      url: server.url,
      stop: async () => {
        await server.close();
        admin.close();
      },
    };
  } catch (error) {
    admin.close();
    throw error;
  }
}

export function registerDashboardCommand(program: Command): void {
  addClientOptions(
    program
      .command('dashboard')
      .description('Serve a live dashboard of the cluster on 127.0.0.1 (brokers, topics, groups, lag, rebalances) and its data as JSON (/api/cluster, /api/groups, /api/groups/:id, /api/actors).')
      .option('--port <P>', 'port on 127.0.0.1', portOption, defaultDashboardPort),
  ).action(async (options: ClientCommandOptions & { port: number }) => {
    let dashboard: Dashboard;
    try {
      dashboard = await startDashboard(options);
    } catch (error) {
      return exitWithError('dashboard', error);
    }
    process.stdout.write(`dashboard: ${dashboard.url}\n`);
    const stop = () => void dashboard.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * `cluster up --dashboard [PORT]`: the dashboard beside a cluster just started. A dashboard that cannot
 * start (its port taken) is logged and the cluster keeps running, as with the demo. Returns how to stop it.
 */
export async function startClusterDashboard(port: number | true, bootstrap: readonly string[], secretFile: string | undefined, logger: Logger): Promise<() => Promise<void>> {
  try {
    const dashboard = await startDashboard({ port: port === true ? defaultDashboardPort : port, bootstrapServer: [...bootstrap], ...(secretFile === undefined ? {} : { secretFile }) });
    process.stdout.write(`dashboard: ${dashboard.url}\n`);
    return () => dashboard.stop();
  } catch (error) {
    logger.error({ err: error }, 'the dashboard could not start; the cluster keeps running');
    return async () => undefined;
  }
}
