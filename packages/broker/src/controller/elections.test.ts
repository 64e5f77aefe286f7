import { describe, expect, it } from 'vitest';
import { changesWhenBrokerJoins, changesWhenBrokerLeaves, electLeaderWithIsr, electPreferredLeader, preferredLeaderChanges, type BrokerStatuses } from './elections.js';
import type { MetadataRecord } from './metadata-records.js';
import { append, clusterOf } from './test-fixtures.js';

const live = { fenced: false, inControlledShutdown: false };
const fenced = { fenced: true, inControlledShutdown: false };
const shuttingDown = { fenced: false, inControlledShutdown: true };

describe('electLeaderWithIsr', () => {
  const partition = { leader: 0, replicas: [0, 1, 2] };

  it('keeps a valid leader, else takes the first ISR member in replica order that is live', () => {
    expect(electLeaderWithIsr(partition, [0, 1, 2], { 0: live, 1: live, 2: live })).toEqual({ leader: 0, isr: [0, 1, 2], unclean: false });
    expect(electLeaderWithIsr(partition, [1, 2], { 0: fenced, 1: shuttingDown, 2: live })).toEqual({ leader: 2, isr: [1, 2], unclean: false });
    expect(electLeaderWithIsr({ leader: 0, replicas: [0, 2, 1] }, [1, 2], { 0: fenced, 1: live, 2: live }).leader).toBe(2);
  });

  it('leaves the partition offline with its ISR when no ISR member is live and unclean election is off', () => {
    expect(electLeaderWithIsr(partition, [0], { 0: fenced, 1: live, 2: live })).toEqual({ leader: -1, isr: [0], unclean: false });
  });

  it('elects the first live replica with ISR = [it] when unclean election is on', () => {
    expect(electLeaderWithIsr(partition, [0], { 0: fenced, 1: fenced, 2: live }, { uncleanLeaderElectionEnable: true })).toEqual({ leader: 2, isr: [2], unclean: true });
    expect(electLeaderWithIsr(partition, [0], { 0: fenced, 1: fenced, 2: fenced }, { uncleanLeaderElectionEnable: true })).toEqual({ leader: -1, isr: [0], unclean: false });
  });
});

describe('electPreferredLeader', () => {
  const statuses: BrokerStatuses = { 0: live, 1: live, 2: live };

  it('moves leadership back to the first replica when it is in the ISR and live', () => {
    expect(electPreferredLeader({ leader: 1, replicas: [0, 1, 2], isr: [0, 1, 2] }, statuses)).toEqual({ ok: true, leader: 0 });
  });

  it('answers ELECTION_NOT_NEEDED or PREFERRED_LEADER_NOT_AVAILABLE otherwise', () => {
    expect(electPreferredLeader({ leader: 0, replicas: [0, 1, 2], isr: [0, 1, 2] }, statuses)).toEqual({ ok: false, error: 'ELECTION_NOT_NEEDED' });
    expect(electPreferredLeader({ leader: 1, replicas: [0, 1, 2], isr: [1, 2] }, statuses)).toEqual({ ok: false, error: 'PREFERRED_LEADER_NOT_AVAILABLE' });
    expect(electPreferredLeader({ leader: 1, replicas: [0, 1, 2], isr: [0, 1, 2] }, { ...statuses, 0: shuttingDown })).toEqual({ ok: false, error: 'PREFERRED_LEADER_NOT_AVAILABLE' });
  });
});

// UncleanLeaderElectionTest's shape: replicas [0, 1], broker 1 fell out of the ISR, then the leader 0 goes down.
describe('changes when the last ISR member leaves (UncleanLeaderElectionTest)', () => {
  const topic: MetadataRecord[] = [
    { type: 'Topic', name: 'orders', topicId: 'orders-id' },
    { type: 'Partition', topicId: 'orders-id', partitionId: 0, replicas: [0, 1], isr: [0], leader: 0, leaderEpoch: 3, partitionEpoch: 7 },
  ];
  const state = append(clusterOf([0, 1]), topic);
  const statuses: BrokerStatuses = { 0: fenced, 1: live };

  it('unclean election off: no leader, ISR keeps its last member, the leader epoch still moves', () => {
    const changes = changesWhenBrokerLeaves(state, 0, statuses);
    expect(changes).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, leader: -1 }]);
    const partition = append(state, changes).topics.orders!.partitions[0]!;
    expect(partition).toMatchObject({ leader: -1, isr: [0], leaderEpoch: 4, partitionEpoch: 8 });
  });

  it('unclean election on: broker 1 leads with ISR [1], flagged RECOVERING so the loss is counted', () => {
    const changes = changesWhenBrokerLeaves(state, 0, statuses, (name) => name === 'orders');
    expect(changes).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, leader: 1, isr: [1], leaderRecoveryState: 'RECOVERING' }]);
    expect(changes.filter((change) => change.type === 'PartitionChange' && change.leaderRecoveryState === 'RECOVERING')).toHaveLength(1);
    const partition = append(state, changes).topics.orders!.partitions[0]!;
    expect(partition).toMatchObject({ leader: 1, isr: [1], leaderEpoch: 4, partitionEpoch: 8 });
  });

  it('an offline partition elects again when a broker joins: cleanly only the ISR member, uncleanly any live replica', () => {
    const offline = append(state, changesWhenBrokerLeaves(state, 0, statuses));
    expect(changesWhenBrokerJoins(offline, statuses)).toEqual([]);
    expect(changesWhenBrokerJoins(offline, statuses, () => true)).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, leader: 1, isr: [1], leaderRecoveryState: 'RECOVERING' }]);
    expect(changesWhenBrokerJoins(offline, { 0: live, 1: live })).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, leader: 0 }]);
  });
});

describe('epochs on partition changes (PartitionChangeBuilder)', () => {
  const state = append(clusterOf([0, 1, 2]), [
    { type: 'Topic', name: 'orders', topicId: 'orders-id' },
    { type: 'Partition', topicId: 'orders-id', partitionId: 0, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 1, leaderEpoch: 0, partitionEpoch: 0 },
  ]);

  it('a leader change bumps both epochs; an ISR shrink keeping the leader only the partition epoch', () => {
    const shrink = changesWhenBrokerLeaves(state, 2, { 0: live, 1: live, 2: fenced });
    expect(shrink).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, isr: [0, 1] }]);
    const shrunk = append(state, shrink);
    expect(shrunk.topics.orders!.partitions[0]).toMatchObject({ leader: 1, leaderEpoch: 0, partitionEpoch: 1 });
    const preferred = preferredLeaderChanges(shrunk, { 0: live, 1: live, 2: fenced });
    expect(preferred).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, leader: 0 }]);
    expect(append(shrunk, preferred).topics.orders!.partitions[0]).toMatchObject({ leader: 0, leaderEpoch: 1, partitionEpoch: 2 });
  });
});
