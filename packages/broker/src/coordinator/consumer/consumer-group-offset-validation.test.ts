import { describe, expect, it } from 'vitest';
import { emptyConsumerGroup } from './consumer-group-data.js';
import { fooTopicId, groupId, groupOf, stableMember } from './consumer-group-core-test-support.js';
import { validateOffsetCommit, validateOffsetFetch } from './consumer-group-offset-validation.js';

describe('validateOffsetCommit (Kafka ConsumerGroupTest.testValidateOffsetCommit)', () => {
  const group = groupOf(10, [stableMember('m1', 10, { [fooTopicId]: [0] })]);

  it('an admin commit (epoch -1) is accepted only by a group without members', () => {
    expect(validateOffsetCommit(emptyConsumerGroup(groupId), '', -1)).toBeUndefined();
    expect(validateOffsetCommit(group, '', -1)).toBe('UNKNOWN_MEMBER_ID');
  });

  it('an unknown member is UNKNOWN_MEMBER_ID; a member at another epoch STALE_MEMBER_EPOCH; at its epoch accepted', () => {
    expect(validateOffsetCommit(group, 'm9', 10)).toBe('UNKNOWN_MEMBER_ID');
    expect(validateOffsetCommit(group, 'm1', 9)).toBe('STALE_MEMBER_EPOCH');
    expect(validateOffsetCommit(group, 'm1', 11)).toBe('STALE_MEMBER_EPOCH');
    expect(validateOffsetCommit(group, 'm1', 10, 'instance')).toBeUndefined();
  });
});

describe('validateOffsetFetch (Kafka ConsumerGroupTest.testValidateOffsetFetch)', () => {
  const group = groupOf(10, [stableMember('m1', 10, {})]);

  it('answers a fetch without member; checks a member’s epoch', () => {
    expect(validateOffsetFetch(group, null, -1)).toBeUndefined();
    expect(validateOffsetFetch(group, 'm9', 10)).toBe('UNKNOWN_MEMBER_ID');
    expect(validateOffsetFetch(group, 'm1', 9)).toBe('STALE_MEMBER_EPOCH');
    expect(validateOffsetFetch(group, 'm1', 10)).toBeUndefined();
  });
});
