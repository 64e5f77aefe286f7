import { describe, expect, it } from 'vitest';
import {
  ConsistentCommittedDataChecker,
  MajorityReachedHighWatermarkChecker,
  MonotonicEpochChecker,
  MonotonicHighWatermarkChecker,
  RaftInvariants,
  SingleLeaderChecker,
  SnapshotAtLogStartChecker,
  type RaftNodeView,
} from './raft-checkers.js';

/** A node view for planted histories: a running voter following with an empty log unless told otherwise. */
function view(id: number, overrides: Partial<Omit<RaftNodeView, 'entryAt'>> & { entries?: readonly string[] } = {}): RaftNodeView {
  const { entries = [], ...rest } = overrides;
  const state = rest.state ?? { name: 'Follower', epoch: rest.persisted?.epoch ?? 1, highWatermark: undefined };
  return {
    id,
    voter: true,
    running: true,
    incarnation: 1,
    persisted: { epoch: state.epoch },
    durableLogEndOffset: entries.length,
    logVersion: 1,
    ...rest,
    state,
    entryAt: (offset) => entries[offset],
  };
}

const leader = (id: number, epoch: number, highWatermark: number | undefined, entries: readonly string[] = []) =>
  view(id, { persisted: { epoch, leaderId: id }, state: { name: 'Leader', epoch, highWatermark }, entries });

