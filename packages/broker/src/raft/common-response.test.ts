import { describe, expect, it } from 'vitest';
import { maybeHandleCommonResponse } from './common-response.js';
import { transitionToResigned } from './quorum-transitions.js';
import { electedLeader, step } from './test-support.js';

// Found by the Raft event simulation (canElectNewLeaderAfterOldLeaderFailure, seed 44): voter 2 sent a Fetch to
// leader 1 of epoch 1, then won epoch 2 with 1's vote; 1 answered the late Fetch as a follower of epoch 2 naming 2 as
// its leader, and 2 (Leader of epoch 2) tried to follow itself and crashed. Kafka's maybeTransition ignores it.
describe('maybeHandleCommonResponse: an answer naming this replica as the leader of its own epoch', () => {
  it('leaves a Leader leading (a late NOT_LEADER_OR_FOLLOWER answer to a Fetch it sent as a follower)', () => {
    const leader = electedLeader([0, 1, 2], 1, 5); // leads epoch 2
    const outcome = maybeHandleCommonResponse(leader, { errorCode: 'NOT_LEADER_OR_FOLLOWER', leaderId: 0, epoch: 2 }, step(0));
    expect(outcome).toEqual({ kind: 'handled', quorum: leader });
  });

  it('leaves a Leader leading on a successful answer naming it', () => {
    const leader = electedLeader([0, 1, 2], 1, 5);
    expect(maybeHandleCommonResponse(leader, { errorCode: 'NONE', leaderId: 0, epoch: 2 }, step(0))).toEqual({ kind: 'continue', quorum: leader });
  });

  it('leaves a Resigned replica resigned when an answer still names it the leader of the epoch it resigned', () => {
    const resigned = transitionToResigned(electedLeader([0, 1, 2], 1, 5), [1, 2], step(0)).quorum;
    const outcome = maybeHandleCommonResponse(resigned, { errorCode: 'NOT_LEADER_OR_FOLLOWER', leaderId: 0, epoch: 2 }, step(0));
    expect(outcome.quorum.state.name).toBe('Resigned');
    expect(outcome.quorum.state.epoch).toBe(2);
  });
});
