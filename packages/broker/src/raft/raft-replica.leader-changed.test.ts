/**
 * `raft.leader-changed` (contract C1): the host hears who leads at start and whenever (epoch, leaderId) changes, and
 * when this replica starts or stops leading; `epochStartOffset` only while it leads (Kafka's LeaderAndEpoch handed
 * to RaftClient.Listener.handleLeaderChange).
 */
import { describe, expect, it } from 'vitest';
import { CLUSTER_ID, ELECTION_TIMEOUT_MS, grant, startReplica } from './raft-replica.test-support.js';

const change = (leaderId: number | undefined, epoch: number, epochStartOffset?: number) => ({
  type: 'raft.leader-changed',
  leaderId,
  epoch,
  isLocal: epochStartOffset !== undefined,
  epochStartOffset,
});

function beginQuorumEpoch(leaderId: number, leaderEpoch: number) {
  return { type: 'raft.begin-quorum-epoch.request' as const, from: leaderId, request: { clusterId: CLUSTER_ID, leaderId, leaderEpoch, leaderEndpoints: [`127.0.0.1:${9990 + leaderId}`] } };
}

describe('raft replica statechart: raft.leader-changed', () => {
  it('Starting -> Follower: the stored leader is announced at start', () => {
    const replica = startReplica([0, 1, 2], { stored: { epoch: 3, leaderId: 1 } });
    expect(replica.leaderChanges).toEqual([change(1, 3)]);
  });

  it('Unattached -> Prospective -> Candidate -> Leader: one announcement per new epoch, then isLocal with the epoch start offset', () => {
    const replica = startReplica([0, 1, 2], { stored: { epoch: 1 }, entries: [{ epoch: 1, payload: 'a' }, { epoch: 1, payload: 'b' }] });
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    // Prospective keeps the epoch and knows no leader: nothing new to tell.
    expect(replica.leaderChanges).toEqual([change(undefined, 1)]);
    grant(replica, 1);
    expect(replica.leaderChanges).toEqual([change(undefined, 1), change(undefined, 2)]);
    grant(replica, 2);
    // The LeaderChangeMessage goes at the log end offset, 2.
    expect(replica.leaderChanges).toEqual([change(undefined, 1), change(undefined, 2), change(0, 2, 2)]);
  });

  it('Leader -> Resigned on raft.resign: no leader any more in the same epoch, and not local', () => {
    const replica = startReplica([0, 1, 2]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    grant(replica, 1);
    grant(replica, 2);
    replica.actor.send({ type: 'raft.resign' });
    expect(replica.leaderChanges.slice(-2)).toEqual([change(0, 1, 0), change(undefined, 1)]);
  });

  it('Unattached -> Follower on BeginQuorumEpoch: the new leader is announced once, not again for a repeat', () => {
    const replica = startReplica([0, 1, 2]);
    replica.actor.send(beginQuorumEpoch(1, 3));
    replica.actor.send(beginQuorumEpoch(1, 3));
    expect(replica.leaderChanges).toEqual([change(undefined, 0), change(1, 3)]);
    replica.actor.send(beginQuorumEpoch(2, 4));
    expect(replica.leaderChanges.at(-1)).toEqual(change(2, 4));
  });

  it('Unattached -> Follower on a Fetch answer naming the leader: the announcement comes before the high watermark', () => {
    // An observer (5) in epoch 2 that hears from the leader of epoch 2 follows it and takes the records at once.
    const replica = startReplica([0, 1, 2], { localId: 5, stored: { epoch: 2 } });
    const emitted: string[] = [];
    replica.actor.on('*', (message) => emitted.push(message.type));
    replica.actor.send({ type: 'raft.fetch.response', from: 1, response: { errorCode: 'NONE', leaderId: 1, leaderEpoch: 2, highWatermark: 1, records: [{ epoch: 2, payload: 'leader-change 1' }] } });
    expect(replica.leaderChanges.at(-1)).toEqual(change(1, 2));
    expect(emitted.filter((type) => type === 'raft.leader-changed' || type === 'raft.high-watermark')).toEqual(['raft.leader-changed', 'raft.high-watermark']);
  });
});
