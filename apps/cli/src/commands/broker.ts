/**
 * `kactor broker`: one broker node as this process, for clusters that span machines (and what `cluster up`
 * starts once per broker). Stops with a controlled shutdown on SIGINT or SIGTERM, which then runs to completion:
 * later signals are only logged (see support/shutdown-signals.ts), so the logs always close cleanly.
 * With `--override controller.quorum.voters=...` the node runs in KRaft mode (issue 12): voters also run a controller
 * of the metadata quorum, every node finds the quorum's leader itself, and all share `--cluster-id` (support/kraft-node.ts).
 * This file holds the flags; the node starts from broker-run.ts, loaded when the command runs.
 */
import type { Command } from 'commander';
import { INSPECT_FLAG_HELP, parseInspectUrl, type InspectOption } from '../support/inspect-flag.js';
import { collectKeyValue, integerOption, portOption } from '../support/options.js';
import { addKafkaListenerFlags } from './broker-kafka-listener.js';

export interface BrokerCommandOptions {
  id: number;
  port: number;
  host: string;
  advertisedHost?: string;
  dataDir: string;
  controller?: string;
  processRoles?: string;
  /** --cluster-id: the id every node of a KRaft cluster shares (Kafka's `kafka-storage format --cluster-id`). */
  clusterId?: string;
  secretFile?: string;
  clusterSecretFile?: string;
  override: string[];
  inspect?: InspectOption;
  /** --listeners / --advertised-listeners: Kafka's, for Kafka's own clients (broker-kafka-listener.ts). */
  listeners?: string;
  advertisedListeners?: string;
}

/** Messages a broker started by `cluster up` sends its parent over the IPC channel. */
export type BrokerIpcMessage = { type: 'ready'; brokerId: number; url: string; kafkaEndpoint?: string | undefined } | { type: 'failed'; brokerId: number; message: string };

export function registerBrokerCommand(program: Command): void {
  const command = program
    .command('broker')
    .description('Run one broker node in this process (cluster up starts one per broker).')
    .requiredOption('--id <N>', 'node.id of this broker', integerOption('--id', { min: 0 }))
    .requiredOption('--port <P>', 'port to listen on (0 picks a free one)', portOption)
    .requiredOption('--data-dir <D>', "this broker's data directory (log.dirs)")
    .option('--controller <URL>', 'the controller to register with, e.g. ws://127.0.0.1:9100 (omit to run the controller here; refused with controller.quorum.voters)')
    .option(
      '--process-roles <ROLES>',
      'broker, or broker,controller (default: broker,controller without --controller; with controller.quorum.voters, broker,controller on a voter and broker on the others)',
    )
    .option('--cluster-id <ID>', "the cluster id every node of a KRaft cluster shares (used when --data-dir's meta.properties has none yet)")
    .option('--host <HOST>', 'interface to bind', '127.0.0.1')
    .option('--advertised-host <HOST>', 'host name clients should use, when it differs from --host')
    .option('--secret-file <F>', 'require every connection to present the secret in this file (or set KACTOR_SECRET)')
    .option(
      '--cluster-secret-file <F>',
      'the cluster credential brokers and the controller present to each other (or set KACTOR_CLUSTER_SECRET; default: cluster.secret in --data-dir, generated there on a controller)',
    )
    .option('--override <k=v>', 'broker config, Kafka names (repeatable), e.g. --override broker.session.timeout.ms=6000', collectKeyValue, [])
    .option('--inspect [URL]', INSPECT_FLAG_HELP, parseInspectUrl);
  addKafkaListenerFlags(command).action(async (options: BrokerCommandOptions) => (await import('./broker-run.js')).runBroker(options));
}
