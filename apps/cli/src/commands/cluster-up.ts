/**
 * `kactor cluster up`: a local cluster of N brokers, each its own OS process (`kactor broker`) in KRaft mode
 * (issue 12): nodes 0..M-1 are also the voters of the metadata quorum (`--controllers M`), any of which may be the
 * active controller, and the others observe it; all share one cluster id (`<data-dir>/cluster.id`). Prints one
 * `bootstrap:` line once every broker is RUNNING, and stops them all on SIGINT or SIGTERM (observers first, the
 * voters last, each with a controlled shutdown).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock, systemRandom, type Logger } from '@kactor/runtime';
import type { Command } from 'commander';
import { CliError, exitWithError } from '../support/errors.js';
import { cliLogger } from '../support/logging.js';
import { collectKeyValue, integerOption, portOption } from '../support/options.js';
import { ensureLocalRelay, INSPECT_FLAG_HELP, parseInspectUrl, type InspectOption } from '../support/inspection.js';
import { resolveSecret } from '../support/secret.js';
import { clusterOffsetsTopicNote, clusterOffsetsTopicOverrides } from '../support/offsets-topic-replication.js';
import { clusterTransactionStateOverrides } from '../support/transaction-state-replication.js';
import { clusterLeaderImbalanceOverrides, leaderImbalanceNote, localLeaderImbalanceCheckIntervalSeconds } from '../support/leader-imbalance-check.js';
import { CLUSTER_SECRET_FILE_NAME, ensureClusterSecretFile } from '../support/cluster-secret.js';
import { registerBrokerControlCommands } from './cluster-broker-commands.js';
import { registerClusterQuorumCommand } from './cluster-quorum.js';
import { startControlServer } from './cluster-control.js';
import { quorumNote } from './cluster-control-decisions.js';
import { ensureClusterId } from '../support/cluster-id.js';
import { ClusterSupervisor } from './cluster-supervisor.js';
import { clusterQuorumOverrides, defaultVoterCountLimit, placeVoters } from '../support/quorum-placement.js';
import { dashboardInspectUrl, defaultDashboardPort, startClusterDashboard } from './dashboard.js';

export interface ClusterUpOptions {
  brokers: number;
  /** --controllers M: the metadata quorum's voters are nodes 0..M-1 (default: see quorum-placement.ts). */
  controllers?: number;
  basePort: number;
  dataDir: string;
  host: string;
  secretFile?: string;
  clusterSecretFile?: string;
  override: string[];
  demo?: boolean;
  readyTimeoutMs: number;
  inspect?: InspectOption;
  /** --dashboard [PORT]: true for the default port. */
  dashboard?: number | true;
}

/** Signals this close after the first are copies relayed by wrappers, not a second Ctrl-C. */
const duplicateSignalWindowMs = 1_000;

/**
 * Something to run once the cluster is up (the demo); it returns how to stop it before the brokers stop.
 * `inspectUrl`: where the brokers stream their statecharts (--inspect), for its own actors to follow;
 * `secret`: the clients' shared secret of the cluster (--secret-file, KACTOR_SECRET), to present to the brokers.
 */
export type OnClusterReady = (bootstrap: string[], logger: Logger, inspectUrl?: string, secret?: string) => Promise<() => Promise<void>>;