describe('Raft simulation checkers catch planted violations', () => {
  it('SnapshotAtLogStart: a log starting past 0 without its oldest snapshot ending there', () => {
    const checker = new SnapshotAtLogStartChecker();
    expect(checker.check([view(0), view(1, { logStartOffset: 10, earliestSnapshotEndOffset: 10 }), view(2, { earliestSnapshotEndOffset: 4 })])).toEqual([]);
    expect(checker.check([view(1, { logStartOffset: 10, earliestSnapshotEndOffset: 8 })])).toEqual([{ invariant: 'SnapshotAtLogStart', detail: expect.stringContaining('starts at 10 but its oldest snapshot ends at 8') }]);
    expect(checker.check([view(1, { logStartOffset: 10 })])).toEqual([{ invariant: 'SnapshotAtLogStart', detail: expect.stringContaining('ends at none') }]);
  });

  it('SingleLeader: two nodes persisting different leaders for one epoch', () => {
    const checker = new SingleLeaderChecker();
    expect(checker.check([leader(0, 3, 1), view(1, { persisted: { epoch: 3, leaderId: 0 } })])).toEqual([]);
    // Later, node 2 claims epoch 3 too (its persisted quorum-state names itself).
    expect(checker.check([view(2, { persisted: { epoch: 3, leaderId: 2 } })])).toEqual([{ invariant: 'SingleLeader', detail: expect.stringContaining('epoch 3 has leaders 0 and 2') }]);
  });

  it('SingleLeader: two Leaders in memory in one epoch', () => {
    const checker = new SingleLeaderChecker();
    const bad = [leader(0, 5, 1), view(1, { persisted: { epoch: 5 }, state: { name: 'Leader', epoch: 5, highWatermark: undefined } })];
    expect(checker.check(bad)).toHaveLength(1);
  });

  it('MonotonicHighWatermark: a new leader whose high watermark is below the old one', () => {
    const checker = new MonotonicHighWatermarkChecker();
    expect(checker.check([leader(0, 1, 10)])).toEqual([]);
    expect(checker.check([leader(0, 1, 10), leader(1, 2, 7)])).toEqual([{ invariant: 'MonotonicHighWatermark', detail: expect.stringContaining('below 10') }]);
  });

  it('MonotonicHighWatermark: a follower whose high watermark goes back in one process, but not across a restart', () => {
    const checker = new MonotonicHighWatermarkChecker();
    const follower = (highWatermark: number, incarnation: number) => view(1, { incarnation, state: { name: 'Follower', epoch: 1, highWatermark } });
    expect(checker.check([follower(5, 1)])).toEqual([]);
    expect(checker.check([follower(4, 1)])).toEqual([{ invariant: 'MonotonicHighWatermark', detail: "node 1's high watermark went from 5 to 4" }]);
    expect(checker.check([follower(2, 2)])).toEqual([]);
  });

  it('MonotonicEpoch: a persisted epoch going back, and an in-memory epoch that differs from the persisted one', () => {
    const checker = new MonotonicEpochChecker();
    expect(checker.check([view(0, { persisted: { epoch: 4 }, state: { name: 'Unattached', epoch: 4, highWatermark: undefined } })])).toEqual([]);
    expect(checker.check([view(0, { running: false, persisted: { epoch: 3 }, state: undefined })])).toEqual([{ invariant: 'MonotonicEpoch', detail: "node 0's persisted epoch went from 4 to 3" }]);
    expect(checker.check([view(0, { persisted: { epoch: 4 }, state: { name: 'Candidate', epoch: 5, highWatermark: undefined } })])).toEqual([
      { invariant: 'MonotonicEpoch', detail: 'node 0 runs in epoch 5 but persisted epoch 4' },
    ]);
  });

  it('MajorityReachedHighWatermark: a leader counting an offset that only a minority holds durably', () => {
    const checker = new MajorityReachedHighWatermarkChecker();
    const entries = ['1:control', '1:a', '1:b'];
    expect(checker.check([leader(0, 1, 3, entries), view(1, { entries }), view(2, { entries: entries.slice(0, 1) })])).toEqual([]);
    // The leader's own entries were not flushed: only node 1 holds offset 2 on disk.
    const unflushedLeader = { ...leader(0, 1, 3, entries), durableLogEndOffset: 1 };
    expect(checker.check([unflushedLeader, view(1, { entries }), view(2, { entries: entries.slice(0, 1) })])).toEqual([
      { invariant: 'MajorityReachedHighWatermark', detail: expect.stringContaining('only voters [1]') },
    ]);
  });

  it('ConsistentCommittedData: two nodes committing different entries at one offset', () => {
    const checker = new ConsistentCommittedDataChecker();
    expect(checker.check([leader(0, 1, 2, ['1:control', '1:a'])])).toEqual([]);
    expect(checker.check([view(1, { state: { name: 'Follower', epoch: 1, highWatermark: 2 }, entries: ['1:control', '1:z'] })])).toEqual([
      { invariant: 'ConsistentCommittedData', detail: 'node 1 holds "1:z" at committed offset 1, where "1:a" was committed' },
    ]);
  });

  it('ConsistentCommittedData: a committed entry rewritten later on the same node (over time), and one truncated away', () => {
    const checker = new ConsistentCommittedDataChecker();
    expect(checker.check([leader(0, 1, 2, ['1:control', '1:a'])])).toEqual([]);
    // The node's log was cut and rewritten below its high watermark: logVersion moves, so the prefix is checked again.
    expect(checker.check([{ ...leader(0, 2, 2, ['1:control', '2:b']), logVersion: 2 }])).toEqual([
      { invariant: 'ConsistentCommittedData', detail: 'node 0 holds "2:b" at committed offset 1, where "1:a" was committed' },
    ]);
    expect(checker.check([{ ...view(1, { state: { name: 'Follower', epoch: 2, highWatermark: 2 }, entries: ['1:control'] }) }])).toEqual([
      { invariant: 'ConsistentCommittedData', detail: 'node 1 has high watermark 2 but no entry at offset 1' },
    ]);
  });

  it('ConsistentCommittedData.validateAll checks every prefix again from offset 0 at the end', () => {
    const checker = new ConsistentCommittedDataChecker();
    const entries = ['1:control', '1:a'];
    let node0 = leader(0, 1, 2, entries);
    expect(checker.check([node0])).toEqual([]);
    // The same log version but different content (a harness that forgot to bump it): only the final validation sees it.
    node0 = leader(0, 1, 2, ['1:control', '1:x']);
    expect(checker.check([node0])).toEqual([]);
    expect(checker.validateAll([node0])).toHaveLength(1);
  });

  it('RaftInvariants runs every checker', () => {
    const invariants = new RaftInvariants();
    const violations = invariants.check([leader(0, 1, 2, ['1:control']), view(1, { persisted: { epoch: 1, leaderId: 1 } }), view(2)]);
    expect(violations.map((violation) => violation.invariant).sort()).toEqual(['ConsistentCommittedData', 'MajorityReachedHighWatermark', 'SingleLeader']);
  });
});
