/**
 * `kactor consume T [T...]`: Kafka's console consumer. Without --group it reads a partition (--partition)
 * or every partition of the topics from --offset; with --group it joins that consumer group (see
 * consume-group.ts); --isolation-level read_committed reads only committed transactions (KIP-98). Prints each
 * value (more with Kafka's formatter properties, `--property print.key=true` etc., see record-output.ts), or with
 * --json one object per line:
 * `{"type":"record","topic","partition","offset","timestamp","timestampType","key","value","headers"}`. Stops after --max-messages,
 * after --timeout-ms without a record, or on Ctrl-C, then prints how many it processed. This file holds the
 * flags; what the command does is in consume-run.ts (and consume-group.ts), loaded when it runs.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { addClientOptions, type ClientCommandOptions } from '../support/client-flags.js';
import { commitModes, type CommitMode } from '../support/commit-mode.js';
import { parseGroupProtocol, type GroupProtocolFlag } from '../support/group-protocol-options.js';
import { INSPECT_FLAG_HELP, parseInspectUrl } from '../support/inspect-flag.js';
import { parseIsolationLevel, type IsolationLevel } from '../support/isolation-level.js';
import { collectKeyValue, integerOption } from '../support/options.js';

export interface ConsumeOptions extends ClientCommandOptions {
  partition?: number;
  /** Default latest. */
  offset?: 'earliest' | 'latest' | number;
  maxMessages?: number;
  timeoutMs?: number;
  json?: boolean;
  consumerProperty: string[];
  /** Kafka's formatter properties (--property, or --formatter-property as newer Kafka names it). */
  property: string[];
  formatterProperty: string[];
  group?: string;
  fromBeginning?: boolean;
  assignor?: string;
  groupInstanceId?: string;
  commit: CommitMode;
  events?: boolean;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Kafka's console-consumer --isolation-level: isolation.level. */
  isolationLevel?: IsolationLevel;
  /** --group-protocol: group.protocol, classic or consumer (KIP-848). */
  groupProtocol?: GroupProtocolFlag;
  /** --group-remote-assignor: group.remote.assignor, the coordinator's assignor for a consumer-protocol member. */
  groupRemoteAssignor?: string;
}

function parseOffset(value: string): 'earliest' | 'latest' | number {
  if (value === 'earliest' || value === 'latest') return value;
  return integerOption('--offset', { min: 0 })(value);
}

export function registerConsumeCommand(program: Command): void {
  addClientOptions(
    program
      .command('consume <topics...>')
      .description('Read records of topics: with --group as a member of that consumer group; else one partition with --partition, or every partition.')
      .option('--group <G>', 'join this consumer group: partitions are assigned by the group, progress is committed')
      .option('--partition <N>', 'the partition to read, without --group (default: all)', integerOption('--partition', { min: 0 }))
      .option('--offset <earliest|latest|N>', 'where to start without --group (default latest); with --group, where a group with nothing committed starts', (value: string) => {
        try {
          return parseOffset(value);
        } catch {
          throw new InvalidArgumentError(`--offset takes earliest, latest or an offset, got "${value}".`);
        }
      })
      .option('--from-beginning', 'start from the earliest offset (with --group: auto.offset.reset=earliest)')
      .option(
        '--assignor <names>',
        'with --group: partition.assignment.strategy, comma-separated, most preferred first (range, roundrobin, sticky, cooperative-sticky); only cooperative-sticky makes rebalances cooperative',
      )
      .option('--group-protocol <classic|consumer>', "with --group: group.protocol, the classic protocol (JoinGroup/SyncGroup, default) or KIP-848's consumer protocol (the coordinator assigns, members reconcile incrementally)", (value: string) => {
        try {
          return parseGroupProtocol(value);
        } catch (error) {
          throw new InvalidArgumentError((error as Error).message);
        }
      })
      .option('--group-remote-assignor <name>', 'with --group-protocol consumer: group.remote.assignor, the server-side assignor to use (uniform or range; default: the coordinator\'s first of group.consumer.assignors)')
      .option('--group-instance-id <id>', 'with --group: group.instance.id, a static member (a restart within session.timeout.ms keeps its partitions without a rebalance)')
      .option('--commit <auto|sync|async|none>', 'with --group: auto = enable.auto.commit; sync/async = commit after each batch is printed; none = never', (value: string) => {
        if (!(commitModes as readonly string[]).includes(value)) throw new InvalidArgumentError(`--commit takes ${commitModes.join(', ')}, got "${value}".`);
        return value as CommitMode;
      }, 'auto')
      .option('--events', 'with --group: print the group lifecycle (state changes, assigned/revoked/lost partitions, a record of each rebalance); with --json on stdout between records')
      .option('--session-timeout-ms <MS>', 'with --group: session.timeout.ms', integerOption('--session-timeout-ms', { min: 1 }))
      .option('--heartbeat-interval-ms <MS>', 'with --group: heartbeat.interval.ms', integerOption('--heartbeat-interval-ms', { min: 1 }))
      .option('--max-poll-interval-ms <MS>', 'with --group: max.poll.interval.ms', integerOption('--max-poll-interval-ms', { min: 1 }))
      .option(
        '--isolation-level <level>',
        'isolation.level: read_committed hands out only committed transactions\' records (and plain producers\'), read_uncommitted (default) every record',
        parseIsolationLevel,
      )
      .option('--max-messages <N>', 'stop after this many records', integerOption('--max-messages', { min: 1 }))
      .option('--timeout-ms <MS>', 'stop after this long without a record', integerOption('--timeout-ms', { min: 1 }))
      .option('--json', 'print one JSON object per record and line, with its headers and timestamp type')
      .option(
        '--property <k=v>',
        "Kafka's console-consumer formatter property (repeatable): print.timestamp, print.partition, print.offset, print.headers, print.key, print.value (true/false), key.separator, line.separator, headers.separator, null.literal",
        collectKeyValue,
        [],
      )
      .option('--formatter-property <k=v>', 'the same as --property (the name newer Kafka versions use)', collectKeyValue, [])
      .option('--inspect [URL]', `${INSPECT_FLAG_HELP} (put the topics before it)`, parseInspectUrl)
      .option('--consumer-property <k=v>', 'consumer config, Kafka names (repeatable)', collectKeyValue, []),
  ).action(async (topics: string[], options: ConsumeOptions) => (await import('./consume-run.js')).runConsume(topics, options));
}
