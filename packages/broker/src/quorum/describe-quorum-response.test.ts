import { errorByName, wireLimits } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import type { QuorumState } from '../raft/quorum-state.js';
import { electedLeader, started } from '../raft/test-support.js';
import { describeQuorumResponse } from './describe-quorum-response.js';

const voters = [0, 1, 2].map((id) => ({ id, url: `memory://node-${id}:9100` }));
const NOW_MS = 1_000;

/** A leader of epoch 1 (local id 0) that has heard from `observerCount` observers just now. */
function leaderWithObservers(observerCount: number): QuorumState {
  const quorum = electedLeader([0, 1, 2], 0, 0);
  if (quorum.state.name !== 'Leader') throw new Error('expected a leader');
  const observerStates = Array.from({ length: observerCount }, (_, index) => ({ key: { id: 100 + index }, endOffset: 1, lastFetchTimeMs: NOW_MS }));
  return { ...quorum, state: { ...quorum.state, leader: { ...quorum.state.leader, observerStates } } };
}

describe('describeQuorumResponse', () => {
  it('lists at most wireLimits.maxBrokers observers, so the answer stays within the wire bound', () => {
    const observers = (count: number) => describeQuorumResponse(leaderWithObservers(count), NOW_MS, voters).topics[0]!.partitions[0]!.observers;
    expect(observers(wireLimits.maxBrokers)).toHaveLength(wireLimits.maxBrokers);
    expect(observers(wireLimits.maxBrokers + 1)).toHaveLength(wireLimits.maxBrokers);
  });

  it('a replica that does not lead answers NOT_LEADER_OR_FOLLOWER with the leader and epoch it knows', () => {
    const follower = started([0, 1, 2], { epoch: 4, leaderId: 2 });
    expect(describeQuorumResponse(follower, NOW_MS, voters).topics[0]!.partitions[0]).toMatchObject({
      errorCode: errorByName('NOT_LEADER_OR_FOLLOWER').code,
      leaderId: 2,
      leaderEpoch: 4,
      highWatermark: -1,
    });
  });
});
