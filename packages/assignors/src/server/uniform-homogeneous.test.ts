/**
 * Kafka's UniformHomogeneousAssignmentBuilderTest (group-coordinator, org.apache.kafka.coordinator.group.assignor),
 * with its topic ids, members (in TreeMap order, as the test's GroupSpec lists them) and exact expected outputs.
 */
import { describe, expect, it } from 'vitest';
import { PartitionAssignorError } from './server-assignor-errors.js';
import { describerOf, groupOf, plainAssignment } from './server-test-helpers.js';
import { uniformAssignor } from './uniform-assignor.js';

const topic1 = 'T1-A4s3VTwiI5CTbEp6POw';
const topic2 = 'T2-B4s3VTwiI5YHbPp6YUe';
const topic3 = 'T3-CU8fVTLCz5YMkLoDQsa';

describe('uniform assignor, homogeneous subscriptions (Kafka UniformHomogeneousAssignmentBuilderTest)', () => {
  it('testOneMemberNoTopicSubscription: no partitions for anyone', () => {
    const result = uniformAssignor.assign(groupOf({ A: { topics: [] } }), describerOf({ [topic1]: 3 }));
    expect(plainAssignment(result)).toEqual({ A: {} });
  });

  it('testOneMemberSubscribedToNonexistentTopic: throws PartitionAssignorError', () => {
    expect(() => uniformAssignor.assign(groupOf({ A: { topics: [topic2] } }), describerOf({ [topic1]: 3 }))).toThrow(PartitionAssignorError);
  });

  it('testFirstAssignmentTwoMembersTwoTopicsNoMemberRacks', () => {
    const group = groupOf({ A: { topics: [topic1, topic3] }, B: { topics: [topic1, topic3] } });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 3, [topic3]: 2 })))).toEqual({
      A: { [topic3]: [0, 1] },
      B: { [topic1]: [0, 1, 2] },
    });
  });

  it('testFirstAssignmentNumMembersGreaterThanTotalNumPartitions', () => {
    const group = groupOf({ A: { topics: [topic3] }, B: { topics: [topic3] }, C: { topics: [topic3] } });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic3]: 2 })))).toEqual({
      A: {},
      B: { [topic3]: [0] },
      C: { [topic3]: [1] },
    });
  });

  it('testReassignmentForTwoMembersTwoTopicsGivenUnbalancedPrevAssignment', () => {
    const group = groupOf({
      A: { topics: [topic1, topic2], assigned: { [topic1]: [0, 1], [topic2]: [0, 1] } },
      B: { topics: [topic1, topic2], assigned: { [topic1]: [2], [topic2]: [2] } },
    });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 3, [topic2]: 3 })))).toEqual({
      A: { [topic1]: [0, 1], [topic2]: [0] },
      B: { [topic1]: [2], [topic2]: [1, 2] },
    });
  });

  it('testReassignmentWhenPartitionsAreAddedForTwoMembersTwoTopics', () => {
    const group = groupOf({
      A: { topics: [topic1, topic2], assigned: { [topic1]: [0, 2], [topic2]: [0] } },
      B: { topics: [topic1, topic2], assigned: { [topic1]: [1], [topic2]: [1, 2] } },
    });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 6, [topic2]: 5 })))).toEqual({
      A: { [topic1]: [0, 2], [topic2]: [0, 3, 4] },
      B: { [topic1]: [1, 3, 4, 5], [topic2]: [1, 2] },
    });
  });

  it('testReassignmentWhenOneMemberAddedAfterInitialAssignmentWithTwoMembersTwoTopics', () => {
    const group = groupOf({
      A: { topics: [topic1, topic2], assigned: { [topic1]: [0, 2], [topic2]: [0] } },
      B: { topics: [topic1, topic2], assigned: { [topic1]: [1], [topic2]: [1, 2] } },
      C: { topics: [topic1, topic2] },
    });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 3, [topic2]: 3 })))).toEqual({
      A: { [topic1]: [0, 2] },
      B: { [topic1]: [1], [topic2]: [1] },
      C: { [topic2]: [0, 2] },
    });
  });

  it('testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithThreeMembersTwoTopics', () => {
    const group = groupOf({
      A: { topics: [topic1, topic2], assigned: { [topic1]: [0], [topic2]: [0] } },
      B: { topics: [topic1, topic2], assigned: { [topic1]: [1], [topic2]: [1] } },
    });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 3, [topic2]: 3 })))).toEqual({
      A: { [topic1]: [0], [topic2]: [0, 2] },
      B: { [topic1]: [1, 2], [topic2]: [1] },
    });
  });

  it('testReassignmentWhenOneSubscriptionRemovedAfterInitialAssignmentWithTwoMembersTwoTopics', () => {
    const group = groupOf({
      A: { topics: [topic2], assigned: { [topic1]: [0], [topic2]: [0] } },
      B: { topics: [topic2], assigned: { [topic1]: [1], [topic2]: [1] } },
    });
    expect(plainAssignment(uniformAssignor.assign(group, describerOf({ [topic1]: 2, [topic2]: 2 })))).toEqual({
      A: { [topic2]: [0] },
      B: { [topic2]: [1] },
    });
  });

  it('testValidityAndBalanceForLargeSampleSet: 100 topics of 3 partitions over 49 members', () => {
    const topicIds = Array.from({ length: 100 }, (_, index) => Buffer.from(`kactor-topic-${String(index).padStart(3, '0')}`).toString('base64url'));
    const members = Object.fromEntries(Array.from({ length: 49 }, (_, index) => [`member${index + 1}`, { topics: topicIds }]));
    const result = plainAssignment(uniformAssignor.assign(groupOf(members), describerOf(Object.fromEntries(topicIds.map((id) => [id, 3])))));
    const owned = Object.values(result).flatMap((topics) => Object.entries(topics).flatMap(([topicId, partitions]) => partitions.map((p) => `${topicId}-${p}`)));
    expect(new Set(owned).size).toBe(300);
    expect(owned.length).toBe(300);
    const counts = Object.values(result).map((topics) => Object.values(topics).reduce((sum, partitions) => sum + partitions.length, 0));
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('keeps an unchanged member assignment as the same object (no copy when nothing moves)', () => {
    const group = groupOf({
      A: { topics: [topic1], assigned: { [topic1]: [0, 1] } },
      B: { topics: [topic1], assigned: { [topic1]: [2] } },
    });
    const result = uniformAssignor.assign(group, describerOf({ [topic1]: 3 }));
    expect(result.members.get('A')).toBe(group.members[0]!.assignedPartitions);
    expect(result.members.get('B')).toBe(group.members[1]!.assignedPartitions);
  });
});
