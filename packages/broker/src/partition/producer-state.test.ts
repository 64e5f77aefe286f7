import { describe, expect, it } from 'vitest';
import {
  MAX_SEQUENCE,
  NUM_BATCHES_TO_RETAIN,
  ProducerStateInvariantError,
  assertEntryInvariants,
  checkAppend,
  emptyProducerState,
  nextSequence,
  producerEntry,
  recordAppend,
  type AppendOrigin,
  type ProducerState,
} from './producer-state.js';

// The values of Kafka's ProducerStateManagerTest: producer id 1, epoch 0, sequence 0, one record per batch.
const producerId = 1;
const epoch = 0;
const defaultSequence = 0;

/** One-record batch (sequence `seq`) of `producerId`, as the Kafka test's appendEntry helper writes it. */
function single(producerEpoch: number, seq: number) {
  return { producerId, producerEpoch, baseSequence: seq, lastSequence: seq };
}

/** Kafka's appendClientEntry / appendReplicationEntry: check, refuse by throwing the error name, else record. */
function appendEntry(state: ProducerState, origin: AppendOrigin, producerEpoch: number, seq: number, offset: number, timestampMs = 0): ProducerState {
  const batch = single(producerEpoch, seq);
  const check = checkAppend(state, batch, origin);
  if (check.kind === 'error') throw new Error(check.errorName);
  if (check.kind === 'duplicate') throw new Error('duplicate');
  return recordAppend(state, batch, offset, offset, timestampMs);
}

function entryOf(state: ProducerState) {
  const entry = producerEntry(state, producerId);
  if (entry === undefined) throw new Error('no entry for the producer');
  return { entry, first: entry.batches[0], last: entry.batches.at(-1) };
}

describe('nextSequence', () => {
  it('wraps at Int32 max: nextSequence(2147483647) = 0, otherwise adds one', () => {
    expect(nextSequence(MAX_SEQUENCE)).toBe(0);
    expect(nextSequence(0)).toBe(1);
    expect(nextSequence(MAX_SEQUENCE - 1)).toBe(MAX_SEQUENCE);
  });
});

