/**
 * `kactor broker` in KRaft mode (issue 12, KIP-595): with `controller.quorum.voters` set (`--override`), every node
 * finds the metadata quorum's leader itself, so `--controller` has no meaning, and a node votes exactly when its id is
 * among the voters. Without voters the node runs as before issue 12 (one controller, `--controller URL` on the others),
 * and these rules keep that behaviour unchanged.
 */
import { join } from 'node:path';
import type { ProcessRole } from '@kactor/broker';
import { parseConfig } from '@kactor/protocol';
import { CliError } from './errors.js';

const votersSetting = 'controller.quorum.voters';
/** The folder of `__cluster_metadata` partition 0 in a data directory (FileLogStore's `<topic>-<partition>`), where Kafka keeps `quorum-state`. */
export const METADATA_PARTITION_DIR = '__cluster_metadata-0';

export const controllerFlagRefusal = '--controller is for a cluster with one controller; with controller.quorum.voters every node finds the quorum leader itself';

export function metadataPartitionDir(dataDir: string): string {
  return join(dataDir, METADATA_PARTITION_DIR);
}

/**
 * The voter ids of `controller.quorum.voters` among the `--override k=v` entries, parsed by the config module (so a
 * malformed value is refused with its message); empty when it is not given (legacy mode).
 */
export function quorumVoterIdsOf(overrides: readonly string[]): number[] {
  const entry = overrides.findLast((each) => each.slice(0, each.indexOf('=')).trim() === votersSetting);
  if (entry === undefined) return [];
  const value = entry.slice(entry.indexOf('=') + 1);
  const config = parseConfig('broker', { 'node.id': '0', 'process.roles': 'broker', [votersSetting]: value });
  return config.controllerQuorumVoters.map((voter) => voter.id);
}

export interface RolesInput {
  nodeId: number;
  /** `--process-roles`, as given. */
  processRoles?: string | undefined;
  /** `--controller URL`, as given. */
  controller?: string | undefined;
  /** The ids of `controller.quorum.voters`; empty without it. */
  voterIds: readonly number[];
}

function parseRoles(given: string): ProcessRole[] {
  const roles = given.split(',').map((role) => role.trim());
  for (const role of roles) if (role !== 'broker' && role !== 'controller') throw new CliError(`--process-roles accepts broker and controller, got "${role}"`);
  if (!roles.includes('broker')) throw new CliError('--process-roles must include broker: a controller-only node is not supported yet');
  return roles as ProcessRole[];
}

/** The node's `process.roles`, or a CliError with one line saying which flag does not fit. */
export function nodeProcessRoles(input: RolesInput): ProcessRole[] {
  if (input.voterIds.length === 0) {
    // Legacy mode, exactly as before: one controller, the other brokers point at it.
    const roles = parseRoles(input.processRoles ?? (input.controller === undefined ? 'broker,controller' : 'broker'));
    if (!roles.includes('controller') && input.controller === undefined) throw new CliError('a broker without the controller role needs --controller ws://HOST:PORT');
    return roles;
  }
  if (input.controller !== undefined) throw new CliError(controllerFlagRefusal);
  const isVoter = input.voterIds.includes(input.nodeId);
  const roles = parseRoles(input.processRoles ?? (isVoter ? 'broker,controller' : 'broker'));
  const voters = input.voterIds.join(',');
  if (isVoter && !roles.includes('controller')) {
    throw new CliError(`node ${input.nodeId} is a voter of controller.quorum.voters (${voters}), so --process-roles must include controller`);
  }
  if (!isVoter && roles.includes('controller')) {
    throw new CliError(`node ${input.nodeId} is not a voter of controller.quorum.voters (${voters}), so it cannot have the controller role`);
  }
  return roles;
}

/**
 * Whether the node is a cluster on its own: it may then make up its cluster secret and keeps one replica of
 * `__consumer_offsets`. Legacy: it runs the controller; KRaft: it is the only voter.
 */
export function isSingleNodeCluster(nodeId: number, roles: readonly ProcessRole[], voterIds: readonly number[]): boolean {
  if (voterIds.length === 0) return roles.includes('controller');
  return voterIds.length === 1 && voterIds[0] === nodeId;
}
