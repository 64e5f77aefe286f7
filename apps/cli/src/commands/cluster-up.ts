/**
 * `kactor cluster up`: a local cluster of N brokers, each its own OS process (`kactor broker`), broker 0
 * also running the controller. Prints one `bootstrap:` line once every broker is RUNNING, and stops them
 * all on SIGINT or SIGTERM (brokers first, the controller last, each with a controlled shutdown).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock, type Logger } from '@kactor/runtime';
import type { Command } from 'commander';
import { CliError, exitWithError } from '../support/errors.js';
import { cliLogger } from '../support/logging.js';
import { collectKeyValue, integerOption, portOption } from '../support/options.js';
import { ensureLocalRelay, INSPECT_FLAG_HELP, parseInspectUrl, type InspectOption } from '../support/inspection.js';
import { resolveSecret } from '../support/secret.js';
import { CLUSTER_SECRET_FILE_NAME, ensureClusterSecretFile } from '../support/cluster-secret.js';
import type { BrokerIpcMessage } from './broker.js';
import { dashboardInspectUrl, defaultDashboardPort, startClusterDashboard } from './dashboard.js';

export interface ClusterUpOptions {
  brokers: number;
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

/** How long a broker gets for its controlled shutdown before it is killed. */
const shutdownGraceMs = 30_000;
/** Signals this close after the first are copies relayed by wrappers, not a second Ctrl-C. */
const duplicateSignalWindowMs = 1_000;
/**
 * Each broker runs the same entry point as this process, with the same node flags: `node --import tsx main.ts`
 * (tests, `tsx`) or the `kactor` bin, which registers tsx itself (`pnpm kactor`, `pnpm start`).
 */
const mainScript = process.argv[1] ?? fileURLToPath(new URL('../main.ts', import.meta.url));

interface BrokerProcess {
  brokerId: number;
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
  running: boolean;
}

function spawnBroker(options: ClusterUpOptions, brokerId: number, dataDir: string, inspectUrl: string | undefined, clusterSecretFile: string): BrokerProcess {
  const port = options.basePort + brokerId;
  const args = [
    ...process.execArgv,
    mainScript,
    'broker',
    '--id',
    String(brokerId),
    '--port',
    String(port),
    '--host',
    options.host,
    '--data-dir',
    join(dataDir, `broker-${brokerId}`),
    ...(brokerId === 0 ? ['--process-roles', 'broker,controller'] : ['--controller', `ws://${options.host}:${options.basePort}`]),
    ...(options.secretFile === undefined ? [] : ['--secret-file', options.secretFile]),
    '--cluster-secret-file',
    clusterSecretFile,
    ...options.override.flatMap((entry) => ['--override', entry]),
    ...(inspectUrl === undefined ? [] : ['--inspect', inspectUrl]),
  ];
  // Each broker gets its own process group, so a terminal's Ctrl-C reaches only `cluster up`, which stops
  // the brokers in order; a broker whose parent dies notices its IPC channel close and shuts down itself.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { brokerId, port, child, exited, running: false };
}

