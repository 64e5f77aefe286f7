/**
 * How `kactor consume --group` turns its flags into consumer settings (pure, so it is tested without a
 * cluster). Flags follow Kafka's console consumer: --from-beginning means auto.offset.reset=earliest
 * for a group that has nothing committed yet; --consumer-property sets anything else, and the dedicated
 * flags win over it when both name the same setting.
 */
import { CliError } from './errors.js';
import { keyValuesToRecord } from './options.js';

export type CommitMode = 'auto' | 'sync' | 'async' | 'none';
export const commitModes: readonly CommitMode[] = ['auto', 'sync', 'async', 'none'];
export const assignorNames = ['range', 'roundrobin'] as const;

export interface GroupConsumeFlags {
  group: string;
  fromBeginning?: boolean;
  /** --offset earliest|latest (an offset number needs --partition, without a group). */
  offset?: 'earliest' | 'latest' | number;
  partition?: number;
  assignor?: string;
  commit: CommitMode;
  consumerProperty: readonly string[];
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxPollIntervalMs?: number;
}

/** Kafka's console consumer names its members after this client id. */
export const CONSOLE_CONSUMER_CLIENT_ID = 'console-consumer';

/** The consumer settings for a group consumer started from the command line. */
export function groupConsumerSettings(bootstrapServers: string, flags: GroupConsumeFlags): Record<string, string> {
  if (flags.group.trim() === '') throw new CliError('--group needs a non-empty group id');
  if (flags.partition !== undefined) throw new CliError('--partition reads one partition outside any group: it cannot be combined with --group');
  if (typeof flags.offset === 'number') throw new CliError('--offset N needs --partition and no --group (a group starts from its committed offsets)');
  if (flags.assignor !== undefined && !(assignorNames as readonly string[]).includes(flags.assignor)) {
    throw new CliError(`--assignor takes ${assignorNames.join(' or ')}, got "${flags.assignor}"`);
  }
  const settings: Record<string, string> = { 'client.id': CONSOLE_CONSUMER_CLIENT_ID, ...keyValuesToRecord(flags.consumerProperty) };
  settings['bootstrap.servers'] = bootstrapServers;
  settings['group.id'] = flags.group;
  if (flags.fromBeginning === true) settings['auto.offset.reset'] = 'earliest';
  else if (flags.offset !== undefined) settings['auto.offset.reset'] = flags.offset;
  if (flags.assignor !== undefined) settings['partition.assignment.strategy'] = flags.assignor;
  settings['enable.auto.commit'] = String(flags.commit === 'auto');
  if (flags.sessionTimeoutMs !== undefined) settings['session.timeout.ms'] = String(flags.sessionTimeoutMs);
  if (flags.heartbeatIntervalMs !== undefined) settings['heartbeat.interval.ms'] = String(flags.heartbeatIntervalMs);
  if (flags.maxPollIntervalMs !== undefined) settings['max.poll.interval.ms'] = String(flags.maxPollIntervalMs);
  return settings;
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
