/**
 * The replication factor `__consumer_offsets` is created with on a local cluster. Kafka's default
 * (`offsets.topic.replication.factor`, 3) needs three registered brokers; a smaller cluster could never create
 * the topic, so no group would ever find a coordinator. As Kafka's own single-node sample config sets it to 1,
 * `cluster up --brokers N` lowers it to N and a lone `kactor broker` that runs its own controller to 1, unless the
 * user chose a value with `--override`.
 */
import { parseConfig } from '@kactor/protocol';

const settingName = 'offsets.topic.replication.factor';

function chosenByUser(overrides: readonly string[]): boolean {
  return overrides.some((entry) => entry.slice(0, entry.indexOf('=')).trim() === settingName);
}

/** Kafka's default, from the one config module. */
function defaultReplicationFactor(): number {
  return parseConfig('broker', { 'node.id': '0', 'process.roles': 'broker,controller' }).offsetsTopicReplicationFactor;
}

/**
 * `cluster up --brokers N`: the overrides every broker gets, with the factor lowered to N when N is below the default.
 * It is always passed, so broker 0 (which runs the controller) is not taken for a lone broker.
 */
export function clusterOffsetsTopicOverrides(overrides: readonly string[], brokers: number): string[] {
  if (chosenByUser(overrides)) return [...overrides];
  return [`${settingName}=${Math.min(defaultReplicationFactor(), brokers)}`, ...overrides];
}

/** What `cluster up` says when it lowered the factor, so a user reading its output knows why the offsets have fewer copies. */
export function clusterOffsetsTopicNote(overrides: readonly string[], brokers: number): string | null {
  const kafkaDefault = defaultReplicationFactor();
  if (chosenByUser(overrides) || brokers >= kafkaDefault) return null;
  return `__consumer_offsets gets ${brokers} replica(s) per partition: offsets.topic.replication.factor lowered from Kafka's ${kafkaDefault} to the ${brokers} broker(s) of this cluster`;
}

/**
 * `kactor broker` alone: a node that runs its own controller and was not started by `cluster up` (which always
 * passes the setting) is a single-node cluster until told otherwise, so its offsets topic has one replica.
 */
export function singleNodeOffsetsTopicOverrides(overrides: readonly string[], runsController: boolean): Record<string, string> {
  return runsController && !chosenByUser(overrides) ? { [settingName]: '1' } : {};
}
