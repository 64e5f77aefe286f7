/**
 * How soon preferred leaders return on a `cluster up` cluster. Kafka's controller checks leader imbalance every
 * `leader.imbalance.check.interval.seconds` (300), a pace meant for production; on a local cluster where a user
 * kills and starts brokers to watch failover, five minutes looks as if leadership never came back. So `cluster up`
 * checks every 10 s unless the user chose a value with `--override`, and says so when it starts, with the command
 * that elects preferred leaders at once (Kafka's kafka-leader-election.sh).
 */
import { parseConfig } from '@kactor/protocol';
import { leaderImbalanceCheckIntervalSettingName as settingName, localLeaderImbalanceCheckIntervalSeconds } from './leader-imbalance-interval.js';
import { keyValuesToRecord } from './options.js';

export { localLeaderImbalanceCheckIntervalSeconds };

/** The overrides every broker of `cluster up` gets: the local check interval first, unless the user set one. */
export function clusterLeaderImbalanceOverrides(overrides: readonly string[]): string[] {
  if (overrides.some((entry) => entry.slice(0, entry.indexOf('=')).trim() === settingName)) return [...overrides];
  return [`${settingName}=${localLeaderImbalanceCheckIntervalSeconds}`, ...overrides];
}

const electNow = 'kactor topics elect-leaders --election-type preferred --all-topic-partitions';

/**
 * The line `cluster up` prints about preferred leaders, from the settings its brokers run with; undefined when they
 * do not parse (the brokers then refuse to start and say why).
 */
export function leaderImbalanceNote(overrides: readonly string[]): string | undefined {
  let config;
  try {
    config = parseConfig('broker', { 'node.id': '0', 'process.roles': 'broker,controller', ...keyValuesToRecord(overrides) });
  } catch {
    return undefined;
  }
  const defaults = parseConfig('broker', { 'node.id': '0', 'process.roles': 'broker,controller' });
  if (!config.autoLeaderRebalanceEnable) return `auto.leader.rebalance.enable=false: preferred leaders return only with ${electNow}`;
  const interval = config.leaderImbalanceCheckIntervalSeconds;
  const kafkaDefault = interval === defaults.leaderImbalanceCheckIntervalSeconds ? '' : ` (Kafka's default is ${defaults.leaderImbalanceCheckIntervalSeconds} s)`;
  return `preferred leaders return within ${settingName}=${interval} s${kafkaDefault}, or at once with ${electNow}`;
}
