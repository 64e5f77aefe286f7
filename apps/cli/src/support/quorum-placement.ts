/**
 * Where `cluster up` puts the KRaft metadata quorum's voters (issue 12, KIP-595's static `controller.quorum.voters`):
 * `--controllers M` nodes vote, nodes 0..M-1, and the others are broker-only observers of the metadata log. By default
 * every node votes in a cluster of 1 or 3, and 3 of a larger one: three voters survive the loss of any one, and more
 * voters only make every metadata write wait for more of them (Kafka recommends 3, or 5 to survive two losses). Two
 * nodes get one voter: a majority of two is both, so a second voter would survive no loss and stop the quorum when
 * either node is down, where one voter stops it only when node 0 is.
 * Every node gets the same `controller.quorum.voters`, naming each voter's own listener (one listener per node serves
 * everything here), unless the user set it with --override.
 */
import { CliError } from './cli-error.js';

const settingName = 'controller.quorum.voters';

/** How many voters a cluster of `brokers` nodes gets without --controllers. */
export const defaultVoterCountLimit = 3;
export function defaultControllerCount(brokers: number): number {
  const count = Math.min(brokers, defaultVoterCountLimit);
  // An even quorum tolerates no more losses than the odd one below it and needs one more voter up.
  return count % 2 === 0 ? count - 1 : count;
}

/**
 * The voters' node ids for `--brokers N [--controllers M]`: 0..M-1. Kafka accepts any voter count; one that is not
 * between 1 and the number of nodes cannot be placed, and is refused with one line.
 */
export function placeVoters(brokers: number, controllers: number | undefined): number[] {
  const count = controllers ?? defaultControllerCount(brokers);
  if (!Number.isSafeInteger(count) || count < 1) throw new CliError(`--controllers must be at least 1, got ${count}`);
  if (count > brokers) throw new CliError(`--controllers ${count} is more than --brokers ${brokers}: every voter is one of the nodes`);
  return Array.from({ length: count }, (_, nodeId) => nodeId);
}

/** `controller.quorum.voters=0@127.0.0.1:9100,1@127.0.0.1:9101,...`: each voter at its own node's port. */
export function quorumVotersValue(voterIds: readonly number[], host: string, basePort: number): string {
  return voterIds.map((nodeId) => `${nodeId}@${host}:${basePort + nodeId}`).join(',');
}

function userVoters(overrides: readonly string[]): string | undefined {
  const entry = overrides.find((each) => each.slice(0, each.indexOf('=')).trim() === settingName);
  return entry?.slice(entry.indexOf('=') + 1).trim();
}

/**
 * The overrides every node gets, with the placed voters first unless the user gave `controller.quorum.voters`; and
 * the voter ids in effect (the user's, when given), for cluster.json.
 */
export function clusterQuorumOverrides(overrides: readonly string[], voterIds: readonly number[], host: string, basePort: number): { overrides: string[]; voterIds: number[] } {
  const chosen = userVoters(overrides);
  if (chosen === undefined) return { overrides: [`${settingName}=${quorumVotersValue(voterIds, host, basePort)}`, ...overrides], voterIds: [...voterIds] };
  const ids = chosen
    .split(',')
    .map((entry) => Number(entry.slice(0, entry.indexOf('@')).trim()))
    .filter((id) => Number.isSafeInteger(id) && id >= 0);
  return { overrides: [...overrides], voterIds: [...new Set(ids)].sort((a, b) => a - b) };
}