describe('checkAppend / recordAppend (Kafka ProducerStateManagerTest)', () => {
  // Kafka's test writes every batch of this case at offset 0 (its manager does not check offsets); kactor asserts
  // that a producer's batches go forward in the log (rule 8), so the offsets here are 0, 1, 3.
  it('testBasicIdMapping: in-sequence appends pass, a retry is a duplicate, a gap is OUT_OF_ORDER_SEQUENCE_NUMBER, an older epoch INVALID_PRODUCER_EPOCH', () => {
    let state = appendEntry(emptyProducerState(), 'client', epoch, defaultSequence, 0, 0);
    state = appendEntry(state, 'client', epoch, 1, 1, 1);

    // Kafka's ProducerAppendInfo alone answers a retry with OUT_OF_ORDER_SEQUENCE_NUMBER: its duplicate lookup is
    // separate (UnifiedLog); checkAppend does both, and the retry gets the offsets it was first written at.
    expect(checkAppend(state, single(epoch, 1), 'client')).toEqual({ kind: 'duplicate', firstOffset: 1, lastOffset: 1 });
    expect(() => appendEntry(state, 'client', epoch, 1, 2, 1)).toThrow('duplicate');
    // A sequence beyond the next expected one.
    expect(checkAppend(state, single(epoch, 5), 'client')).toMatchObject({ kind: 'error', errorName: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });

    // Change epoch: the new epoch starts at 0 and forgets the old epoch's batches.
    state = appendEntry(state, 'client', epoch + 1, defaultSequence, 3, 3);
    expect(entryOf(state).entry).toMatchObject({ producerEpoch: 1, batches: [{ firstSequence: 0, lastSequence: 0, firstOffset: 3, lastOffset: 3 }] });
    // Incorrect (older) epoch.
    expect(checkAppend(state, single(epoch, defaultSequence), 'client')).toMatchObject({ kind: 'error', errorName: 'INVALID_PRODUCER_EPOCH' });
  });

  it('testAppendTxnMarkerWithNoProducerState-style: a producer known only by its epoch 2 (no batch kept) is still fenced and must restart at 0', () => {
    // What the COMMIT marker at offset 27 leaves behind (markers themselves come later in issue 13).
    const producerEpoch = 2;
    const afterMarker: ProducerState = {
      producers: new Map([[producerId, { producerId, producerEpoch, batches: [], coordinatorEpoch: 0, lastTimestampMs: 0, currentTxnFirstOffset: null }]]),
      abortedTransactions: [],
    };

    // Fencing still works with the marker the only thing left.
    expect(checkAppend(afterMarker, single(0, defaultSequence), 'client')).toMatchObject({ kind: 'error', errorName: 'INVALID_PRODUCER_EPOCH' });
    // A non-zero sequence makes the producer reset its state.
    expect(checkAppend(afterMarker, single(producerEpoch, 17), 'client')).toMatchObject({ kind: 'error', errorName: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    // Sequence 0 is accepted.
    const state = appendEntry(afterMarker, 'client', producerEpoch, defaultSequence, 39, 4);
    const { entry, last } = entryOf(state);
    expect(entry.producerEpoch).toBe(producerEpoch);
    expect(entry.producerId).toBe(producerId);
    expect(last?.lastSequence).toBe(0);
  });

  it('testProducerSequenceWrapAround: after sequence 2147483647 (epoch 15, offset 735) the client continues at 0', () => {
    const epoch15 = 15;
    const offset = 735;
    let state = appendEntry(emptyProducerState(), 'replication', epoch15, MAX_SEQUENCE, offset);
    state = appendEntry(state, 'client', epoch15, 0, offset + 500);
    const { entry, first, last } = entryOf(state);
    expect(entry.producerEpoch).toBe(epoch15);
    expect(first?.firstSequence).toBe(MAX_SEQUENCE);
    expect(last?.lastSequence).toBe(0);
  });

  it('testProducerSequenceInvalidWrapAround: after sequence 2147483647 the client may not continue at 1', () => {
    const state = appendEntry(emptyProducerState(), 'replication', 15, MAX_SEQUENCE, 735);
    expect(checkAppend(state, single(15, 1), 'client')).toMatchObject({ kind: 'error', errorName: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });

  it('testProducerSequenceWithWrapAroundBatchRecord: one replicated batch wrapping inside (2147483637..9 at offsets 2000..2020) is kept whole', () => {
    const batch = { producerId, producerEpoch: 15, baseSequence: MAX_SEQUENCE - 10, lastSequence: 9 };
    expect(checkAppend(emptyProducerState(), batch, 'replication')).toEqual({ kind: 'append' });
    const { first, last } = entryOf(recordAppend(emptyProducerState(), batch, 2000, 2020, 0));
    expect(first).toMatchObject({ firstSequence: MAX_SEQUENCE - 10, firstOffset: 2000 });
    expect(last).toMatchObject({ lastSequence: 9, lastOffset: 2020 });
  });

  it('testNoValidationOnFirstEntryWhenLoadingLog: a replicated first batch at sequence 16 (epoch 5, offset 735) is taken as it is', () => {
    const batch = single(5, 16);
    expect(checkAppend(emptyProducerState(), batch, 'replication')).toEqual({ kind: 'append' });
    const state = recordAppend(emptyProducerState(), batch, 735, 735, 0);
    const { entry, first, last } = entryOf(state);
    expect(entry.producerEpoch).toBe(5);
    expect(first).toMatchObject({ firstSequence: 16, firstOffset: 735 });
    expect(last).toMatchObject({ lastSequence: 16, lastOffset: 735 });
  });

  it('replication skips the client checks: an older epoch and a gap are appended as the leader wrote them', () => {
    const state = appendEntry(emptyProducerState(), 'client', 3, 0, 0);
    expect(checkAppend(state, single(2, 0), 'replication')).toEqual({ kind: 'append' });
    expect(checkAppend(state, single(3, 7), 'replication')).toEqual({ kind: 'append' });
    expect(checkAppend(state, single(3, 0), 'replication')).toEqual({ kind: 'append' });
  });

  it('a producer with no state here may start at any sequence (Kafka: its state may have expired while it was idle)', () => {
    expect(checkAppend(emptyProducerState(), single(0, 0), 'client')).toEqual({ kind: 'append' });
    expect(checkAppend(emptyProducerState(), single(0, 16), 'client')).toEqual({ kind: 'append' });
  });

  it('a bumped epoch not starting at 0 is OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
    const state = appendEntry(emptyProducerState(), 'client', 0, 0, 0);
    expect(checkAppend(state, single(1, 1), 'client')).toMatchObject({ kind: 'error', errorName: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });

  it('a non-idempotent batch (producer id -1) is always appended and leaves the state alone', () => {
    const state = appendEntry(emptyProducerState(), 'client', 0, 0, 0);
    const plain = { producerId: -1, producerEpoch: -1, baseSequence: -1, lastSequence: -1 };
    expect(checkAppend(state, plain, 'client')).toEqual({ kind: 'append' });
    expect(recordAppend(state, plain, 1, 1, 0)).toBe(state);
  });

  it('keeps the last 5 batches (ProducerStateEntry.NUM_BATCHES_TO_RETAIN): the 6th append forgets the 1st, whose retry is then out of order', () => {
    let state = emptyProducerState();
    for (let seq = 0; seq < 6; seq += 1) state = appendEntry(state, 'client', 0, seq, seq * 10);
    const { entry } = entryOf(state);
    expect(NUM_BATCHES_TO_RETAIN).toBe(5);
    expect(entry.batches.map((batch) => batch.firstSequence)).toEqual([1, 2, 3, 4, 5]);
    expect(checkAppend(state, single(0, 1), 'client')).toEqual({ kind: 'duplicate', firstOffset: 10, lastOffset: 10 });
    expect(checkAppend(state, single(0, 0), 'client')).toMatchObject({ kind: 'error', errorName: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });

  it('a retry must match a retained batch\'s whole sequence range to be a duplicate', () => {
    const state = recordAppend(emptyProducerState(), { producerId, producerEpoch: 0, baseSequence: 0, lastSequence: 4 }, 0, 4, 0);
    expect(checkAppend(state, { producerId, producerEpoch: 0, baseSequence: 0, lastSequence: 4 }, 'client')).toEqual({ kind: 'duplicate', firstOffset: 0, lastOffset: 4 });
    expect(checkAppend(state, { producerId, producerEpoch: 0, baseSequence: 0, lastSequence: 2 }, 'client')).toMatchObject({ kind: 'error', errorName: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(checkAppend(state, { producerId, producerEpoch: 0, baseSequence: 5, lastSequence: 9 }, 'client')).toEqual({ kind: 'append' });
  });

  it('does not change the state it was given (immutable)', () => {
    const before = appendEntry(emptyProducerState(), 'client', 0, 0, 0);
    const after = appendEntry(before, 'client', 0, 1, 1);
    expect(entryOf(before).entry.batches).toHaveLength(1);
    expect(entryOf(after).entry.batches).toHaveLength(2);
  });
});

describe('ProducerStateInvariantError (rule 8)', () => {
  it('throws when a producer appends at or before its previous batch\'s last offset', () => {
    const state = appendEntry(emptyProducerState(), 'client', 0, 0, 5);
    expect(() => recordAppend(state, single(0, 1), 5, 5, 0)).toThrow(ProducerStateInvariantError);
    expect(() => recordAppend(state, single(0, 1), 3, 3, 0)).toThrow(ProducerStateInvariantError);
  });

  it('throws when the sequences of a producer\'s retained batches are not contiguous (modulo the wrap)', () => {
    const batches = [
      { firstSequence: 16, lastSequence: 16, firstOffset: 0, lastOffset: 0, timestampMs: 0 },
      { firstSequence: 18, lastSequence: 18, firstOffset: 1, lastOffset: 1, timestampMs: 0 },
    ];
    expect(() => assertEntryInvariants({ producerId, producerEpoch: 0, batches, coordinatorEpoch: -1, lastTimestampMs: 0, currentTxnFirstOffset: null })).toThrow(
      ProducerStateInvariantError,
    );
    const wrapped = appendEntry(emptyProducerState(), 'replication', 0, MAX_SEQUENCE, 0);
    expect(() => recordAppend(wrapped, single(0, 0), 1, 1, 0)).not.toThrow();
  });

  it('a replicated batch that does not follow the kept ones (the leader expired the producer) replaces them', () => {
    const state = appendEntry(emptyProducerState(), 'replication', 0, 16, 0);
    expect(entryOf(recordAppend(state, single(0, 18), 1, 1, 0)).entry.batches).toEqual([{ firstSequence: 18, lastSequence: 18, firstOffset: 1, lastOffset: 1, timestampMs: 0 }]);
  });

  it('throws on a batch whose offsets run backwards or whose sequences are outside 0..Int32 max', () => {
    expect(() => recordAppend(emptyProducerState(), single(0, 0), 5, 4, 0)).toThrow(ProducerStateInvariantError);
    expect(() => recordAppend(emptyProducerState(), single(0, MAX_SEQUENCE + 1), 0, 0, 0)).toThrow(ProducerStateInvariantError);
    const tooMany = Array.from({ length: 6 }, (_, seq) => ({ firstSequence: seq, lastSequence: seq, firstOffset: seq, lastOffset: seq, timestampMs: 0 }));
    expect(() => assertEntryInvariants({ producerId, producerEpoch: 0, batches: tooMany, coordinatorEpoch: -1, lastTimestampMs: 0, currentTxnFirstOffset: null })).toThrow(
      ProducerStateInvariantError,
    );
  });
});