export async function runClusterUp(options: ClusterUpOptions, onReady?: OnClusterReady): Promise<void> {
  const logger = cliLogger({ node: 'cluster' });
  const dataDir = resolve(options.dataDir);
  // Refused before anything is created: a quorum that cannot be placed starts nothing.
  let voterIds: number[];
  try {
    voterIds = placeVoters(options.brokers, options.controllers);
  } catch (error) {
    return exitWithError('cluster up', error);
  }
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    return exitWithError('cluster up', new CliError(`cannot create the data directory ${dataDir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`));
  }
  if (options.basePort + options.brokers - 1 > 65_535) return exitWithError('cluster up', new CliError(`ports ${options.basePort}..${options.basePort + options.brokers - 1} do not fit below 65536`));
  // A bare --inspect starts one relay here, for every broker (each starting its own would fight over the port);
  // with --dashboard, the dashboard is that relay: the brokers stream to it (and retry until it listens).
  let inspect: Awaited<ReturnType<typeof ensureLocalRelay>> | undefined;
  try {
    if (options.inspect === true && options.dashboard !== undefined) inspect = { url: dashboardInspectUrl(options.dashboard === true ? defaultDashboardPort : options.dashboard), relay: undefined };
    else inspect = options.inspect === true ? await ensureLocalRelay(undefined, resolveSecret(options.secretFile)) : typeof options.inspect === 'string' ? { url: options.inspect, relay: undefined } : undefined;
  } catch (error) {
    return exitWithError('cluster up', error);
  }
  // One cluster credential for every broker, generated once into the data directory (0600) unless given.
  let clusterSecretFile: string;
  try {
    clusterSecretFile = options.clusterSecretFile ?? ensureClusterSecretFile(join(dataDir, CLUSTER_SECRET_FILE_NAME));
  } catch (error) {
    return exitWithError('cluster up', error);
  }
  // One cluster id for every node, kept in the data directory so a later `up` formats nothing anew.
  let clusterId: string;
  try {
    clusterId = ensureClusterId(dataDir, Array.from({ length: options.brokers }, (_, brokerId) => join(dataDir, `broker-${brokerId}`)), systemRandom);
  } catch (error) {
    return exitWithError('cluster up', error);
  }
  // The dashboard before the brokers: with a bare --inspect it is the relay they stream to, so it listens
  // before they connect (no "cannot connect" lines while the cluster starts); it reads the cluster lazily.
  let stopDashboard: () => Promise<void> = async () => undefined;
  if (options.dashboard !== undefined) {
    // The brokers stream their statecharts where --inspect said; the page then shows the cluster's data but
    // not their charts, which a user who asked for both may not expect.
    const dashboardPort = options.dashboard === true ? defaultDashboardPort : options.dashboard;
    if (typeof options.inspect === 'string' && options.inspect !== dashboardInspectUrl(dashboardPort)) {
      logger.warn(`the brokers' statecharts go to ${options.inspect}, so the dashboard shows the cluster but not their charts (use a bare --inspect to send them to the dashboard)`);
    }
    const planned = Array.from({ length: options.brokers }, (_, brokerId) => `ws://${options.host}:${options.basePort + brokerId}`);
    stopDashboard = await startClusterDashboard(options.dashboard, planned, options.secretFile, logger);
  }
  const brokerOverrides = clusterLeaderImbalanceOverrides(clusterTransactionStateOverrides(clusterOffsetsTopicOverrides(options.override, options.brokers), options.brokers));
  // Every node learns the voters (KIP-595's static quorum) and finds their leader itself.
  const quorum = clusterQuorumOverrides(brokerOverrides, voterIds, options.host, options.basePort);
  const supervisor = new ClusterSupervisor(
    {
      basePort: options.basePort,
      host: options.host,
      dataDir,
      secretFile: options.secretFile,
      clusterSecretFile,
      // __consumer_offsets with Kafka's 3 replicas cannot be created on fewer brokers: a smaller cluster gets one per broker;
      // and preferred leaders return within seconds rather than Kafka's 5 minutes (leader-imbalance-check.ts).
      override: quorum.overrides,
      inspectUrl: inspect?.url,
      readyTimeoutMs: options.readyTimeoutMs,
      voterIds: quorum.voterIds,
      clusterId,
    },
    options.brokers,
    logger,
  );
  supervisor.startAll();
  let stopping = false;
  let stoppingSinceMs = 0;
  let stopExtra: () => Promise<void> = stopDashboard;
  let stopControl: () => Promise<void> = async () => undefined;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C kills; a copy of the first relayed by a wrapper (pnpm, tsx) arrives within milliseconds.
      if (systemClock.now() - stoppingSinceMs < duplicateSignalWindowMs) return;
      supervisor.killAll();
      return;
    }
    stopping = true;
    stoppingSinceMs = systemClock.now();
    logger.info({ signal }, 'stopping the cluster (Ctrl-C again to kill it)');
    supervisor.stopping = true;
    stopControl()
      .then(() => stopExtra())
      .catch(() => undefined)
      .then(() => supervisor.stopAll())
      .then(() => inspect?.relay?.close())
      .then(
      () => process.exit(0),
      (error: unknown) => exitWithError('cluster up', error),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  try {
    await supervisor.waitUntilReady();
  } catch (error) {
    // A Ctrl-C during start-up is already stopping the brokers (and exits 0 when done).
    if (stopping) return;
    stopping = true;
    await supervisor.stopAll();
    return exitWithError('cluster up', error);
  }
  if (stopping) return;
  // `kactor cluster kill|stop|start N` from another terminal reach this process here.
  const control = await startControlServer(dataDir, (request) => supervisor.handle(request), logger);
  if ('error' in control) logger.warn(`${control.error}: kactor cluster kill, stop and start will not reach this cluster`);
  else stopControl = control.close;
  const bootstrap = supervisor.bootstrap();
  process.stdout.write(`bootstrap: ${bootstrap.join(',')}\n`);
  logger.info(`cluster of ${options.brokers} broker(s) running; data in ${dataDir}; Ctrl-C stops it`);
  logger.info(`${quorumNote(quorum.voterIds)} (kactor cluster kill|stop|start N act on node N)`);
  const offsetsNote = clusterOffsetsTopicNote(options.override, options.brokers);
  if (offsetsNote !== null) logger.info(offsetsNote);
  const preferredLeaders = leaderImbalanceNote(brokerOverrides);
  if (preferredLeaders !== undefined) logger.info(preferredLeaders);
  if (onReady !== undefined) {
    try {
      const stopDemo = await onReady(bootstrap, logger, inspect?.url, resolveSecret(options.secretFile));
      stopExtra = () => stopDashboard().then(stopDemo);
    } catch (error) {
      logger.error({ err: error }, 'the demo could not start; the cluster keeps running');
    }
  }
}

