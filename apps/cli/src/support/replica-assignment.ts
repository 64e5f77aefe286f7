/**
 * `topics create --replica-assignment`, in kafka-topics.sh's form: partitions separated by commas, each partition's
 * brokers by colons, its preferred leader first (`0:1:2,1:2:0` is two partitions of three replicas). It replaces
 * --partitions and --replication-factor, as in Kafka; the controller checks the brokers (INVALID_REPLICA_ASSIGNMENT).
 */
import { CliError } from './cli-error.js';

export function parseReplicaAssignment(text: string): number[][] {
  const partitions = text.split(',').map((partition) => partition.trim());
  return partitions.map((partition, index) => {
    const brokers = partition.split(':').map((broker) => broker.trim());
    if (brokers.some((broker) => !/^\d+$/.test(broker) || !Number.isSafeInteger(Number(broker)))) {
      throw new CliError(`--replica-assignment: partition ${index} is "${partition}"; write broker ids separated by ':' and partitions by ',', e.g. 0:1:2,1:2:0`);
    }
    const ids = brokers.map(Number);
    if (new Set(ids).size !== ids.length) throw new CliError(`--replica-assignment: partition ${index} names a broker more than once (${partition})`);
    return ids;
  });
}

/**
 * One of --partitions or --replica-assignment is needed (commander refuses the two together, as Kafka's TopicCommand
 * does); worded as commander words a missing required option.
 */
export function missingPartitionsOption(given: { partitions?: unknown; replicaAssignment?: unknown }): string | undefined {
  return given.partitions === undefined && given.replicaAssignment === undefined ? "required option '--partitions <P>' not specified (or give --replica-assignment)" : undefined;
}
