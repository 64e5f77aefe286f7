/**
 * `kactor consume --group G --group-protocol classic|consumer [--group-remote-assignor NAME]` (KIP-848): the flags map
 * onto the consumer configs group.protocol and group.remote.assignor (Kafka's console consumer takes them as
 * --consumer-property). The combinations Kafka's consumer refuses are refused here with one line naming the flags:
 * a remote (server-side) assignor for a classic member, and with the consumer protocol the settings the coordinator
 * owns there (partition.assignment.strategy: the coordinator assigns; session.timeout.ms and heartbeat.interval.ms:
 * the broker's group.consumer.session.timeout.ms and group.consumer.heartbeat.interval.ms), as Kafka 4.0's
 * ConsumerConfig does. Whether the consumer protocol itself is available is the config layer's to say.
 */
import { CliError } from './cli-error.js';

export const groupProtocols = ['classic', 'consumer'] as const;
export type GroupProtocolFlag = (typeof groupProtocols)[number];

/** `--group-protocol`: Kafka's group.protocol values, case-insensitive as Kafka's. */
export function parseGroupProtocol(value: string): GroupProtocolFlag {
  const protocol = value.trim().toLowerCase();
  if (!(groupProtocols as readonly string[]).includes(protocol)) throw new CliError(`--group-protocol takes ${groupProtocols.join(' or ')}, got "${value}"`);
  return protocol as GroupProtocolFlag;
}

export interface GroupProtocolFlags {
  groupProtocol?: GroupProtocolFlag;
  groupRemoteAssignor?: string;
}

/** Settings the consumer protocol leaves to the coordinator, with the flag that sets each. */
const coordinatorOwnedSettings: ReadonlyArray<readonly [setting: string, flag: string, instead: string]> = [
  ['partition.assignment.strategy', '--assignor', 'the coordinator assigns the partitions: choose its assignor with --group-remote-assignor'],
  ['session.timeout.ms', '--session-timeout-ms', "the coordinator's group.consumer.session.timeout.ms applies"],
  ['heartbeat.interval.ms', '--heartbeat-interval-ms', "the coordinator's group.consumer.heartbeat.interval.ms applies"],
];

/**
 * Adds group.protocol and group.remote.assignor to `settings` (which already hold --consumer-property and the other
 * flags) and refuses what does not go with the protocol the member ends up with.
 */
export function withGroupProtocol(settings: Record<string, string>, flags: GroupProtocolFlags): Record<string, string> {
  const result = { ...settings };
  if (flags.groupProtocol !== undefined) result['group.protocol'] = flags.groupProtocol;
  const protocol = (result['group.protocol'] ?? 'classic').trim().toLowerCase();
  if (flags.groupRemoteAssignor !== undefined) {
    const assignor = flags.groupRemoteAssignor.trim();
    if (assignor === '') throw new CliError('--group-remote-assignor needs an assignor name (uniform or range)');
    if (protocol !== 'consumer') throw new CliError(`--group-remote-assignor needs --group-protocol consumer: group.remote.assignor cannot be set when group.protocol=${protocol}`);
    result['group.remote.assignor'] = assignor;
  }
  if (protocol === 'consumer') {
    for (const [setting, flag, instead] of coordinatorOwnedSettings) {
      if (result[setting] !== undefined) throw new CliError(`${flag} (${setting}) cannot be set with --group-protocol consumer: ${instead}`);
    }
  }
  return result;
}
