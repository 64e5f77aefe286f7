import { decodeResponseFrame, encodeAssignment, encodeResponseFrame, wireLimits, type RequestBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { emptyGroupData, type ClassicGroupData, type ClassicGroupMember } from './classic-group.js';
import { emptyRebalanceLog, MAX_GENERATIONS_PER_REBALANCE, noteGeneration, noteJoin, openRebalance, settle } from './rebalance-log.js';
import { rebalanceCause } from './rebalance-tracking.js';

const member = (memberId: string, groupInstanceId: string | null, partitions: number[]): ClassicGroupMember => ({
  memberId,
  groupInstanceId,
  clientId: memberId,
  clientHost: '/h',
  rebalanceTimeoutMs: 30_000,
  sessionTimeoutMs: 10_000,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: new Uint8Array(0) }],
  assignment: encodeAssignment({ assignedPartitions: [{ topic: 't', partitions }] }),
  isNew: false,
  awaitingJoin: null,
  awaitingSync: null,
});

const group: ClassicGroupData = {
  ...emptyGroupData('g', 0),
  generationId: 4,
  protocolType: 'consumer',
  protocolName: 'range',
  leaderId: 'a',
  members: { a: member('a', null, [0]), s: member('s', 'i-s', [1]) },
};

const join = (memberId: string, groupInstanceId: string | null, reason: string | null = null): { type: 'request.joinGroup'; body: RequestBody<'joinGroup'> } => ({
  type: 'request.joinGroup',
  body: { groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, memberId, groupInstanceId, protocolType: 'consumer', protocols: [{ name: 'range', metadata: new Uint8Array(0) }], reason, clientId: 'c' },
});

describe('rebalanceCause', () => {
  it('names the trigger from the event and the group before it', () => {
    expect(rebalanceCause(group, join('', null))?.trigger).toBe('join');
    expect(rebalanceCause(group, join('', 'i-new'))?.trigger).toBe('join');
    expect(rebalanceCause(group, join('', 'i-s'))?.trigger).toBe('static-member-replaced');
    expect(rebalanceCause(group, join('a', null, 'the coordinator answered REBALANCE_IN_PROGRESS'))).toEqual({ trigger: 'rejoin', reason: 'the coordinator answered REBALANCE_IN_PROGRESS' });
    expect(rebalanceCause(group, { type: 'request.leaveGroup', body: { groupId: 'g', members: [{ memberId: '', groupInstanceId: 'i-s', reason: 'member was removed by an admin.' }] } })?.trigger).toBe('member-removed');
    expect(rebalanceCause(group, { type: 'timer.sessionExpired', memberId: 'a' })?.trigger).toBe('session-timeout');
    expect(rebalanceCause(group, { type: 'timer.pendingSyncExpired' })?.trigger).toBe('sync-timeout');
    expect(rebalanceCause(group, { type: 'group.unload' })).toBeNull();
  });
});

describe('rebalance log', () => {
  it('snapshots what every member owns when it opens, and continues an open record instead of opening another', () => {
    const opened = openRebalance(emptyRebalanceLog(), group, 'join', null, 1_000);
    expect(opened.open?.members['member:a']?.owned).toEqual([{ topic: 't', partition: 0 }]);
    expect(opened.open?.members['instance:i-s']?.owned).toEqual([{ topic: 't', partition: 1 }]);
    expect(openRebalance(opened, group, 'leave', null, 2_000)).toBe(opened);
  });

  it(`keeps the last ${MAX_GENERATIONS_PER_REBALANCE} generations of a rebalance restarted past that`, () => {
    let log = openRebalance(emptyRebalanceLog(), group, 'join', null, 0);
    for (let generation = 1; generation <= MAX_GENERATIONS_PER_REBALANCE + 3; generation += 1) log = noteGeneration(log, { ...group, generationId: generation });
    expect(log.open?.generations).toHaveLength(MAX_GENERATIONS_PER_REBALANCE);
    expect(log.open?.generations[0]).toBe(4);
  });

  it('does not close while members still wait for their SyncGroup answer', () => {
    const opened = openRebalance(emptyRebalanceLog(), group, 'join', null, 0);
    expect(settle(opened, { ...group, pendingSyncMemberIds: ['a'] }, 'Stable', 10).open).not.toBeNull();
    const closed = settle(opened, group, 'Stable', 10);
    expect(closed.open).toBeNull();
    expect(closed.records[0]).toMatchObject({ sequence: 1, durationMs: 10, fromGeneration: 4, toGeneration: 4, generations: [4] });
  });
});

describe('rebalance log bounds', () => {
  it(`a rebalance that never settles while members come and go keeps at most ${wireLimits.maxGroupMembers}, those still in the group among them, and its record decodes`, () => {
    const opened = openRebalance(emptyRebalanceLog(), group, 'join', null, 0);
    // Thousands of members have joined and left again during this rebalance; a and s stay throughout.
    const departed = Object.fromEntries(
      Array.from({ length: wireLimits.maxGroupMembers - 2 }, (_, index) => [
        `member:gone-${index}`,
        { memberId: `gone-${index}`, groupInstanceId: null, clientId: 'c', owned: null, declaredOwned: null, joinMs: index, receipts: [] },
      ]),
    );
    let log = { ...opened, open: { ...opened.open!, members: { ...opened.open!.members, ...departed } } };
    expect(Object.keys(log.open.members)).toHaveLength(wireLimits.maxGroupMembers);
    const newcomer = { ...group, members: { ...group.members, next: member('next', null, []) } };
    log = noteJoin(log, newcomer, join('next', null).body, 1) as typeof log;
    expect(Object.keys(log.open.members).sort()).toEqual(['instance:i-s', 'member:a', 'member:next']);
    const settled = settle(log, group, 'Empty', 1_000);
    const answer = encodeResponseFrame('describeRebalances', 0, 1, { throttleTimeMs: 0, errorCode: 0, records: settled.records });
    expect(decodeResponseFrame(answer, { maxFrameBytes: 100 * 1024 * 1024 }).ok).toBe(true);
  });
});