function waitUntilReady(brokers: BrokerProcess[], timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const timer = systemClock.setTimeout(() => {
      const missing = brokers.filter((broker) => !broker.running).map((broker) => broker.brokerId);
      reject(new CliError(`broker(s) ${missing.join(', ')} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    const check = () => {
      if (brokers.every((broker) => broker.running)) {
        systemClock.clearTimeout(timer);
        resolvePromise();
      }
    };
    for (const broker of brokers) {
      broker.child.on('message', (message: BrokerIpcMessage) => {
        if (message.type === 'ready') {
          broker.running = true;
          check();
        } else if (message.type === 'failed') {
          systemClock.clearTimeout(timer);
          reject(new CliError(`broker ${broker.brokerId} failed to start: ${message.message}`));
        }
      });
      broker.child.once('exit', (code, signal) => {
        if (broker.running) return;
        systemClock.clearTimeout(timer);
        reject(new CliError(`broker ${broker.brokerId} exited during start-up (${signal ?? `exit code ${code}`})`));
      });
    }
  });
}

async function stopBroker(broker: BrokerProcess, logger: Logger): Promise<void> {
  if (broker.child.exitCode !== null || broker.child.signalCode !== null) return;
  broker.child.kill('SIGTERM');
  const timer = systemClock.setTimeout(() => {
    logger.warn({ brokerId: broker.brokerId }, `broker ${broker.brokerId} did not stop within ${shutdownGraceMs} ms: killing it`);
    broker.child.kill('SIGKILL');
  }, shutdownGraceMs);
  await broker.exited;
  systemClock.clearTimeout(timer);
}

/** Brokers first and the controller (broker 0) last, so every broker can still reach it for its controlled shutdown. */
async function stopCluster(brokers: BrokerProcess[], logger: Logger): Promise<void> {
  await Promise.all(brokers.filter((broker) => broker.brokerId !== 0).map((broker) => stopBroker(broker, logger)));
  const controller = brokers.find((broker) => broker.brokerId === 0);
  if (controller !== undefined) await stopBroker(controller, logger);
}

/**
 * Something to run once the cluster is up (the demo); it returns how to stop it before the brokers stop.
 * `inspectUrl`: where the brokers stream their statecharts (--inspect), for its own actors to follow;
 * `secret`: the clients' shared secret of the cluster (--secret-file, KACTOR_SECRET), to present to the brokers.
 */
export type OnClusterReady = (bootstrap: string[], logger: Logger, inspectUrl?: string, secret?: string) => Promise<() => Promise<void>>;

export async function runClusterUp(options: ClusterUpOptions, onReady?: OnClusterReady): Promise<void> {
  const logger = cliLogger({ node: 'cluster' });
  const dataDir = resolve(options.dataDir);
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
  const brokers = Array.from({ length: options.brokers }, (_, brokerId) => spawnBroker(options, brokerId, dataDir, inspect?.url, clusterSecretFile));
  let stopping = false;
  let stoppingSinceMs = 0;
  let stopExtra: () => Promise<void> = stopDashboard;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C kills; a copy of the first relayed by a wrapper (pnpm, tsx) arrives within milliseconds.
      if (systemClock.now() - stoppingSinceMs < duplicateSignalWindowMs) return;
      for (const broker of brokers) broker.child.kill('SIGKILL');
      return;
    }
    stopping = true;
    stoppingSinceMs = systemClock.now();
    logger.info({ signal }, 'stopping the cluster (Ctrl-C again to kill it)');
    stopExtra()
      .catch(() => undefined)
      .then(() => stopCluster(brokers, logger))
      .then(() => inspect?.relay?.close())
      .then(
      () => process.exit(0),
      (error: unknown) => exitWithError('cluster up', error),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  try {
    await waitUntilReady(brokers, options.readyTimeoutMs);
  } catch (error) {
    stopping = true;
    await Promise.all(brokers.map((broker) => stopBroker(broker, logger)));
    return exitWithError('cluster up', error);
  }
  for (const broker of brokers) {
    broker.child.once('exit', (code, signal) => {
      if (!stopping) logger.error({ brokerId: broker.brokerId }, `broker ${broker.brokerId} exited unexpectedly (${signal ?? `exit code ${code}`})`);
    });
  }
  const bootstrap = brokers.map((broker) => `ws://${options.host}:${broker.port}`);
  process.stdout.write(`bootstrap: ${bootstrap.join(',')}\n`);
  logger.info(`cluster of ${options.brokers} broker(s) running; data in ${dataDir}; Ctrl-C stops it`);
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
    .description('Start a local cluster: each broker its own OS process on 127.0.0.1, broker 0 also the controller.')
    .option('--brokers <N>', 'number of brokers', integerOption('--brokers', { min: 1, max: 100 }), 3)
    .option('--base-port <P>', 'broker N listens on base-port + N', portOption, 9100)
    .option('--data-dir <D>', 'data directory (broker N uses D/broker-N)', './.kactor')
    .option('--host <HOST>', 'interface to bind', '127.0.0.1')
    .option('--secret-file <F>', 'require every connection to present the secret in this file (or set KACTOR_SECRET)')
    .option('--cluster-secret-file <F>', `the brokers' cluster credential (default: ${CLUSTER_SECRET_FILE_NAME} in --data-dir, generated with mode 0600)`)
    .option('--override <k=v>', 'broker config for every broker, Kafka names (repeatable)', collectKeyValue, [])
    .option('--ready-timeout-ms <MS>', 'how long to wait for every broker to be RUNNING', integerOption('--ready-timeout-ms', { min: 1 }), 60_000)
    .option('--demo', 'once running, produce and consume a demo topic and show live progress')
    .option('--dashboard [PORT]', 'also serve the live dashboard on 127.0.0.1 (default port 9180; see `kactor dashboard`)', portOption)
    .option('--inspect [URL]', `${INSPECT_FLAG_HELP}; passed on to every broker (with --dashboard and no URL: to the dashboard's /inspect)`, parseInspectUrl)
    .action((options: ClusterUpOptions) => runClusterUp(options, options.demo === true ? demo : undefined));
}
