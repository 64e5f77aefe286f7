/**
 * `kactor cluster quorum`'s flags and help; what it does is in cluster-quorum.ts, loaded when it runs.
 */
import type { Command } from 'commander';
import { addClientOptions } from '../support/client-flags.js';
import { integerOption } from '../support/options.js';
import type { ClusterQuorumOptions } from './cluster-quorum.js';

export function registerClusterQuorumCommand(cluster: Command): void {
  addClientOptions(
    cluster
      .command('quorum')
      .description(
        "Describe the KRaft metadata quorum (Kafka's kafka-metadata-quorum describe --status and --replication): the leader, its epoch and high watermark, " +
          "and each voter's and observer's log end offset, lag and last fetch. Exits 1 when the quorum has no leader.",
      )
      .option('--json', 'print {"leaderId","leaderEpoch","highWatermark","voters":[...],"observers":[...]} (leaderId -1 when there is no leader)')
      .option('--human-readable', 'print the fetch times as "N ms ago" rather than milliseconds since the epoch')
      .option('--data-dir <D>', 'the data directory of the cluster up to describe (its running nodes are the bootstrap servers)', './.kactor')
      .option('--timeout-ms <MS>', 'how long to look for the quorum leader', integerOption('--timeout-ms', { min: 1 }), 15_000),
  ).action(async (options: ClusterQuorumOptions) => (await import('./cluster-quorum.js')).runClusterQuorum(options));
}
