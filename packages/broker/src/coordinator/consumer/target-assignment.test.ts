/** Kafka's TargetAssignmentBuilderTest cases, with a fake assignor that answers what each test prepares. */
import type { ServerAssignorGroupSpec, ServerPartitionAssignor, SubscribedTopicDescriber } from '@kactor/assignors';
import { describe, expect, it } from 'vitest';
import { emptyConsumerGroup, newConsumerGroupMember, type Assignment, type ConsumerGroupData, type ConsumerGroupMember } from './consumer-group-data.js';
import { computeTargetAssignment, subscriptionTypeOf } from './target-assignment.js';

const topics = { foo: { topicId: 'fooId', numPartitions: 6 }, bar: { topicId: 'barId', numPartitions: 6 } };

/** Answers the prepared assignment and keeps what it was asked. */
function preparedAssignor(prepared: Record<string, Assignment>): ServerPartitionAssignor & { specs: ServerAssignorGroupSpec[]; describers: SubscribedTopicDescriber[] } {
  const specs: ServerAssignorGroupSpec[] = [];
  const describers: SubscribedTopicDescriber[] = [];
  return {
    name: 'prepared',
    specs,
    describers,
    assign(group, describer) {
      specs.push(group);
      describers.push(describer);
      return { members: new Map(Object.entries(prepared).map(([memberId, assignment]) => [memberId, new Map(Object.entries(assignment).map(([topicId, partitions]) => [topicId, new Set(partitions)]))])) };
    },
  };
}

function member(memberId: string, subscribedTopicNames: string[], instanceId: string | null = null): ConsumerGroupMember {
  return { ...newConsumerGroupMember(memberId), subscribedTopicNames, instanceId };
}

function groupWith(entries: Array<[ConsumerGroupMember, Assignment]>): ConsumerGroupData {
  const group = { ...emptyConsumerGroup('my-group'), groupEpoch: 19, assignmentEpoch: 19, subscribedTopicMetadata: topics };
  for (const [m, target] of entries) {
    group.members[m.memberId] = m;
    group.targetAssignment[m.memberId] = target;
  }
  return group;
}

const epochRecord = { type: 'ConsumerGroupTargetAssignmentMetadata', groupId: 'my-group', value: { assignmentEpoch: 20 } };
const targetRecord = (memberId: string, assignment: Assignment) => ({
  type: 'ConsumerGroupTargetAssignmentMember',
  groupId: 'my-group',
  memberId,
  value: { topicPartitions: Object.entries(assignment).map(([topicId, partitions]) => ({ topicId, partitions })) },
});
const all = ['foo', 'bar', 'zar'];

