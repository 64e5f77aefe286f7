/**
 * `kactor cluster up` once its flags are parsed (cluster-up.ts registers them and loads this module only when
 * the command runs): starts the brokers, waits until every one is RUNNING, serves `cluster kill|stop|start`,
 * and stops them all on SIGINT or SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock, systemRandom } from '@kactor/runtime';
import { CliError, exitWithError } from '../support/errors.js';
import { cliLogger } from '../support/logging.js';
import { ensureLocalRelay } from '../support/inspection.js';
import { resolveSecret } from '../support/secret.js';
import { clusterOffsetsTopicNote, clusterOffsetsTopicOverrides } from '../support/offsets-topic-replication.js';
import { clusterTransactionStateOverrides } from '../support/transaction-state-replication.js';
import { clusterLeaderImbalanceOverrides, leaderImbalanceNote } from '../support/leader-imbalance-check.js';
import { CLUSTER_SECRET_FILE_NAME, ensureClusterSecretFile } from '../support/cluster-secret.js';
import { startControlServer } from './cluster-control.js';
import { quorumNote } from './cluster-control-decisions.js';
import { ensureClusterId } from '../support/cluster-id.js';
import { ClusterSupervisor } from './cluster-supervisor.js';
import { checkClusterKafkaPorts } from './broker-kafka-listener.js';
import { clusterQuorumOverrides, placeVoters } from '../support/quorum-placement.js';
import { defaultDashboardPort } from './dashboard.js';
import type { ClusterUpOptions, OnClusterReady } from './cluster-up.js';

/** Signals this close after the first are copies relayed by wrappers, not a second Ctrl-C. */
const duplicateSignalWindowMs = 1_000;

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
  try {
    if (options.kafkaListener) checkClusterKafkaPorts(options.kafkaPort, options.brokers, options.basePort);
  } catch (error) {
    return exitWithError('cluster up', error);
  }
  // A bare --inspect starts one relay here, for every broker (each starting its own would fight over the port);
  // with --dashboard, the dashboard is that relay: the brokers stream to it (and retry until it listens).
  let inspect: Awaited<ReturnType<typeof ensureLocalRelay>> | undefined;
  // The dashboard's server and the admin client it reads with load only for --dashboard.
  const dashboard = options.dashboard === undefined ? undefined : await import('./dashboard-run.js');
  try {
    if (options.inspect === true && options.dashboard !== undefined && dashboard !== undefined) inspect = { url: dashboard.dashboardInspectUrl(options.dashboard === true ? defaultDashboardPort : options.dashboard), relay: undefined };
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
  if (options.dashboard !== undefined && dashboard !== undefined) {
    // The brokers stream their statecharts where --inspect said; the page then shows the cluster's data but
    // not their charts, which a user who asked for both may not expect.
    const dashboardPort = options.dashboard === true ? defaultDashboardPort : options.dashboard;
    if (typeof options.inspect === 'string' && options.inspect !== dashboard.dashboardInspectUrl(dashboardPort)) {
      logger.warn(`the brokers' statecharts go to ${options.inspect}, so the dashboard shows the cluster but not their charts (use a bare --inspect to send them to the dashboard)`);
    }
    const planned = Array.from({ length: options.brokers }, (_, brokerId) => `ws://${options.host}:${options.basePort + brokerId}`);
    stopDashboard = await dashboard.startClusterDashboard(options.dashboard, planned, options.secretFile, logger);
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
      kafkaPort: options.kafkaListener ? options.kafkaPort : undefined,
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
  // Kafka's own clients connect to the brokers' Kafka listeners (issue 16), named as each broker reported it.
  const kafkaBootstrap = supervisor.kafkaBootstrap();
  process.stdout.write(`bootstrap: ${bootstrap.join(',')}\n${kafkaBootstrap.length === 0 ? '' : `Kafka clients: ${kafkaBootstrap.join(',')}\n`}`);
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