export function registerClusterCommand(program: Command, demo?: OnClusterReady): void {
  const cluster = program.command('cluster').description('Run a local cluster.');
  cluster
    .command('up')
    .description(
      'Start a local cluster: each broker its own OS process on 127.0.0.1, in KRaft mode. Nodes 0..M-1 (--controllers) are also ' +
        'the voters of the metadata quorum, which elect the active controller among themselves: with a majority of them running, ' +
        'any one can be killed and a new leader is elected. The cluster id is kept in --data-dir (cluster.id).',
    )
    .option('--brokers <N>', 'number of brokers', integerOption('--brokers', { min: 1, max: 100 }), 3)
    .option(
      '--controllers <M>',
      `number of metadata quorum voters (controller.quorum.voters), nodes 0..M-1, at most --brokers; the other nodes only observe (default: 1 voter for 1 or 2 brokers, else ${defaultVoterCountLimit})`,
      integerOption('--controllers', { min: 1, max: 100 }),
    )
    .option('--base-port <P>', 'broker N listens on base-port + N', portOption, 9100)
    .option('--data-dir <D>', 'data directory (broker N uses D/broker-N)', './.kactor')
    .option('--host <HOST>', 'interface to bind', '127.0.0.1')
    .option('--secret-file <F>', 'require every connection to present the secret in this file (or set KACTOR_SECRET)')
    .option('--cluster-secret-file <F>', `the brokers' cluster credential (default: ${CLUSTER_SECRET_FILE_NAME} in --data-dir, generated with mode 0600)`)
    .option(
      '--override <k=v>',
      `broker config for every broker, Kafka names (repeatable); unless given here, offsets.topic.replication.factor is at most --brokers and leader.imbalance.check.interval.seconds is ${localLeaderImbalanceCheckIntervalSeconds}`,
      collectKeyValue,
      [],
    )
    .option('--ready-timeout-ms <MS>', 'how long to wait for every broker to be RUNNING', integerOption('--ready-timeout-ms', { min: 1 }), 60_000)
    .option('--demo', 'once running, produce and consume a demo topic and show live progress')
    .option('--dashboard [PORT]', 'also serve the live dashboard on 127.0.0.1 (default port 9180; see `kactor dashboard`)', portOption)
    .option('--inspect [URL]', `${INSPECT_FLAG_HELP}; passed on to every broker (with --dashboard and no URL: to the dashboard's /inspect)`, parseInspectUrl)
    .action((options: ClusterUpOptions) => runClusterUp(options, options.demo === true ? demo : undefined));
  registerBrokerControlCommands(cluster);
  registerClusterQuorumCommand(cluster);
}
