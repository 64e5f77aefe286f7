import { describe, expect, it } from 'vitest';
import { missingPartitionsOption, parseReplicaAssignment } from './replica-assignment.js';

describe('parseReplicaAssignment (kafka-topics.sh --replica-assignment)', () => {
  it('reads partitions by commas and each partition\'s brokers by colons, the preferred leader first', () => {
    expect(parseReplicaAssignment('0:1:2,1:2:0')).toEqual([
      [0, 1, 2],
      [1, 2, 0],
    ]);
    expect(parseReplicaAssignment(' 2 , 0 ')).toEqual([[2], [0]]);
  });

  it.each([
    ['0:x', /partition 0 is "0:x"/],
    ['0:1,,2', /partition 1 is ""/],
    ['0:-1', /partition 0 is "0:-1"/],
    ['1:1', /partition 0 names a broker more than once/],
  ])('refuses %s with one line naming the partition', (text, message) => {
    expect(() => parseReplicaAssignment(text)).toThrow(message);
  });

  it('needs --partitions or --replica-assignment, in the words commander uses for a missing required option', () => {
    expect(missingPartitionsOption({ replicaAssignment: '0' })).toBeUndefined();
    expect(missingPartitionsOption({ partitions: 3 })).toBeUndefined();
    expect(missingPartitionsOption({})).toMatch(/required option '--partitions <P>' not specified/);
  });
});
