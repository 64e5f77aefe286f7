/**
 * The consumer group statechart (KIP-848) on a simulated clock, named as transitions. The state is Kafka's function
 * of the group's data (ConsumerGroup.maybeUpdateGroupState), taken after each applied step of written records.
 */
import { describe, expect, it } from 'vitest';
import { emptyConsumerGroup, newConsumerGroupMember, type ConsumerGroupData } from './consumer-group-data.js';
import { startConsumerGroup } from './consumer-group-test-support.js';

/** A group as a replay leaves it: members at `memberEpoch`, target at `assignmentEpoch`, each owning its partitions of `t-id`. */
function loadedGroup(groupEpoch: number, members: Record<string, { memberEpoch: number; partitions: number[] }>, assignmentEpoch = groupEpoch): ConsumerGroupData {
  const group = emptyConsumerGroup('g');
  const partitionEpochs: Record<number, number> = {};
  for (const [memberId, member] of Object.entries(members)) {
    group.members[memberId] = { ...newConsumerGroupMember(memberId), clientId: memberId, subscribedTopicNames: ['t'], rebalanceTimeoutMs: 300_000, memberEpoch: member.memberEpoch, previousMemberEpoch: member.memberEpoch - 1, assignedPartitions: { 't-id': member.partitions } };
    group.targetAssignment[memberId] = { 't-id': member.partitions };
    for (const partition of member.partitions) partitionEpochs[partition] = member.memberEpoch;
  }
  return { ...group, groupEpoch, assignmentEpoch, subscribedTopicMetadata: { t: { topicId: 't-id', numPartitions: 6 } }, partitionEpochs: { 't-id': partitionEpochs } };
}

describe('consumer group: loading, offsets and deletion', () => {
  it('Loaded -> Stable for a replayed group whose members are all at the target epoch', () => {
    const g = startConsumerGroup({ group: loadedGroup(5, { a: { memberEpoch: 5, partitions: [0, 1, 2] }, b: { memberEpoch: 5, partitions: [3, 4, 5] } }) });
    expect(g.state()).toBe('Stable');
  });

  it('Stable -> Assigning when a loaded member does not heartbeat within a fresh session timeout (Kafka onLoaded); the one that does stays', () => {
    const g = startConsumerGroup({ group: loadedGroup(5, { a: { memberEpoch: 5, partitions: [0, 1, 2] }, b: { memberEpoch: 5, partitions: [3, 4, 5] } }) });
    g.clock.advanceBy(40_000);
    g.heartbeat('a', { memberEpoch: 5 });
    g.clock.advanceBy(5_000);
    expect(Object.keys(g.group().members)).toEqual(['a']);
    expect(g.state()).toBe('Assigning');
    g.clock.advanceBy(35_000);
    expect(Object.keys(g.group().members)).toEqual(['a']);
  });

  it('Loaded -> Reconciling for a replayed group with a member behind the target epoch', () => {
    const g = startConsumerGroup({ group: loadedGroup(5, { a: { memberEpoch: 5, partitions: [0, 1, 2] }, b: { memberEpoch: 4, partitions: [3, 4, 5] } }) });
    expect(g.state()).toBe('Reconciling');
  });

  it('Loaded -> Assigning for a replayed group whose epoch is ahead of its target assignment', () => {
    const g = startConsumerGroup({ group: loadedGroup(6, { a: { memberEpoch: 5, partitions: [0, 1, 2] } }, 5) });
    expect(g.state()).toBe('Assigning');
  });

  it('Empty accepts a commit from outside the group (an admin: no member id, epoch -1) and applies it once written', () => {
    const g = startConsumerGroup();
    const id = g.commit('', -1, 42);
    expect(g.commitErrorOf(id)).toBe('NONE');
    expect(g.group().offsets['t-0']?.offset).toBe(42);
  });

  it('Empty -> Dead on DeleteGroups: the group and its offsets are tombstoned first', () => {
    const g = startConsumerGroup();
    g.commit('', -1, 7);
    g.actor.send({ type: 'group.delete', token: 1 });
    expect(g.deletions).toEqual([{ token: 1, errorName: 'NONE' }]);
    expect(g.state()).toBe('Dead');
    const tombstones = g.appended.at(-1) ?? [];
    expect(tombstones.every((record) => record.value === null)).toBe(true);
    expect(tombstones.map((record) => record.type)).toContain('ConsumerGroupMetadata');
    expect(tombstones.map((record) => record.type)).toContain('OffsetCommit');
  });

  it('DeleteGroups of a group with members is refused NON_EMPTY_GROUP', () => {
    const g = startConsumerGroup({ group: loadedGroup(5, { a: { memberEpoch: 5, partitions: [0] } }) });
    g.actor.send({ type: 'group.delete', token: 3 });
    expect(g.deletions).toEqual([{ token: 3, errorName: 'NON_EMPTY_GROUP' }]);
    expect(g.state()).toBe('Stable');
  });

  it('Stable -> Dead on unload: a commit still being written is answered NOT_COORDINATOR', () => {
    const g = startConsumerGroup({ holdAppends: true });
    const id = g.commit('', -1, 9);
    expect(g.answer(id)).toBeUndefined();
    g.actor.send({ type: 'group.unload' });
    expect(g.commitErrorOf(id)).toBe('NOT_COORDINATOR');
    expect(g.state()).toBe('Dead');
  });

  it('OffsetDelete keeps the offsets of a topic a member subscribes to (GROUP_SUBSCRIBED_TO_TOPIC) and tombstones the others', () => {
    const loaded = loadedGroup(5, { a: { memberEpoch: 5, partitions: [0] } });
    const commitTime = { leaderEpoch: -1, metadata: '', commitTimestampMs: 0 };
    const g = startConsumerGroup({ group: { ...loaded, offsets: { 't-0': { offset: 1, ...commitTime }, 'u-0': { offset: 2, ...commitTime } } } });
    const ref = { connectionId: 'admin', correlationId: 99, api: 'offsetDelete' as const, version: 0, remoteAddress: '/admin' };
    g.actor.send({ type: 'request.offsetDelete', ref, body: { groupId: 'g', topics: [{ name: 't', partitions: [{ partitionIndex: 0 }] }, { name: 'u', partitions: [{ partitionIndex: 0 }] }] } });
    const topics = (g.answer(99)?.topics ?? []) as Array<{ name: string; partitions: Array<{ errorCode: number }> }>;
    expect(topics.map((topic) => [topic.name, topic.partitions[0]?.errorCode])).toEqual([['t', 86], ['u', 0]]);
    expect(Object.keys(g.group().offsets)).toEqual(['t-0']);
  });
});
