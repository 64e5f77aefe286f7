/**
 * The controller's producer id blocks as pure functions (Kafka's ProducerIdControlManagerTest): blocks of 1000 in
 * order, the broker epoch checked, the record replayed forward only, and kept by a metadata snapshot.
 */
import { describe, expect, it } from 'vitest';
import { MetadataInvariantError } from './metadata-invariants.js';
import { snapshotRecordsOf } from './metadata-snapshot.js';
import { stateFromSnapshot } from './metadata-state.js';
import { allocateProducerIds, MAX_PRODUCER_ID, PRODUCER_ID_BLOCK_SIZE } from './producer-ids.js';
import { append, clusterOf } from './test-fixtures.js';

describe('controller: producer id blocks (KIP-730)', () => {
  it('hands out consecutive blocks of 1000 ids, each moved past by its ProducerIdsRecord', () => {
    let state = clusterOf([0, 1, 2]);
    const blocks: Array<[number, number]> = [];
    for (const brokerId of [0, 1, 0, 2]) {
      const outcome = allocateProducerIds(state, { brokerId, brokerEpoch: brokerId });
      if (!outcome.ok) throw new Error(outcome.errorMessage);
      expect(outcome.record).toEqual({ type: 'ProducerIds', brokerId, brokerEpoch: brokerId, nextProducerId: outcome.producerIdStart + 1000 });
      blocks.push([outcome.producerIdStart, outcome.producerIdLen]);
      state = append(state, [outcome.record]);
    }
    expect(PRODUCER_ID_BLOCK_SIZE).toBe(1000);
    expect(blocks).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 1000],
      [3000, 1000],
    ]);
    expect(state.producerIds).toEqual({ nextProducerId: 4000, brokerId: 2, brokerEpoch: 2 });
  });

  it('refuses an unknown broker, another epoch than the registration\'s, and a fenced broker with STALE_BROKER_EPOCH', () => {
    const state = append(clusterOf([0, 1, 2]), [{ type: 'FenceBroker', brokerId: 2, brokerEpoch: 2 }]);
    expect(allocateProducerIds(state, { brokerId: 7, brokerEpoch: 0 })).toMatchObject({ ok: false, errorName: 'STALE_BROKER_EPOCH', errorMessage: 'No broker registration found for broker id 7' });
    expect(allocateProducerIds(state, { brokerId: 1, brokerEpoch: 0 })).toMatchObject({ ok: false, errorName: 'STALE_BROKER_EPOCH', errorMessage: 'broker 1 epoch 0 is not the registered one' });
    expect(allocateProducerIds(state, { brokerId: 2, brokerEpoch: 2 })).toMatchObject({ ok: false, errorName: 'STALE_BROKER_EPOCH' });
    expect(allocateProducerIds(state, { brokerId: 1, brokerEpoch: 1 })).toMatchObject({ ok: true, producerIdStart: 0 });
  });

  it('asserts the ids never run out: the last block ends at MAX_PRODUCER_ID, the next is refused', () => {
    const last = MAX_PRODUCER_ID - PRODUCER_ID_BLOCK_SIZE;
    const state = append(clusterOf([0]), [{ type: 'ProducerIds', brokerId: 0, brokerEpoch: 0, nextProducerId: last }]);
    expect(allocateProducerIds(state, { brokerId: 0, brokerEpoch: 0 })).toMatchObject({ ok: true, producerIdStart: last });
    const exhausted = append(state, [{ type: 'ProducerIds', brokerId: 0, brokerEpoch: 0, nextProducerId: last + 1 }]);
    expect(() => allocateProducerIds(exhausted, { brokerId: 0, brokerEpoch: 0 })).toThrow(/producer ids exhausted/);
  });

  it('replay asserts the next producer id only moves forward', () => {
    const state = append(clusterOf([0]), [{ type: 'ProducerIds', brokerId: 0, brokerEpoch: 0, nextProducerId: 2000 }]);
    expect(() => append(state, [{ type: 'ProducerIds', brokerId: 0, brokerEpoch: 0, nextProducerId: 2000 }])).toThrow(MetadataInvariantError);
    expect(() => append(state, [{ type: 'ProducerIds', brokerId: 0, brokerEpoch: 0, nextProducerId: 1000 }])).toThrow(/producer-ids-went-back/);
  });

  it('a metadata snapshot keeps where the blocks stand: the controller loading it continues after the last block', () => {
    const state = append(clusterOf([0, 1]), [
      { type: 'ProducerIds', brokerId: 0, brokerEpoch: 0, nextProducerId: 1000 },
      { type: 'ProducerIds', brokerId: 1, brokerEpoch: 1, nextProducerId: 2000 },
    ]);
    const records = snapshotRecordsOf(state);
    expect(records.filter((record) => record.type === 'ProducerIds')).toEqual([{ type: 'ProducerIds', brokerId: 1, brokerEpoch: 1, nextProducerId: 2000 }]);
    const loaded = stateFromSnapshot(state.clusterId, records, state.metadataOffset + 1);
    expect(loaded).toEqual(state);
    expect(allocateProducerIds(loaded, { brokerId: 0, brokerEpoch: 0 })).toMatchObject({ ok: true, producerIdStart: 2000 });
    // A cluster that never handed out a block writes no record for it.
    expect(snapshotRecordsOf(clusterOf([0])).some((record) => record.type === 'ProducerIds')).toBe(false);
  });
});
