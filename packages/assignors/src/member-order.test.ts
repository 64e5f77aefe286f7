import { describe, expect, it } from 'vitest';
import { compareMembers } from './member-order.js';
import type { GroupMember } from './types.js';

const ids = (members: GroupMember[]) => [...members].sort(compareMembers).map((member) => member.memberId);

describe("members in Kafka's MemberInfo order", () => {
  it('puts static members first, by instance id, then dynamic members by member id', () => {
    expect(
      ids([
        { memberId: 'a', topics: [] },
        { memberId: 'z', groupInstanceId: 'i2', topics: [] },
        { memberId: 'y', groupInstanceId: 'i1', topics: [] },
        { memberId: 'B', groupInstanceId: null, topics: [] },
      ]),
    ).toEqual(['y', 'z', 'B', 'a']);
  });

  it('compares by UTF-16 code units as Java does, so a character outside the BMP sorts before U+FFFD', () => {
    // '\u{1F600}' is the surrogate pair D83D DE00, which Java (and this order) places before U+FFFD;
    // by code point it would come after.
    expect(ids([{ memberId: '\uFFFD', topics: [] }, { memberId: '\u{1F600}', topics: [] }])).toEqual(['\u{1F600}', '\uFFFD']);
  });

  it('breaks a tie between equal instance ids by member id, whatever the input order', () => {
    const one = { memberId: 'm2', groupInstanceId: 'same', topics: [] };
    const two = { memberId: 'm1', groupInstanceId: 'same', topics: [] };
    expect(ids([one, two])).toEqual(['m1', 'm2']);
    expect(ids([two, one])).toEqual(['m1', 'm2']);
  });
});