describe('computeTargetAssignment (Kafka TargetAssignmentBuilderTest)', () => {
  it('testEmpty: only the epoch record', () => {
    const result = computeTargetAssignment({ group: groupWith([]), groupEpoch: 20, assignor: preparedAssignor({}), subscribedTopicMetadata: topics });
    expect(result).toEqual({ records: [epochRecord], targetAssignment: {} });
  });

  it('testAssignmentHasNotChanged: only the epoch record', () => {
    const a1 = { barId: [1, 2, 3], fooId: [1, 2, 3] };
    const a2 = { barId: [4, 5, 6], fooId: [4, 5, 6] };
    const group = groupWith([[member('member-1', all), a1], [member('member-2', all), a2]]);
    const result = computeTargetAssignment({ group, groupEpoch: 20, assignor: preparedAssignor({ 'member-1': a1, 'member-2': a2 }), subscribedTopicMetadata: topics });
    expect(result).toEqual({ records: [epochRecord], targetAssignment: { 'member-1': a1, 'member-2': a2 } });
  });

  it('testAssignmentSwapped: a record for each member, then the epoch', () => {
    const a1 = { barId: [1, 2, 3], fooId: [1, 2, 3] };
    const a2 = { barId: [4, 5, 6], fooId: [4, 5, 6] };
    const group = groupWith([[member('member-1', all), a1], [member('member-2', all), a2]]);
    const result = computeTargetAssignment({ group, groupEpoch: 20, assignor: preparedAssignor({ 'member-1': a2, 'member-2': a1 }), subscribedTopicMetadata: topics });
    expect(result.records).toEqual([targetRecord('member-1', a2), targetRecord('member-2', a1), epochRecord]);
  });

  it('testNewMember: the new member is last in the spec, with no target; every changed target is written', () => {
    const group = groupWith([[member('member-1', all), { barId: [1, 2, 3], fooId: [1, 2, 3] }], [member('member-2', all), { barId: [4, 5, 6], fooId: [4, 5, 6] }]]);
    const prepared = { 'member-1': { barId: [1, 2], fooId: [1, 2] }, 'member-2': { barId: [3, 4], fooId: [3, 4] }, 'member-3': { barId: [5, 6], fooId: [5, 6] } };
    const assignor = preparedAssignor(prepared);
    const result = computeTargetAssignment({ group, groupEpoch: 20, assignor, subscribedTopicMetadata: topics, updatedMember: member('member-3', all) });
    expect(result.records).toEqual([targetRecord('member-1', prepared['member-1']), targetRecord('member-2', prepared['member-2']), targetRecord('member-3', prepared['member-3']), epochRecord]);
    const spec = assignor.specs[0];
    expect(spec?.members.map((m) => m.memberId)).toEqual(['member-1', 'member-2', 'member-3']);
    expect(spec?.subscriptionType).toBe('HOMOGENEOUS');
    // Subscriptions resolve to the ids of existing topics (zar does not exist); stickiness starts from each current target.
    expect(spec?.members[0]?.subscribedTopicIds).toEqual(new Set(['fooId', 'barId']));
    expect(spec?.members[0]?.assignedPartitions).toEqual(new Map([['barId', new Set([1, 2, 3])], ['fooId', new Set([1, 2, 3])]]));
    expect(spec?.members[2]?.assignedPartitions).toEqual(new Map());
    expect(assignor.describers[0]?.numPartitions('fooId')).toBe(6);
    expect(assignor.describers[0]?.numPartitions('zarId')).toBe(-1);
  });

  it('testUpdateMember: the updated member keeps its place and its new subscription makes the group HETEROGENEOUS', () => {
    const group = groupWith([[member('member-1', ['foo', 'bar']), { fooId: [1, 2, 3] }], [member('member-2', ['foo', 'bar']), { fooId: [4, 5, 6] }]]);
    const assignor = preparedAssignor({ 'member-1': { fooId: [1, 2, 3] }, 'member-2': { barId: [1, 2, 3, 4, 5, 6], fooId: [4, 5, 6] } });
    const result = computeTargetAssignment({ group, groupEpoch: 20, assignor, subscribedTopicMetadata: topics, updatedMember: member('member-1', ['foo']) });
    expect(assignor.specs[0]?.members.map((m) => [m.memberId, [...m.subscribedTopicIds]])).toEqual([['member-1', ['fooId']], ['member-2', ['fooId', 'barId']]]);
    expect(assignor.specs[0]?.subscriptionType).toBe('HETEROGENEOUS');
    expect(result.records).toEqual([targetRecord('member-2', { barId: [1, 2, 3, 4, 5, 6], fooId: [4, 5, 6] }), epochRecord]);
  });

  it('testDeleteMember: a removed member is not in the spec and gets no record', () => {
    const group = groupWith([[member('member-1', all), { fooId: [1, 2] }], [member('member-2', all), { fooId: [3, 4] }], [member('member-3', all), { fooId: [5, 6] }]]);
    const assignor = preparedAssignor({ 'member-1': { fooId: [1, 2, 3] }, 'member-2': { fooId: [4, 5, 6] } });
    const result = computeTargetAssignment({ group, groupEpoch: 20, assignor, subscribedTopicMetadata: topics, removedMemberIds: ['member-3'] });
    expect(assignor.specs[0]?.members.map((m) => m.memberId)).toEqual(['member-1', 'member-2']);
    expect(result.records).toEqual([targetRecord('member-1', { fooId: [1, 2, 3] }), targetRecord('member-2', { fooId: [4, 5, 6] }), epochRecord]);
    expect(result.targetAssignment).toEqual({ 'member-1': { fooId: [1, 2, 3] }, 'member-2': { fooId: [4, 5, 6] } });
  });

  it('testReplaceStaticMember: the new incarnation starts from its predecessor’s target and only its record is written', () => {
    const a3 = { barId: [5, 6], fooId: [5, 6] };
    const group = groupWith([
      [member('member-1', all, 'instance-member-1'), { barId: [1, 2], fooId: [1, 2] }],
      [member('member-2', all, 'instance-member-2'), { barId: [3, 4], fooId: [3, 4] }],
      [member('member-3', all, 'instance-member-3'), a3],
    ]);
    const assignor = preparedAssignor({ 'member-1': { barId: [1, 2], fooId: [1, 2] }, 'member-2': { barId: [3, 4], fooId: [3, 4] }, 'member-3-a': a3 });
    const result = computeTargetAssignment({ group, groupEpoch: 20, assignor, subscribedTopicMetadata: topics, updatedMember: member('member-3-a', all, 'instance-member-3') });
    expect(assignor.specs[0]?.members.map((m) => m.memberId)).toEqual(['member-1', 'member-2', 'member-3-a']);
    expect(assignor.specs[0]?.members[2]?.assignedPartitions).toEqual(new Map([['barId', new Set([5, 6])], ['fooId', new Set([5, 6])]]));
    expect(result.records).toEqual([targetRecord('member-3-a', a3), epochRecord]);
  });
});

describe('subscriptionTypeOf (Kafka ModernGroup.subscriptionType)', () => {
  it('is HOMOGENEOUS for equal subscriptions in any order, HETEROGENEOUS otherwise', () => {
    expect(subscriptionTypeOf([])).toBe('HOMOGENEOUS');
    expect(subscriptionTypeOf([member('a', ['x', 'y']), member('b', ['y', 'x'])])).toBe('HOMOGENEOUS');
    expect(subscriptionTypeOf([member('a', ['x', 'y']), member('b', ['x'])])).toBe('HETEROGENEOUS');
  });
});
