/**
 * `kactor produce T`: one record per line of standard input (Kafka's console producer). With
 * --key-separator each line is `key<SEP>value`; Kafka's line reader properties (`--property
 * parse.headers=true` etc., see line-reader.ts) read headers and keys; with --json each line is a JSON
 * record with key, value, headers, timestamp and partition (json-record-reader.ts). Exits 0 once every
 * record is acknowledged; otherwise names the first failed lines (which line, what, Kafka's error name),
 * prints how many failed by error name and exits 1. On a terminal it shows progress.
 * With --transactional-id the records are written in transactions (KIP-98): every --transaction-size records, or the
 * whole input when it is not given, committed as one; Ctrl-C aborts the open one (produce-transactions.ts).
 * This file holds the flags; what the command does is in produce-run.ts, loaded when it runs.
 */
import type { Command } from 'commander';
import { addClientOptions, type ClientCommandOptions } from '../support/client-flags.js';
import { INSPECT_FLAG_HELP, parseInspectUrl } from '../support/inspect-flag.js';
import { collectKeyValue, integerOption } from '../support/options.js';

export interface ProduceOptions extends ClientCommandOptions {
  keySeparator?: string;
  partition?: number;
  acks?: string;
  producerProperty: string[];
  /** Kafka's line reader properties (--property, or --reader-property as newer Kafka names it). */
  property: string[];
  readerProperty: string[];
  json?: boolean;
  /** transactional.id: the records go in transactions (issue 13). */
  transactionalId?: string;
  /** Records per transaction; the whole input when not given. */
  transactionSize?: number;
}

export function registerProduceCommand(program: Command): void {
  addClientOptions(
    program
      .command('produce <topic>')
      .description('Produce one record per line of standard input.')
      .option('--key-separator <SEP>', 'split each line into key and value at the first SEP (Kafka: parse.key + key.separator)')
      .option(
        '--property <k=v>',
        "Kafka's console-producer line reader property (repeatable): parse.key, key.separator, parse.headers (lines `h1:v1,h2:v2<TAB>[key<TAB>]value`), headers.delimiter, headers.separator, headers.key.separator, null.marker, ignore.error",
        collectKeyValue,
        [],
      )
      .option('--reader-property <k=v>', 'the same as --property (the name newer Kafka versions use)', collectKeyValue, [])
      .option('--json', 'read one JSON record per line: {"key","value","headers","timestamp","partition"}, all but value optional; headers [{"key","value"}] or {"h":"v"}')
      .option('--partition <N>', 'send every record to this partition', integerOption('--partition', { min: 0 }))
      .option('--acks <0|1|all>', 'acknowledgements to wait for (default all, as Kafka)')
      .option('--transactional-id <ID>', 'write the records in transactions with this transactional.id (read them with consume --isolation-level read_committed); Ctrl-C aborts the open transaction')
      .option('--transaction-size <N>', 'records per transaction (needs --transactional-id; default: the whole input is one transaction, committed at its end)', integerOption('--transaction-size', { min: 1 }))
      .option('--inspect [URL]', `${INSPECT_FLAG_HELP}; the producer shows as producer/<client.id>`, parseInspectUrl)
      .option('--producer-property <k=v>', 'producer config, Kafka names (repeatable), e.g. linger.ms=20', collectKeyValue, []),
  ).action(async (topic: string, options: ProduceOptions) => (await import('./produce-run.js')).runProduce(topic, options));
}
