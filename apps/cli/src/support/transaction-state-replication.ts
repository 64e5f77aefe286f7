/**
 * The replication of `__transaction_state` on a local cluster, as offsets-topic-replication.ts does for
 * `__consumer_offsets`: Kafka's defaults (`transaction.state.log.replication.factor` 3, `transaction.state.log.min.isr` 2)
 * need three brokers, so a smaller cluster could never create the topic (or acknowledge a state change) and no
 * transactional producer would ever find its coordinator. As Kafka's single-node sample config sets both to 1,
 * `cluster up --brokers N` lowers the factor to N and the min ISR to at most N, and a lone `kactor broker` that runs
 * its own controller gets 1 and 1, unless the user chose a value with `--override`.
 */
import { parseConfig } from '@kactor/protocol';

const replicationFactorName = 'transaction.state.log.replication.factor';
const minIsrName = 'transaction.state.log.min.isr';

function chosenByUser(overrides: readonly string[], name: string): boolean {
  return overrides.some((entry) => entry.slice(0, entry.indexOf('=')).trim() === name);
}

/** Kafka's defaults, from the one config module. */
function defaults(): { replicationFactor: number; minIsr: number } {
  const config = parseConfig('broker', { 'node.id': '0', 'process.roles': 'broker,controller' });
  return { replicationFactor: config.transactionStateLogReplicationFactor, minIsr: config.transactionStateLogMinIsr };
}

/** `cluster up --brokers N`: the settings every broker gets before the user's overrides (which still win). */
export function clusterTransactionStateOverrides(overrides: readonly string[], brokers: number): string[] {
  const kafka = defaults();
  const added: string[] = [];
  if (!chosenByUser(overrides, replicationFactorName)) added.push(`${replicationFactorName}=${Math.min(kafka.replicationFactor, brokers)}`);
  if (!chosenByUser(overrides, minIsrName)) added.push(`${minIsrName}=${Math.min(kafka.minIsr, brokers)}`);
  return [...added, ...overrides];
}

/** `kactor broker` alone, running its own controller: a single-node cluster, so one replica that is its own ISR. */
export function singleNodeTransactionStateOverrides(overrides: readonly string[], runsController: boolean): Record<string, string> {
  if (!runsController) return {};
  const result: Record<string, string> = {};
  if (!chosenByUser(overrides, replicationFactorName)) result[replicationFactorName] = '1';
  if (!chosenByUser(overrides, minIsrName)) result[minIsrName] = '1';
  return result;
}
