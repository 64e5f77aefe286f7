/**
 * Whatever happens to a transactional id (requests from the current and from fenced producers, appends that fail,
 * markers answered or retried, time passing, the coordinator failing over), its chart holds exactly what replaying the
 * records it managed to write gives: its state changes only by its log records, so a coordinator loading the partition
 * resumes where it was, and a prepared transaction's markers are sent again by the new one.
 */
import type { TransactionLogRecord } from '@kactor/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayTransactionRecords } from './transaction-replay.js';
import { startTransaction, testLimits } from './transaction-test-support.js';

type Command =
  | { kind: 'init' }
  | { kind: 'add'; partition: number; stale: boolean }
  | { kind: 'end'; committed: boolean; stale: boolean }
  | { kind: 'markers'; outcome: 'written' | 'retry' }
  | { kind: 'advance'; ms: number }
  | { kind: 'appendsFail'; fail: boolean }
  | { kind: 'failover' };

// Weighted so that runs get through whole transactions (the producer starts, adds, ends, sees its markers) as well as
// through fences, failures and failovers.
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'init' as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), partition: fc.integer({ min: 0, max: 3 }), stale: fc.constantFrom(false, false, false, true) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('end' as const), committed: fc.boolean(), stale: fc.constantFrom(false, false, true) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('markers' as const), outcome: fc.constantFrom('written' as const, 'written' as const, 'retry' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(50, testLimits.retryBackoffMs, 30_000, 61_000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('appendsFail' as const), fail: fc.constantFrom(true, false, false) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'failover' as const }) },
);

/** Every run starts with a producer. */
const commands = fc.array(command, { maxLength: 40 }).map((rest): Command[] => [{ kind: 'init' }, ...rest]);

describe('transaction machine (property)', () => {
  it('holds what its written records replay to, and never moves a producer epoch back', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (run) => {
        let failing = false;
        const failAppendsWith = () => (failing ? 'NOT_ENOUGH_REPLICAS' : null);
        let t = startTransaction({ failAppendsWith });
        // What earlier coordinators of the partition wrote.
        let earlier: TransactionLogRecord[] = [];
        const written = () => [...earlier, ...t.written];
        let producer = { producerId: -1, producerEpoch: -1 };
        let stale = producer;
        for (const step of run) {
          if (step.kind === 'init') {
            const answer = t.answer(t.initProducerId());
            if (answer?.errorName === 'NONE') [stale, producer] = [producer, { producerId: answer.producerId!, producerEpoch: answer.producerEpoch! }];
          } else if (step.kind === 'add') {
            const who = step.stale ? stale : producer;
            t.addPartitions(who.producerId, who.producerEpoch, [{ topic: 'out', partition: step.partition }]);
          } else if (step.kind === 'end') {
            const who = step.stale ? stale : producer;
            t.endTxn(who.producerId, who.producerEpoch, step.committed);
          } else if (step.kind === 'markers') {
            if (t.markers.length > 0 && t.state().startsWith('Prepare')) t.answerMarkers(step.outcome);
          } else if (step.kind === 'advance') {
            await t.clock.advanceByAsync(step.ms);
          } else if (step.kind === 'appendsFail') {
            failing = step.fail;
          } else {
            const loaded = replayTransactionRecords(written()).get('copier-1');
            if (loaded === undefined || t.actor.getSnapshot().status !== 'active') continue;
            earlier = written();
            t.actor.stop();
            t = startTransaction({ failAppendsWith, metadata: loaded });
            // A prepared transaction's markers are sent by the new coordinator at once.
            if (loaded.state === 'PrepareCommit' || loaded.state === 'PrepareAbort') expect(t.markers).toHaveLength(1);
          }
        }
        expect(t.errors).toEqual([]);
        const chart = t.metadata();
        const replayed = replayTransactionRecords(written()).get('copier-1');
        if (replayed === undefined) {
          expect(written()).toEqual([]);
          return;
        }
        // A fence whose write failed holds its bumped epoch in memory only (Kafka's hasFailedEpochFence).
        const epochOfChart = chart.hasFailedEpochFence ? chart.producerEpoch - 1 : chart.producerEpoch;
        expect({ ...chart, producerEpoch: epochOfChart }).toMatchObject({
          producerId: replayed.producerId,
          producerEpoch: replayed.producerEpoch,
          state: replayed.state,
          partitions: replayed.partitions,
          txnTimeoutMs: replayed.txnTimeoutMs,
          txnStartTimestampMs: replayed.txnStartTimestampMs,
        });
        const records = written();
        for (let index = 1; index < records.length; index += 1) {
          const [before, after] = [records[index - 1]!.value!, records[index]!.value!];
          if (before.producerId === after.producerId) expect(after.producerEpoch).toBeGreaterThanOrEqual(before.producerEpoch);
        }
        t.actor.stop();
      }),
      { numRuns: 300 },
    );
  });
});
