/**
 * `kactor cluster up`: a local cluster of N brokers, each its own OS process (`kactor broker`) in KRaft mode
 * (issue 12): nodes 0..M-1 are also the voters of the metadata quorum (`--controllers M`), any of which may be the
 * active controller, and the others observe it; all share one cluster id (`<data-dir>/cluster.id`). Prints one
 * `bootstrap:` line once every broker is RUNNING, and stops them all on SIGINT or SIGTERM (observers first, the
 * voters last, each with a controlled shutdown). This file holds the flags; the cluster starts from
 * cluster-up-run.ts, loaded when the command runs.
 */
import type { Logger } from '@kactor/runtime';
import type { Command } from 'commander';
import { CLUSTER_SECRET_FILE_NAME } from '../support/cluster-secret-names.js';
import { INSPECT_FLAG_HELP, parseInspectUrl, type InspectOption } from '../support/inspect-flag.js';
import { localLeaderImbalanceCheckIntervalSeconds } from '../support/leader-imbalance-interval.js';
import { collectKeyValue, integerOption, portOption } from '../support/options.js';
import { defaultVoterCountLimit } from '../support/quorum-placement.js';
import { DEFAULT_FIRST_KAFKA_PORT } from './broker-kafka-listener.js';
import { registerBrokerControlCommands } from './cluster-broker-commands.js';
import { registerClusterQuorumCommand } from './cluster-quorum-command.js';

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
  /** --kafka-port P: broker N serves Kafka's clients on P + N (0: free ports); --no-kafka-listener sets kafkaListener false (issue 16). */
  kafkaPort: number;
  kafkaListener: boolean;
}

/**
 * Something to run once the cluster is up (the demo); it returns how to stop it before the brokers stop.
 * `inspectUrl`: where the brokers stream their statecharts (--inspect), for its own actors to follow;
 * `secret`: the clients' shared secret of the cluster (--secret-file, KACTOR_SECRET), to present to the brokers.
 */
export type OnClusterReady = (bootstrap: string[], logger: Logger, inspectUrl?: string, secret?: string) => Promise<() => Promise<void>>;

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
    .option('--kafka-port <P>', "broker N serves Kafka's own clients (Kafka's protocol) on P + N; 0 gives each a free port (printed)", portOption, DEFAULT_FIRST_KAFKA_PORT)
    .option('--no-kafka-listener', "serve no Kafka clients, only kactor's own")
    .action(async (options: ClusterUpOptions) => (await import('./cluster-up-run.js')).runClusterUp(options, options.demo === true ? demo : undefined));
  registerBrokerControlCommands(cluster);
  registerClusterQuorumCommand(cluster);
}
