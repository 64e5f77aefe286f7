/**
 * Kafka's UniformHeterogeneousAssignmentBuilderTest (group-coordinator, org.apache.kafka.coordinator.group.assignor),
 * with its topic ids, members in sorted order (the test's TestGroupSpecImpl sorts them) and exact expected outputs.
 */
import { describe, expect, it } from 'vitest';
import { PartitionAssignorError } from './server-assignor-errors.js';
import { describerOf, groupOf, plainAssignment } from './server-test-helpers.js';
import { uniformAssignor } from './uniform-assignor.js';

const topic1 = 'T1-A4s3VTwiI5CTbEp6POw';
const topic2 = 'T2-B4s3VTwiI5YHbPp6YUe';
const topic3 = 'T3-CU8fVTLCz5YMkLoDQsa';
const topic4 = 'T4-Tw9fVTLCz5HbPp6YQsa';

describe('uniform assignor, heterogeneous subscriptions (Kafka UniformHeterogeneousAssignmentBuilderTest)', () => {
  it('testTwoMembersNoTopicSubscription: nobody gets anything', () => {
    const group = groupOf({ A: { topics: [] }, B: { topics: [] } }, 'HETEROGENEOUS');
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 3 })))).toEqual({ A: {}, B: {} });
  });

  it('testTwoMembersSubscribedToNonexistentTopics: throws PartitionAssignorError', () => {
    const group = groupOf({ A: { topics: [topic3] }, B: { topics: [topic2] } });
    expect(() => uniformAssignor.assign(group, describerOf({ [topic1]: 3 }))).toThrow(PartitionAssignorError);
  });

  it('testFirstAssignmentTwoMembersTwoTopics', () => {
    const group = groupOf({ A: { topics: [topic1, topic3] }, B: { topics: [topic3] } });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 3, [topic3]: 6 })))).toEqual({
      A: { [topic1]: [0, 1, 2], [topic3]: [4] },
      B: { [topic3]: [0, 1, 2, 3, 5] },
    });
  });

  it('testFirstAssignmentNumMembersGreaterThanTotalNumPartitions', () => {
    const group = groupOf({ A: { topics: [topic3] }, B: { topics: [topic3] }, C: { topics: [topic1] } });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic3]: 1, [topic1]: 2 })))).toEqual({
      A: { [topic3]: [0] },
      B: {},
      C: { [topic1]: [0, 1] },
    });
  });

  it('testReassignmentForTwoMembersThreeTopicsGivenUnbalancedPrevAssignment', () => {
    const group = groupOf({
      A: { topics: [topic1], assigned: { [topic1]: [0, 1, 2] } },
      B: { topics: [topic1, topic2], assigned: { [topic1]: [3], [topic2]: [0] } },
      C: { topics: [topic1, topic2, topic3], assigned: { [topic1]: [4, 5], [topic2]: [1, 2, 3], [topic3]: [0, 1, 2, 3] } },
    });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 6, [topic2]: 4, [topic3]: 4 })))).toEqual({
      A: { [topic1]: [0, 1, 2, 5] },
      B: { [topic1]: [3], [topic2]: [0, 1, 2, 3] },
      C: { [topic1]: [4], [topic3]: [0, 1, 2, 3] },
    });
  });

  it('testReassignmentWhenPartitionsAreAddedForTwoMembers', () => {
    const group = groupOf({
      A: { topics: [topic1, topic3], assigned: { [topic1]: [0, 1, 2, 3], [topic3]: [0, 1] } },
      B: { topics: [topic1, topic2, topic3, topic4], assigned: { [topic2]: [0, 1, 2], [topic4]: [0, 1, 2] } },
    });
    const topics = describerOf({ [topic1]: 6, [topic2]: 5, [topic3]: 3, [topic4]: 3 });
    expect(plainAssignment(uniformAssignor.assign(group, topics))).toEqual({
      A: { [topic1]: [0, 1, 2, 3, 4, 5], [topic3]: [0, 1, 2] },
      B: { [topic2]: [0, 1, 2, 3, 4], [topic4]: [0, 1, 2] },
    });
  });

  it('testReassignmentWhenOneMemberAddedAndPartitionsAddedTwoMembersTwoTopics', () => {
    const group = groupOf({
      A: { topics: [topic1], assigned: { [topic1]: [0, 2], [topic2]: [0] } },
      B: { topics: [topic1, topic2], assigned: { [topic1]: [1], [topic2]: [1, 2] } },
      C: { topics: [topic1, topic2] },
    });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 6, [topic2]: 7 })))).toEqual({
      A: { [topic1]: [0, 2, 3, 4, 5] },
      B: { [topic1]: [1], [topic2]: [1, 2, 6] },
      C: { [topic2]: [0, 3, 4, 5] },
    });
  });

  it('testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithThreeMembersThreeTopics', () => {
    const group = groupOf({
      A: { topics: [topic1, topic3], assigned: { [topic1]: [0, 1, 2], [topic3]: [0, 1] } },
      B: { topics: [topic2], assigned: { [topic2]: [3, 4, 5, 6] } },
    });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 3, [topic2]: 8, [topic3]: 3 })))).toEqual({
      A: { [topic1]: [0, 1, 2], [topic3]: [0, 1, 2] },
      B: { [topic2]: [0, 1, 2, 3, 4, 5, 6, 7] },
    });
  });

  it('testReassignmentWhenOneSubscriptionRemovedAfterInitialAssignmentWithTwoMembersTwoTopics', () => {
    const group = groupOf({
      A: { topics: [topic1], assigned: { [topic1]: [0, 2], [topic2]: [1, 3] } },
      B: { topics: [topic1, topic2], assigned: { [topic1]: [1], [topic2]: [0, 2, 4] } },
    });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 3, [topic2]: 5 })))).toEqual({
      A: { [topic1]: [0, 1, 2] },
      B: { [topic2]: [0, 1, 2, 3, 4] },
    });
  });

  it('testReassignmentWhenTopicPartitionsRunOutAndMembersHaveNoPartitions', () => {
    const group = groupOf(
      {
        A: { topics: [topic1, topic2, topic3], assigned: { [topic1]: [0, 1], [topic2]: [0, 1], [topic3]: [0, 1] } },
        B: { topics: [topic1, topic2, topic3] },
      },
      'HETEROGENEOUS',
    );
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 2, [topic2]: 2, [topic3]: 2 })))).toEqual({
      A: { [topic2]: [0], [topic3]: [0, 1] },
      B: { [topic1]: [0, 1], [topic2]: [1] },
    });
  });

  it('testFirstAssignmentWithTwoMembersIncludingOneWithoutSubscriptions', () => {
    const group = groupOf({ A: { topics: [topic1] }, B: { topics: [] } });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 3 })))).toEqual({
      A: { [topic1]: [0, 1, 2] },
      B: {},
    });
  });
});
