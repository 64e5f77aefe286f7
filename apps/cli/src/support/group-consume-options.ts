/**
 * How `kactor consume --group` turns its flags into consumer settings (pure, so it is tested without a
 * cluster). Flags follow Kafka's console consumer: --from-beginning means auto.offset.reset=earliest
 * for a group that has nothing committed yet; --consumer-property sets anything else, and the dedicated
 * flags win over it when both name the same setting. --assignor takes partition.assignment.strategy as
 * a comma-separated list, most preferred first (only cooperative assignors, e.g. cooperative-sticky
 * alone, make the member rebalance cooperatively, KIP-429); --group-instance-id makes it a static
 * member (KIP-345); --group-protocol and --group-remote-assignor choose KIP-848's protocol (group-protocol-options.ts).
 */
import { ConflictingConfigsError } from '@kactor/protocol';
import { CliError, describeError } from './errors.js';
import { withGroupProtocol, type GroupProtocolFlag } from './group-protocol-options.js';
import { withIsolationLevel, type IsolationLevel } from './isolation-level.js';
import { keyValuesToRecord } from './options.js';
import type { CommitMode } from './commit-mode.js';

export { commitModes, type CommitMode } from './commit-mode.js';
export const assignorNames = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;

export interface GroupConsumeFlags {
  group: string;
  fromBeginning?: boolean;
  /** --offset earliest|latest (an offset number needs --partition, without a group). */
  offset?: 'earliest' | 'latest' | number;
  partition?: number;
  /** Comma-separated assignor names, most preferred first. */
  assignor?: string;
  /** group.instance.id: a static member. */
  groupInstanceId?: string;
  commit: CommitMode;
  consumerProperty: readonly string[];
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** --isolation-level: isolation.level. */
  isolationLevel?: IsolationLevel;
  /** --group-protocol: group.protocol (KIP-848). */
  groupProtocol?: GroupProtocolFlag;
  /** --group-remote-assignor: group.remote.assignor, the server-side assignor (consumer protocol only). */
  groupRemoteAssignor?: string;
}

/** Kafka's console consumer names its members after this client id. */
export const CONSOLE_CONSUMER_CLIENT_ID = 'console-consumer';

/** The consumer settings for a group consumer started from the command line. */
export function groupConsumerSettings(bootstrapServers: string, flags: GroupConsumeFlags): Record<string, string> {
  if (flags.group.trim() === '') throw new CliError('--group needs a non-empty group id');
  if (flags.partition !== undefined) throw new CliError('--partition reads one partition outside any group: it cannot be combined with --group');
  if (typeof flags.offset === 'number') throw new CliError('--offset N needs --partition and no --group (a group starts from its committed offsets)');
  const assignors = flags.assignor === undefined ? undefined : parseAssignors(flags.assignor);
  if (flags.groupInstanceId !== undefined && flags.groupInstanceId.trim() === '') throw new CliError('--group-instance-id needs a non-empty id');
  const settings: Record<string, string> = { 'client.id': CONSOLE_CONSUMER_CLIENT_ID, ...keyValuesToRecord(flags.consumerProperty) };
  settings['bootstrap.servers'] = bootstrapServers;
  settings['group.id'] = flags.group;
  if (flags.fromBeginning === true) settings['auto.offset.reset'] = 'earliest';
  else if (flags.offset !== undefined) settings['auto.offset.reset'] = flags.offset;
  if (assignors !== undefined) settings['partition.assignment.strategy'] = assignors.join(',');
  if (flags.groupInstanceId !== undefined) settings['group.instance.id'] = flags.groupInstanceId;
  settings['enable.auto.commit'] = String(flags.commit === 'auto');
  if (flags.sessionTimeoutMs !== undefined) settings['session.timeout.ms'] = String(flags.sessionTimeoutMs);
  if (flags.heartbeatIntervalMs !== undefined) settings['heartbeat.interval.ms'] = String(flags.heartbeatIntervalMs);
  if (flags.maxPollIntervalMs !== undefined) settings['max.poll.interval.ms'] = String(flags.maxPollIntervalMs);
  return withGroupProtocol(withIsolationLevel(settings, flags.isolationLevel), flags);
}

/** The flags that set group configs, to name them in an error about those configs. */
const flagOfSetting: Readonly<Record<string, string>> = {
  'session.timeout.ms': '--session-timeout-ms',
  'heartbeat.interval.ms': '--heartbeat-interval-ms',
  'max.poll.interval.ms': '--max-poll-interval-ms',
};

/**
 * Two group settings that do not go together are set with flags here: the error says which flags, e.g.
 * `... lower heartbeat.interval.ms too (flags --session-timeout-ms, --heartbeat-interval-ms)`.
 */
export function withSettingFlags(error: unknown): unknown {
  if (!(error instanceof ConflictingConfigsError)) return error;
  const flags = [error.configName, error.otherConfigName].flatMap((name) => (name !== undefined && flagOfSetting[name] !== undefined ? [flagOfSetting[name]] : []));
  return flags.length === 0 ? error : new CliError(`${describeError(error)} (flags ${flags.join(', ')})`);
}

/** `--assignor a,b`: known names, no repeats, at least one. */
function parseAssignors(flag: string): string[] {
  const names = flag.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(assignorNames as readonly string[]).includes(name)) throw new CliError(`--assignor takes a comma-separated list of ${assignorNames.join(', ')}, got "${flag}"`);
  }
  if (new Set(names).size !== names.length) throw new CliError(`--assignor names an assignor twice: "${flag}"`);
  return names;
}

/**
 * What to commit after a batch of records was printed: for each partition, the offset after the last
 * printed record (the next one to read), so that records fetched but not printed (--max-messages) are
 * read again by whoever comes next.
 */
export function offsetsAfter(records: ReadonlyArray<{ topic: string; partition: number; offset: number }>): Array<{ topic: string; partition: number; offset: number }> {
  const next = new Map<string, { topic: string; partition: number; offset: number }>();
  for (const record of records) {
    const key = `${record.topic}\u0000${record.partition}`;
    const known = next.get(key);
    if (known === undefined || record.offset + 1 > known.offset) next.set(key, { topic: record.topic, partition: record.partition, offset: record.offset + 1 });
  }
  return [...next.values()];
}
