/**
 * The behaviour every `QuorumStateStore` must show, as one vitest suite that each implementation's test file
 * registers with its own factory (as `log-compliance.ts` does for logs). Test support only: not exported from the
 * package.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidQuorumStateError, QUORUM_STATE_NO_ID, ZERO_DIRECTORY_ID, type QuorumStateData } from './quorum-state.js';
import type { QuorumStateStore } from './quorum-state-store.js';

export interface QuorumStateStoreFactory {
  /** A new store over an empty "disk". */
  create(): QuorumStateStore;
  /** The same "disk" seen by a restarted replica. */
  reopen(store: QuorumStateStore): QuorumStateStore;
  /** Releases what `create` made (temporary directories). */
  cleanup(): void;
}

/** The states of QuorumStateTest's transitions: a vote, a known leader, and (KIP-996) a follower that keeps its vote. */
export const votedState: QuorumStateData = { leaderId: QUORUM_STATE_NO_ID, leaderEpoch: 2, votedId: 1, votedDirectoryId: 'J8aAPcfLQt2bqs1JT_rMgQ' };
export const leaderState: QuorumStateData = { leaderId: 3, leaderEpoch: 5, votedId: QUORUM_STATE_NO_ID, votedDirectoryId: ZERO_DIRECTORY_ID };
export const followerKeepingVote: QuorumStateData = { leaderId: 1, leaderEpoch: 2, votedId: 1, votedDirectoryId: ZERO_DIRECTORY_ID };

export function describeQuorumStateStoreCompliance(name: string, factory: QuorumStateStoreFactory): void {
  describe(`${name} (QuorumStateStore compliance)`, () => {
    afterEach(() => factory.cleanup());

    it('reads nothing before the first write (a new replica)', () => {
      expect(factory.create().read()).toBeNull();
    });

    // FileQuorumStateStoreTest's cases, with its values (epoch 2, voter 1).
    it.each([
      ['testWriteReadElectedLeader', { leaderId: 1, leaderEpoch: 2, votedId: QUORUM_STATE_NO_ID, votedDirectoryId: ZERO_DIRECTORY_ID }],
      ['testWriteReadVotedCandidate', { leaderId: QUORUM_STATE_NO_ID, leaderEpoch: 2, votedId: 1, votedDirectoryId: 'J8aAPcfLQt2bqs1JT_rMgQ' }],
      ['testWriteReadUnknownLeader', { leaderId: QUORUM_STATE_NO_ID, leaderEpoch: 2, votedId: QUORUM_STATE_NO_ID, votedDirectoryId: ZERO_DIRECTORY_ID }],
    ])('%s: reads back what was written, and so does a reloaded store (testReload)', (_case, state) => {
      const store = factory.create();
      store.write(state);
      expect(store.read()).toEqual(state);
      expect(factory.reopen(store).read()).toEqual(state);
    });

    it('reads back what was written, after a restart too, and the latest write wins', () => {
      const store = factory.create();
      store.write(votedState);
      expect(store.read()).toEqual(votedState);
      store.write(followerKeepingVote);
      store.write(leaderState);
      expect(store.read()).toEqual(leaderState);
      expect(factory.reopen(store).read()).toEqual(leaderState);
    });

    it('keeps a leader and a vote of the same epoch together (a KIP-996 follower keeps its vote)', () => {
      const store = factory.create();
      store.write(followerKeepingVote);
      expect(factory.reopen(store).read()).toEqual(followerKeepingVote);
    });

    it('hands out copies: changing what read returned changes nothing stored', () => {
      const store = factory.create();
      store.write(votedState);
      const read = store.read() as { leaderEpoch: number };
      read.leaderEpoch = 99;
      expect(store.read()).toEqual(votedState);
    });

    it.each([
      ['a negative epoch', { ...leaderState, leaderEpoch: -1 }, /leaderEpoch -1/],
      ['an epoch past int32', { ...leaderState, leaderEpoch: 2 ** 31 }, /leaderEpoch 2147483648/],
      ['a leader id below -1', { ...leaderState, leaderId: -2 }, /leaderId -2/],
      ['a fractional voted id', { ...leaderState, votedId: 1.5 }, /votedId 1.5/],
      ['a malformed directory id', { ...votedState, votedDirectoryId: 'not-a-uuid' }, /votedDirectoryId "not-a-uuid"/],
    ])('refuses to store %s (InvalidQuorumStateError) and keeps the old state', (_case, state, message) => {
      const store = factory.create();
      store.write(votedState);
      expect(() => store.write(state)).toThrow(InvalidQuorumStateError);
      expect(() => store.write(state)).toThrow(message);
      expect(factory.reopen(store).read()).toEqual(votedState);
    });

    it('forgets the state on clear (testCreateAndClear)', () => {
      const store = factory.create();
      store.write(leaderState);
      store.clear();
      expect(store.read()).toBeNull();
      expect(factory.reopen(store).read()).toBeNull();
      store.clear();
    });
  });
}
