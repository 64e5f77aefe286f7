/**
 * The dashboard's server for `kactor dashboard` and `cluster up --dashboard` (dashboard.ts registers the flags
 * and loads this module only when a dashboard starts).
 */
import { Admin } from '@kactor/client';
import { systemClock, type Logger } from '@kactor/runtime';
import { adminClusterSource } from '../dashboard/cluster-source.js';
import { watchCluster } from '../dashboard/cluster-watch.js';
import { createInspectedActorDirectory } from '../dashboard/inspected-actors.js';
import { dashboardLimits } from '../dashboard/limits.js';
import { INSPECTION_PATH, startDashboardServer } from '../dashboard/server.js';
import { createStatechartImages } from '../dashboard/statechart-images.js';
import { clientSetup, type ClientCommandOptions } from '../support/client-options.js';
import { exitWithError } from '../support/errors.js';
import { cliLogger } from '../support/logging.js';
import { shutdownOnSignals } from '../support/shutdown-signals.js';
import { resolveSecret } from '../support/secret.js';
import { defaultDashboardPort } from './dashboard.js';

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

/** `kactor dashboard`: serves until Ctrl-C. */
export async function runDashboard(options: ClientCommandOptions & { port: number }): Promise<void> {
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
