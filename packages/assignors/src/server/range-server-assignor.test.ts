/**
 * Kafka's server-side RangeAssignorTest (group-coordinator, org.apache.kafka.coordinator.group.assignor), with
 * its exact expected outputs. Its topic ids are random there; any ids do here, since range does not order topics.
 */
import { describe, expect, it } from 'vitest';
import { rangeServerAssignor } from './range-server-assignor.js';
import { PartitionAssignorError } from './server-assignor-errors.js';
import { describerOf, groupOf, plainAssignment, type TestMember } from './server-test-helpers.js';

const topic1 = 'xF2Tk4JiQJqjzXkKbYbZQw';
const topic2 = 'Bd1d2Q3vSbmJmA4K9aTtCQ';
const topic3 = 'mVQnKzGhQ5Oq0i4vSdbv0A';
const assign = (members: Record<string, TestMember>, counts: Record<string, number>) =>
  plainAssignment(rangeServerAssignor.assign(groupOf(members), describerOf(counts)));

describe('range server assignor (Kafka RangeAssignorTest)', () => {
  it('testOneMemberNoTopic', () => {
    expect(assign({ A: { topics: [] } }, { [topic1]: 3 })).toEqual({ A: {} });
  });

  it('testOneMemberSubscribedToNonExistentTopic: throws PartitionAssignorError', () => {
    expect(() => rangeServerAssignor.assign(groupOf({ A: { topics: [topic2] } }), describerOf({ [topic1]: 3 }))).toThrow(PartitionAssignorError);
  });

  it('testFirstAssignmentTwoMembersTwoTopicsSameSubscriptions', () => {
    expect(assign({ A: { topics: [topic1, topic3] }, B: { topics: [topic1, topic3] } }, { [topic1]: 3, [topic3]: 2 })).toEqual({
      A: { [topic1]: [0, 1], [topic3]: [0] },
      B: { [topic1]: [2], [topic3]: [1] },
    });
  });

  it('testFirstAssignmentThreeMembersThreeTopicsDifferentSubscriptions', () => {
    const members = { A: { topics: [topic1, topic2] }, B: { topics: [topic3] }, C: { topics: [topic2, topic3] } };
    expect(assign(members, { [topic1]: 3, [topic2]: 3, [topic3]: 2 })).toEqual({
      A: { [topic1]: [0, 1, 2], [topic2]: [0, 1] },
      B: { [topic3]: [0] },
      C: { [topic2]: [2], [topic3]: [1] },
    });
  });

  it('testFirstAssignmentNumMembersGreaterThanNumPartitions', () => {
    const both = [topic1, topic3];
    expect(assign({ A: { topics: both }, B: { topics: both }, C: { topics: both } }, { [topic1]: 3, [topic3]: 2 })).toEqual({
      A: { [topic1]: [0], [topic3]: [0] },
      B: { [topic1]: [1], [topic3]: [1] },
      C: { [topic1]: [2] },
    });
  });

  it('testStaticMembership: a static member back under a new member id gets the same partitions', () => {
    const counts = { [topic1]: 3 };
    const initial = assign({ A: { topics: [topic1], instanceId: 'instanceA' }, B: { topics: [topic1], instanceId: 'instanceB' } }, counts);
    const rejoined = assign(
      {
        B: { topics: [topic1], instanceId: 'instanceB', assigned: initial['B'] },
        memberA1: { topics: [topic1], instanceId: 'instanceA' },
      },
      counts,
    );
    expect(rejoined['memberA1']).toEqual(initial['A']);
    expect(rejoined['B']).toEqual(initial['B']);
  });

  it('testMixedStaticMembership: static members ordered by instance id first, dynamic ones after', () => {
    const counts = { [topic1]: 5 };
    const initial = assign(
      {
        A: { topics: [topic1], instanceId: 'instanceA' },
        C: { topics: [topic1], instanceId: 'instanceC' },
        B: { topics: [topic1] },
      },
      counts,
    );
    const rejoined = assign(
      {
        C: { topics: [topic1], instanceId: 'instanceC', assigned: initial['C'] },
        B: { topics: [topic1], assigned: initial['B'] },
        memberA1: { topics: [topic1], instanceId: 'instanceA' },
      },
      counts,
    );
    expect(initial).toEqual({ A: { [topic1]: [0, 1] }, C: { [topic1]: [2, 3] }, B: { [topic1]: [4] } });
    expect(rejoined['memberA1']).toEqual(initial['A']);
    expect(rejoined['B']).toEqual(initial['B']);
    expect(rejoined['C']).toEqual(initial['C']);
  });

  it('testReassignmentNumMembersGreaterThanNumPartitionsWhenOneMemberAdded', () => {
    const both = [topic1, topic2];
    const members = {
      A: { topics: both, assigned: { [topic1]: [0], [topic2]: [0] } },
      B: { topics: both, assigned: { [topic1]: [1], [topic2]: [1] } },
      C: { topics: both },
    };
    expect(assign(members, { [topic1]: 2, [topic2]: 2 })).toEqual({
      A: { [topic1]: [0], [topic2]: [0] },
      B: { [topic1]: [1], [topic2]: [1] },
      C: {},
    });
  });

  it('testReassignmentWhenOnePartitionAddedForTwoMembersTwoTopics', () => {
    const both = [topic1, topic2];
    const members = {
      A: { topics: both, assigned: { [topic1]: [0, 1], [topic2]: [0, 1] } },
      B: { topics: both, assigned: { [topic1]: [2], [topic2]: [2] } },
    };
    expect(assign(members, { [topic1]: 4, [topic2]: 4 })).toEqual({
      A: { [topic1]: [0, 1], [topic2]: [0, 1] },
      B: { [topic1]: [2, 3], [topic2]: [2, 3] },
    });
  });

  it('testReassignmentWhenOneMemberAddedAfterInitialAssignmentWithTwoMembersTwoTopics', () => {
    const both = [topic1, topic2];
    const members = {
      A: { topics: both, assigned: { [topic1]: [0, 1], [topic2]: [0, 1] } },
      B: { topics: both, assigned: { [topic1]: [2], [topic2]: [2] } },
      C: { topics: both },
    };
    expect(assign(members, { [topic1]: 3, [topic2]: 3 })).toEqual({
      A: { [topic1]: [0], [topic2]: [0] },
      B: { [topic1]: [1], [topic2]: [1] },
      C: { [topic1]: [2], [topic2]: [2] },
    });
  });

  it('testReassignmentWhenOneMemberAddedAndOnePartitionAfterInitialAssignmentWithTwoMembersTwoTopics', () => {
    const both = [topic1, topic2];
    const members = {
      A: { topics: both, assigned: { [topic1]: [0, 1], [topic2]: [0, 1] } },
      B: { topics: both, assigned: { [topic1]: [2], [topic2]: [2] } },
      C: { topics: [topic1] },
    };
    expect(assign(members, { [topic1]: 4, [topic2]: 3 })).toEqual({
      A: { [topic1]: [0, 1], [topic2]: [0, 1] },
      B: { [topic1]: [2], [topic2]: [2] },
      C: { [topic1]: [3] },
    });
  });

  it('testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithTwoMembersTwoTopics', () => {
    const members = { B: { topics: [topic1, topic2], assigned: { [topic1]: [2], [topic2]: [2] } } };
    expect(assign(members, { [topic1]: 3, [topic2]: 3 })).toEqual({ B: { [topic1]: [0, 1, 2], [topic2]: [0, 1, 2] } });
  });

  it('testReassignmentWhenMultipleSubscriptionsRemovedAfterInitialAssignmentWithThreeMembersTwoTopics', () => {
    const members = {
      A: { topics: [topic1], assigned: { [topic1]: [0, 1, 2], [topic2]: [0] } },
      B: { topics: [topic1, topic2, topic3], assigned: { [topic2]: [1] } },
      C: { topics: [topic2], assigned: { [topic2]: [2], [topic3]: [0, 1] } },
    };
    expect(assign(members, { [topic1]: 3, [topic2]: 3, [topic3]: 2 })).toEqual({
      A: { [topic1]: [0, 1] },
      B: { [topic1]: [2], [topic2]: [0, 1], [topic3]: [0, 1] },
      C: { [topic2]: [2] },
    });
  });
});
