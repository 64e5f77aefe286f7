import { describe, expect, it } from 'vitest';
import { alterPartition, type AlterPartitionData } from './alter-partition.js';
import type { MetadataRecord } from './metadata-records.js';
import { append, clusterOf } from './test-fixtures.js';

// clusterOf registers brokers 0..3 with broker epochs 0..3 and unfences them.
const base = append(clusterOf([0, 1, 2, 3]), [
  { type: 'Topic', name: 'orders', topicId: 'orders-id' },
  { type: 'Partition', topicId: 'orders-id', partitionId: 0, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 0, leaderEpoch: 4, partitionEpoch: 9 },
]);
const members = (...ids: number[]) => ids.map((brokerId) => ({ brokerId, brokerEpoch: brokerId }));
const shrink: AlterPartitionData = { topicId: 'orders-id', partitionIndex: 0, leaderEpoch: 4, partitionEpoch: 9, newIsrWithEpochs: members(0, 1) };

describe('alterPartition (ReplicationControlManager.validateAlterPartitionData)', () => {
  it('writes the new ISR, bumps only the partition epoch, and answers with it', () => {
    const result = alterPartition(base, 0, shrink);
    expect(result).toEqual({
      ok: true,
      records: [{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, isr: [0, 1] }],
      answer: { leader: 0, leaderEpoch: 4, partitionEpoch: 10, isr: [0, 1] },
    });
    if (!result.ok) return;
    expect(append(base, result.records).topics.orders!.partitions[0]).toMatchObject({ isr: [0, 1], leaderEpoch: 4, partitionEpoch: 10 });
  });

  it('refuses a stale leader epoch with FENCED_LEADER_EPOCH and a stale partition epoch with INVALID_UPDATE_VERSION', () => {
    expect(alterPartition(base, 0, { ...shrink, leaderEpoch: 3 })).toEqual({ ok: false, error: 'FENCED_LEADER_EPOCH' });
    expect(alterPartition(base, 0, { ...shrink, partitionEpoch: 8 })).toEqual({ ok: false, error: 'INVALID_UPDATE_VERSION' });
  });

  it('answers NOT_CONTROLLER for epochs ahead of its own records', () => {
    expect(alterPartition(base, 0, { ...shrink, leaderEpoch: 5 })).toEqual({ ok: false, error: 'NOT_CONTROLLER' });
    expect(alterPartition(base, 0, { ...shrink, partitionEpoch: 10 })).toEqual({ ok: false, error: 'NOT_CONTROLLER' });
  });

  it('refuses with INVALID_REQUEST a sender that is not the leader, an ISR outside the replicas or without the leader', () => {
    expect(alterPartition(base, 1, shrink)).toEqual({ ok: false, error: 'INVALID_REQUEST' });
    expect(alterPartition(base, 0, { ...shrink, newIsrWithEpochs: members(0, 3) })).toEqual({ ok: false, error: 'INVALID_REQUEST' });
    expect(alterPartition(base, 0, { ...shrink, newIsrWithEpochs: members(1, 2) })).toEqual({ ok: false, error: 'INVALID_REQUEST' });
    expect(alterPartition(base, 0, { ...shrink, newIsrWithEpochs: members(0, 1, 1) })).toEqual({ ok: false, error: 'INVALID_REQUEST' });
  });

  it('refuses fenced, shutting-down or re-registered members with INELIGIBLE_REPLICA (KIP-841, KIP-903)', () => {
    const shrunk = append(base, [{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, isr: [0, 1] }]);
    const expand: AlterPartitionData = { ...shrink, partitionEpoch: 10, newIsrWithEpochs: members(0, 1, 2) };
    const fenced: MetadataRecord = { type: 'FenceBroker', brokerId: 2, brokerEpoch: 2 };
    const shuttingDown: MetadataRecord = { type: 'BrokerRegistrationChange', brokerId: 2, brokerEpoch: 2, inControlledShutdown: true };
    expect(alterPartition(append(shrunk, [fenced]), 0, expand)).toEqual({ ok: false, error: 'INELIGIBLE_REPLICA' });
    expect(alterPartition(append(shrunk, [shuttingDown]), 0, expand)).toEqual({ ok: false, error: 'INELIGIBLE_REPLICA' });
    expect(alterPartition(shrunk, 0, { ...expand, newIsrWithEpochs: [...members(0, 1), { brokerId: 2, brokerEpoch: 1 }] })).toEqual({ ok: false, error: 'INELIGIBLE_REPLICA' });
    expect(alterPartition(shrunk, 0, expand)).toMatchObject({ ok: true, answer: { isr: [0, 1, 2], partitionEpoch: 11 } });
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for an unknown partition, and writes nothing for an unchanged ISR', () => {
    expect(alterPartition(base, 0, { ...shrink, partitionIndex: 5 })).toEqual({ ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(alterPartition(base, 0, { ...shrink, newIsrWithEpochs: members(0, 1, 2) })).toMatchObject({ ok: true, records: [], answer: { partitionEpoch: 9 } });
  });
});
