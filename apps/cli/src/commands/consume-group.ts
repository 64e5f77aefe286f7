/**
 * `kactor consume T [T...] --group G`: a member of consumer group G (Kafka's console consumer with
 * --group). The group assigns the partitions; progress is committed as --commit says:
 * - auto: enable.auto.commit (every auto.commit.interval.ms during poll, before a rebalance, on exit);
 * - sync: commitSync of what was printed, after each batch (at-least-once: print, then commit);
 * - async: the same with commitAsync;
 * - none: nothing is committed.
 * With --events the group's lifecycle is printed too: with --json as JSON lines on stdout between the
 * records (`{"type":"state","from","to","generation","protocol"}`, `{"type":"assigned"|"revoked"|"lost",...}`,
 * and when a rebalance of this member ends `{"type":"rebalance","trigger","reason","protocol",...}`), each
 * ending with `"atMs"`, the wall clock in epoch ms, so streams of several consumers can be merged in time,
 * else as text on stderr. --assignor (a list) and --group-instance-id are mapped in group-consume-options.ts,
 * --group-protocol and --group-remote-assignor (KIP-848) in group-protocol-options.ts.
 */
import { CommitFailedError, Consumer, RebalanceInProgressError, type ConsumerEvent, type ConsumerRecord } from '@kactor/client';
import { systemClock } from '@kactor/runtime';
import { clientSetup } from '../support/client-options.js';
import { describeError, exitAfterFlush, exitWithError } from '../support/errors.js';
import { groupConsumerSettings, offsetsAfter, withSettingFlags } from '../support/group-consume-options.js';
import { eventJson, eventText } from '../support/group-output.js';
import { cliLogger } from '../support/logging.js';
import { recordPrinter } from '../support/record-output.js';
import { shutdownOnSignals } from '../support/shutdown-signals.js';
import type { ConsumeOptions } from './consume.js';
import { formatterProperties } from './consume-run.js';

export async function runGroupConsume(topics: string[], options: ConsumeOptions & { group: string }): Promise<void> {
  const setup = clientSetup(options);
  let consumer: Consumer | undefined;
  let processed = 0;
  let stopping = false;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const finish = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      await consumer?.close();
    } catch (error) {
      process.stderr.write(`kactor consume: closing: ${describeError(error)}\n`);
    }
    await setup.inspection.close();
    process.stderr.write(`Processed a total of ${processed} messages\n`);
    return exitAfterFlush(code);
  };
  // Persistent listeners, not `once`: a relayed second Ctrl-C must not kill the process mid-close (shutdown-signals.ts).
  shutdownOnSignals(cliLogger({ node: 'consume' }), systemClock, () => void finish(0));
  try {
    const printRecords = recordPrinter(options.json === true, formatterProperties(options));
    consumer = Consumer.create(groupConsumerSettings(setup.bootstrapServers, options), setup.runtime);
    if (options.events === true) {
      consumer.on('event', (event: ConsumerEvent) => (options.json === true ? print(eventJson(event, systemClock.now())) : process.stderr.write(`${eventText(event)}\n`)));
    }
    consumer.subscribe(topics);
    const idleLimitMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    let lastRecordAt = systemClock.now();
    while (!stopping) {
      const records = await consumer.poll(Math.min(1_000, Number.isFinite(idleLimitMs) ? idleLimitMs : 1_000));
      const printed: ConsumerRecord[] = [];
      for (const record of records) {
        if (options.maxMessages !== undefined && processed >= options.maxMessages) break;
        printed.push(record);
        processed += 1;
      }
      if (printed.length > 0) {
        process.stdout.write(printRecords(printed));
        lastRecordAt = systemClock.now();
        await commitPrinted(consumer, options.commit, printed);
      }
      const done = options.maxMessages !== undefined && processed >= options.maxMessages;
      if (done && options.commit === 'auto' && printed.length < records.length) rewindToPrinted(consumer, records, printed);
      if (done) return finish(0);
      if (systemClock.now() - lastRecordAt >= idleLimitMs) return finish(0);
    }
  } catch (error) {
    stopping = true;
    await consumer?.close().catch(() => undefined);
    return exitWithError('consume', withSettingFlags(error));
  }
}

/**
 * After each printed batch for --commit sync/async. A commit refused because the group rebalanced is
 * not fatal: the partitions went to another member, which reads these records again (at-least-once).
 */
async function commitPrinted(consumer: Consumer, mode: ConsumeOptions['commit'], printed: readonly ConsumerRecord[]): Promise<void> {
  const offsets = offsetsAfter(printed);
  if (mode === 'sync') {
    try {
      await consumer.commitSync(offsets);
    } catch (error) {
      if (!(error instanceof CommitFailedError || error instanceof RebalanceInProgressError)) throw error;
      process.stderr.write(`kactor consume: commit refused (${error.name}): ${error.message}\n`);
    }
  } else if (mode === 'async') {
    consumer.commitAsync(offsets, (error) => {
      if (error !== null) process.stderr.write(`kactor consume: asynchronous commit failed: ${describeError(error)}\n`);
    });
  }
}

/**
 * With --max-messages and auto-commit, the last poll may have returned more records than were printed:
 * move back to the first unprinted one, so the commit on close covers exactly what was printed.
 */
function rewindToPrinted(consumer: Consumer, records: readonly ConsumerRecord[], printed: readonly ConsumerRecord[]): void {
  const printedUpTo = new Map(offsetsAfter(printed).map((entry) => [`${entry.topic}\u0000${entry.partition}`, entry.offset]));
  const firstUnprinted = new Map<string, ConsumerRecord>();
  for (const record of records.slice(printed.length)) {
    const key = `${record.topic}\u0000${record.partition}`;
    if (!firstUnprinted.has(key)) firstUnprinted.set(key, record);
  }
  for (const [key, record] of firstUnprinted) consumer.seek(record, printedUpTo.get(key) ?? record.offset);
}
