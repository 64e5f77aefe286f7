/**
 * Whatever happens to a transactional id (requests from the current and from fenced producers, appends that fail,
 * markers answered or retried, time passing), its chart holds exactly what replaying the records it managed to write
 * gives: its state changes only by its log records, so a coordinator loading the partition resumes where it was.
 */
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
  | { kind: 'appendsFail'; fail: boolean };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ kind: 'init' as const }),
  fc.record({ kind: fc.constant('add' as const), partition: fc.integer({ min: 0, max: 3 }), stale: fc.boolean() }),
  fc.record({ kind: fc.constant('end' as const), committed: fc.boolean(), stale: fc.boolean() }),
  fc.record({ kind: fc.constant('markers' as const), outcome: fc.constantFrom('written' as const, 'retry' as const) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(50, testLimits.retryBackoffMs, 30_000, 61_000) }),
  fc.record({ kind: fc.constant('appendsFail' as const), fail: fc.boolean() }),
);

describe('transaction machine (property)', () => {
  it('holds what its written records replay to, and never moves a producer epoch back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 40 }), async (commands) => {
        let failing = false;
        const t = startTransaction({ failAppendsWith: () => (failing ? 'NOT_ENOUGH_REPLICAS' : null) });
        let producer = { producerId: -1, producerEpoch: -1 };
        let stale = producer;
        for (const step of commands) {
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
          } else {
            failing = step.fail;
          }
        }
        expect(t.errors).toEqual([]);
        const chart = t.metadata();
        const replayed = replayTransactionRecords(t.written).get('copier-1');
        if (replayed === undefined) {
          expect(t.written).toEqual([]);
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
        for (let index = 1; index < t.written.length; index += 1) {
          const [before, after] = [t.written[index - 1]!.value!, t.written[index]!.value!];
          if (before.producerId === after.producerId) expect(after.producerEpoch).toBeGreaterThanOrEqual(before.producerEpoch);
        }
        t.actor.stop();
      }),
      { numRuns: 300 },
    );
  });
});
