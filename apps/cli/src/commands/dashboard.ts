/**
 * `kactor dashboard [--port 9180]`: a local web page (http://127.0.0.1:9180/) showing the cluster live —
 * brokers, topics and partitions, groups with their members, lag and rebalance timeline — and the same
 * data as JSON for scripts. Served by this process alone: no CDN, works with no internet.
 * `kactor cluster up --dashboard` starts the same server beside the cluster. Processes started with
 * `--inspect ws://127.0.0.1:9180/inspect` stream their actors to it: the page lists them and draws the
 * consumers' and coordinators' statecharts with their current states.
 */
import { Admin } from '@kactor/client';
import { systemClock, type Logger } from '@kactor/runtime';
import type { Command } from 'commander';
import { adminClusterSource } from '../dashboard/cluster-source.js';
import { watchCluster } from '../dashboard/cluster-watch.js';
import { createInspectedActorDirectory } from '../dashboard/inspected-actors.js';
import { dashboardLimits } from '../dashboard/limits.js';
import { INSPECTION_PATH, startDashboardServer } from '../dashboard/server.js';
import { createStatechartImages } from '../dashboard/statechart-images.js';
import { addClientOptions, clientSetup, type ClientCommandOptions } from '../support/client-options.js';
import { exitWithError } from '../support/errors.js';
import { cliLogger } from '../support/logging.js';
import { portOption } from '../support/options.js';
import { shutdownOnSignals } from '../support/shutdown-signals.js';
import { resolveSecret } from '../support/secret.js';

export const defaultDashboardPort = 9180;
/** The machines the page draws a chart for (public/statecharts.js), laid out as the dashboard starts. */
const CHARTED_MACHINES = ['consumer', 'group-coordinator', 'producer'] as const;

/** Where processes send their inspection for a dashboard on `port`. */
export const dashboardInspectUrl = (port: number): string => `ws://127.0.0.1:${port}${INSPECTION_PATH}`;

export interface Dashboard {
  readonly url: string;
  /** `ws://127.0.0.1:<port>/inspect`: pass it to `--inspect`. */
  readonly inspectUrl: string;
  /** Stops the server and closes the admin client. */
  stop(): Promise<void>;
}

/** Starts the dashboard against the cluster `options` name, with its inspection endpoint and statecharts. */
export async function startDashboard(options: ClientCommandOptions & { port: number }): Promise<Dashboard> {
  const { bootstrapServers, runtime } = clientSetup(options);
  // The same secret as the cluster's protects the page's JSON and /inspect (docs/SECURITY.md).
  const secret = resolveSecret(options.secretFile);
  const admin = Admin.create({ 'bootstrap.servers': bootstrapServers }, runtime);
  const statecharts = createStatechartImages();
  const actors = createInspectedActorDirectory({ maxActors: dashboardLimits.maxActors, maxRecentStates: dashboardLimits.maxRecentStates, machineNames: statecharts.machineNames });
  try {
    const source = adminClusterSource(admin, runtime.clock);
    const server = await startDashboardServer({ source, actors, inspection: actors, statecharts, port: options.port, secret });
    // The cluster timeline records leader and ISR changes even while no page is open.
    const watch = watchCluster(source, runtime.clock, dashboardLimits.clusterWatchIntervalMs);
    // Laid out now, not on the page's first request: ELK takes a second or two for the consumer's chart.
    for (const machine of CHARTED_MACHINES) statecharts.svg(machine).catch(() => undefined); // a failure is retried by the page's request
    return {
      url: server.url,
      inspectUrl: server.inspectUrl,
      stop: async () => {
        watch.stop();
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
      .description(
        'Serve a live dashboard of the cluster on 127.0.0.1 (brokers, topics, groups, lag, rebalances, and the statecharts of processes started with --inspect ws://127.0.0.1:PORT/inspect) and its data as JSON (/api/cluster, /api/groups, /api/groups/:id, /api/actors).',
      )
      .option('--port <P>', 'port on 127.0.0.1', portOption, defaultDashboardPort),
  ).action(async (options: ClientCommandOptions & { port: number }) => {
    let dashboard: Dashboard;
    try {
      dashboard = await startDashboard(options);
    } catch (error) {
      return exitWithError('dashboard', error);
    }
    process.stdout.write(`dashboard: ${dashboard.url}\n`);
    process.stdout.write(`inspect: --inspect ${dashboard.inspectUrl}\n`);
    // Persistent listeners, not `once`: a relayed second Ctrl-C must not kill the process mid-stop (shutdown-signals.ts).
    shutdownOnSignals(cliLogger({ node: 'dashboard' }), systemClock, () => void dashboard.stop().then(() => process.exit(0)));
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
    process.stdout.write(`inspect: --inspect ${dashboard.inspectUrl}\n`);
    return () => dashboard.stop();
  } catch (error) {
    logger.error({ err: error }, 'the dashboard could not start; the cluster keeps running');
    return async () => undefined;
  }
}
