/**
 * `kactor broker` once its flags are parsed (broker.ts registers them and loads this module only when the
 * command runs): starts the node, reports to a parent `cluster up`, and shuts down on a signal.
 */
import { accessSync, constants as fsConstants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { BrokerStartupError, FileMetaPropertiesStore, startBrokerNode, type BrokerNode, type ProcessRole } from '@kactor/broker';
import { parseConfig } from '@kactor/protocol';
import { systemClock, systemIdGenerator, systemRandom, TransportError, WebSocketTransport } from '@kactor/runtime';
import { FileLogStore, FileQuorumStateStore, systemFs, type QuorumStateStore } from '@kactor/storage';
import { CliError, exitWithError } from '../support/errors.js';
import { actorLogger, cliLogger } from '../support/logging.js';
import { keyValuesToRecord } from '../support/options.js';
import { resolveSecret } from '../support/secret.js';
import { singleNodeOffsetsTopicOverrides } from '../support/offsets-topic-replication.js';
import { singleNodeTransactionStateOverrides } from '../support/transaction-state-replication.js';
import { resolveClusterSecret } from '../support/cluster-secret.js';
import { startCliInspection } from '../support/inspection.js';
import { shutdownOnSignals, type ShutdownSignalHandle } from '../support/shutdown-signals.js';
import { isSingleNodeCluster, metadataPartitionDir, nodeProcessRoles, quorumVoterIdsOf } from '../support/kraft-node.js';
import type { BrokerCommandOptions, BrokerIpcMessage } from './broker.js';
import { kafkaEndpointText, kafkaListenerConfig } from './broker-kafka-listener.js';

function writableDataDir(dataDir: string): string {
  const path = resolve(dataDir);
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, fsConstants.W_OK);
  } catch (error) {
    throw new CliError(`cannot use the data directory ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)} (is it writable?)`);
  }
  return path;
}

/** What a KRaft node adds to its options (issue 12): the shared cluster id and where its Raft replica keeps its election state. */
interface KraftNodeOptions {
  clusterId?: string | undefined;
  quorumStateStore?: QuorumStateStore | undefined;
}

function kraftNodeOptions(options: BrokerCommandOptions, dataDir: string, voterIds: readonly number[]): KraftNodeOptions {
  if (voterIds.length === 0) return {};
  return { clusterId: options.clusterId, quorumStateStore: new FileQuorumStateStore(systemFs, metadataPartitionDir(dataDir)) };
}

function startupMessage(error: unknown, options: BrokerCommandOptions): string {
  if (error instanceof TransportError && error.code === 'ADDRESS_IN_USE') return `port ${options.port} on ${options.host} is already in use`;
  if (error instanceof TransportError) return `cannot listen on ${options.host}:${options.port}: ${error.message}`;
  if (error instanceof BrokerStartupError || error instanceof CliError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export async function runBroker(options: BrokerCommandOptions): Promise<void> {
  const report = (message: BrokerIpcMessage) => process.send?.(message);
  let node: BrokerNode | undefined;
  let signals: ShutdownSignalHandle | undefined;
  try {
    const voterIds = quorumVoterIdsOf(options.override);
    const roles: ProcessRole[] = nodeProcessRoles({ nodeId: options.id, processRoles: options.processRoles, controller: options.controller, voterIds });
    const singleNode = isSingleNodeCluster(options.id, roles, voterIds);
    const dataDir = writableDataDir(options.dataDir);
    // The command's own lines (running, shutting down) at info; the node's actors only warn unless --log-level says more.
    const logger = cliLogger({ node: `broker-${options.id}` });
    const actorsLogger = actorLogger({ node: `broker-${options.id}` });
    const kafkaListener = kafkaListenerConfig(options);
    const config = parseConfig('broker', {
      ...kafkaListener.config,
      'node.id': String(options.id),
      'process.roles': roles.join(','),
      'log.dirs': dataDir,
      ...singleNodeOffsetsTopicOverrides(options.override, singleNode),
      ...singleNodeTransactionStateOverrides(options.override, singleNode),
      ...keyValuesToRecord(options.override),
    });
    const clock = systemClock;
    const inspection = startCliInspection(options.inspect, undefined, resolveSecret(options.secretFile));
    const stopNode = (running: BrokerNode) =>
      running
        .shutdown()
        .then(() => inspection.close())
        .then(
          () => process.exit(0),
          (error: unknown) => exitWithError('broker', error),
        );
    // Listening from before the node starts: a signal during start-up stops it cleanly once it exists.
    signals = shutdownOnSignals(logger, systemClock, (reason) => {
      logger.info({ signal: reason }, 'shutting down');
      if (node !== undefined) void stopNode(node);
    });
    node = await startBrokerNode({
      brokerId: options.id,
      host: options.host,
      port: options.port,
      advertisedHost: options.advertisedHost,
      processRoles: roles,
      controllerUrl: options.controller,
      config,
      logStore: new FileLogStore(dataDir, { clock, logger: actorsLogger.child({ actor: 'log-manager' }), logFlushSchedulerIntervalMs: config.logFlushSchedulerIntervalMs }),
      metaProperties: new FileMetaPropertiesStore(dataDir),
      logDir: dataDir,
      clock,
      random: systemRandom,
      ids: systemIdGenerator,
      transport: new WebSocketTransport(),
      logger: actorsLogger,
      secret: resolveSecret(options.secretFile),
      clusterSecret: resolveClusterSecret({ clusterSecretFile: options.clusterSecretFile, dataDir, mayGenerate: singleNode }),
      inspect: inspection.inspect,
      serveKafkaClients: kafkaListener.serveKafkaClients,
      ...kraftNodeOptions(options, dataDir, voterIds),
    });
    if (signals.requested) void stopNode(node);
    // Started by `cluster up`: if it goes away without stopping us, do not linger holding the port.
    process.once('disconnect', () => signals?.request('parent exited'));
    await node.whenRunning();
    logger.info({ url: node.url }, `broker ${options.id} running`);
    report({ type: 'ready', brokerId: options.id, url: node.url, kafkaEndpoint: kafkaEndpointText(node.kafkaEndpoint) });
  } catch (error) {
    // Stopped before it was running: the shutdown under way closes the logs and exits.
    if (node !== undefined && signals?.requested === true) return;
    const message = startupMessage(error, options);
    report({ type: 'failed', brokerId: options.id, message });
    return exitWithError('broker', new CliError(message));
  }
}
