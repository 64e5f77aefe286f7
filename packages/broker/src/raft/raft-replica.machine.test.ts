import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER_ID,
  ELECTION_TIMEOUT_MS,
  FETCH_TIMEOUT_MS,
  electedLeader,
  fetchRequest,
  grant,
  quorumOf,
  startReplica,
  stateOf,
  topState,
} from './raft-replica.test-support.js';

describe('raft replica statechart', () => {
  it('startup as Unattached with no stored state, persisting epoch 0 first', () => {
    const replica = startReplica([0, 1, 2]);
    expect(stateOf(replica)).toBe('Unattached');
    expect(replica.persisted).toEqual([expect.objectContaining({ epoch: 0 })]);
    // XState runs start-up actions as `start()` returns, before any event or emitted message: nothing can see the
    // replica before its state is durable. The host hears who leads (nobody yet) once it is.
    expect(replica.sent).toEqual([]);
    expect(replica.leaderChanges).toEqual([{ type: 'raft.leader-changed', leaderId: undefined, epoch: 0, isLocal: false, epochStartOffset: undefined }]);
  });

  it('startup as Resigned when the stored leader is itself', () => {
    const replica = startReplica([0, 1, 2], { stored: { epoch: 5, leaderId: 0 } });
    expect(stateOf(replica)).toBe('Resigned');
    expect(quorumOf(replica).state.epoch).toBe(5);
    // It tells the other voters it is no longer leading epoch 5.
    expect(replica.sent.filter((m) => m.type === 'raft.send.end-quorum-epoch').map((m) => m.to)).toEqual([1, 2]);
  });

  it('Resigned -> Unattached on election timeout, in the next epoch, then Prospective at once (the expired timer carries over)', () => {
    const replica = startReplica([0, 1, 2], { stored: { epoch: 5, leaderId: 0 } });
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS - 1);
    expect(stateOf(replica)).toBe('Resigned');
    const seen: string[] = [];
    replica.actor.subscribe((snapshot) => seen.push(topState(snapshot.value)));
    replica.clock.advanceBy(1);
    expect(seen).toEqual(['Unattached', 'Prospective']);
    expect(quorumOf(replica).state.epoch).toBe(6);
    expect(replica.persisted.at(-1)).toEqual({ epoch: 6 });
  });

  it('Unattached -> Prospective on election timeout, drawn in [T, 2T) through the random port', () => {
    const replica = startReplica([0, 1, 2], { jitter: 700 });
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS + 699);
    expect(stateOf(replica)).toBe('Unattached');
    replica.clock.advanceBy(1);
    expect(stateOf(replica)).toBe('Prospective');
    expect(quorumOf(replica).state.epoch).toBe(0);
    const preVotes = replica.sent.filter((m) => m.type === 'raft.send.vote');
    expect(preVotes.map((m) => [m.to, m.request.preVote, m.request.replicaEpoch])).toEqual([
      [1, true, 0],
      [2, true, 0],
    ]);
    // Prospective without a vote is memory only: nothing new persisted.
    expect(replica.persisted).toHaveLength(1);
  });

  it('Prospective -> Candidate on a majority of pre-votes, persisting the self-vote before sending votes', () => {
    const replica = startReplica([0, 1, 2]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    grant(replica, 1);
    expect(stateOf(replica)).toBe('Candidate');
    expect(quorumOf(replica).state.epoch).toBe(1);
    expect(replica.persisted.at(-1)).toEqual(expect.objectContaining({ epoch: 1, votedKey: { id: 0 } }));
    expect(replica.stateAtPersist.at(-1)).toBe('Prospective');
    const votes = replica.sent.filter((m) => m.type === 'raft.send.vote').filter((m) => !m.request.preVote);
    expect(votes.map((m) => [m.to, m.request.replicaEpoch])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it('Candidate -> Leader on a majority of votes: LeaderChangeMessage appended and BeginQuorumEpoch sent', () => {
    const replica = startReplica([0, 1, 2]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    grant(replica, 1);
    grant(replica, 2);
    expect(stateOf(replica)).toBe('Leader');
    expect(replica.persisted.at(-1)).toEqual(expect.objectContaining({ epoch: 1, leaderId: 0 }));
    expect(replica.appended).toEqual([{ epoch: 1, message: expect.objectContaining({ leaderId: 0 }) }]);
    expect(replica.sent.filter((m) => m.type === 'raft.send.begin-quorum-epoch').map((m) => m.to)).toEqual([1, 2]);
  });

  it('Leader resends BeginQuorumEpoch every fetch.timeout / 2 to voters that have not fetched', () => {
    const replica = startReplica([0, 1, 2]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    grant(replica, 1);
    grant(replica, 2);
    const count = () => replica.sent.filter((m) => m.type === 'raft.send.begin-quorum-epoch').length;
    expect(count()).toBe(2);
    replica.clock.advanceBy(FETCH_TIMEOUT_MS / 2 - 1);
    expect(count()).toBe(2);
    replica.clock.advanceBy(1);
    expect(count()).toBe(4);
  });

  it('Leader -> Resigned when check-quorum expires (1.5 x fetch timeout without a majority fetching)', () => {
    const replica = startReplica([0, 1, 2]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    grant(replica, 1);
    grant(replica, 2);
    replica.clock.advanceBy(FETCH_TIMEOUT_MS * 1.5 - 1);
    expect(stateOf(replica)).toBe('Leader');
    replica.clock.advanceBy(1);
    expect(stateOf(replica)).toBe('Resigned');
    expect(quorumOf(replica).state.epoch).toBe(1);
    expect(replica.sent.filter((m) => m.type === 'raft.send.end-quorum-epoch').map((m) => m.to)).toEqual([1, 2]);
  });

  it('Leader -> Resigned on raft.resign (graceful), in the same epoch', () => {
    const replica = startReplica([0, 1, 2]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    grant(replica, 1);
    grant(replica, 2);
    replica.actor.send({ type: 'raft.resign' });
    expect(stateOf(replica)).toBe('Resigned');
    expect(quorumOf(replica).state.epoch).toBe(1);
  });

  it('Candidate -> Prospective after the backoff when a majority rejects', () => {
    const replica = startReplica([0, 1, 2]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    grant(replica, 1);
    for (const from of [1, 2]) replica.actor.send({ type: 'raft.vote.response', response: { from, errorCode: 'NONE', voteGranted: false, leaderEpoch: 1, leaderId: -1 } });
    expect(stateOf(replica)).toBe('Candidate');
    const backoffDeadlineMs = (quorumOf(replica).state as { backoffDeadlineMs?: number }).backoffDeadlineMs;
    expect(backoffDeadlineMs).toBe(ELECTION_TIMEOUT_MS); // jitter 0: random(2) = 0, so no wait at all
    replica.clock.advanceBy(0);
    expect(stateOf(replica)).toBe('Prospective');
    expect(quorumOf(replica).state.epoch).toBe(1);
  });

  it('Unattached -> Leader on election timeout for the only voter (its own pre-vote and vote are a majority)', () => {
    const replica = startReplica([0]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    expect(stateOf(replica)).toBe('Leader');
    expect(quorumOf(replica).state.epoch).toBe(1);
    expect(replica.persisted.at(-1)).toEqual(expect.objectContaining({ epoch: 1, leaderId: 0 }));
    expect(replica.appended).toEqual([{ epoch: 1, message: expect.objectContaining({ leaderId: 0 }) }]);
    // Nothing to send; its own LeaderChangeMessage is committed at once.
    expect(replica.sent).toEqual([{ type: 'raft.high-watermark', highWatermark: 1 }]);
    // Nobody else to hear from: check-quorum never expires for the only voter.
    replica.clock.advanceBy(FETCH_TIMEOUT_MS * 10);
    expect(stateOf(replica)).toBe('Leader');
  });

  it('Prospective -> Unattached when a majority rejects the pre-vote and no leader is known (same epoch)', () => {
    const replica = startReplica([0, 1, 2]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    for (const from of [1, 2]) replica.actor.send({ type: 'raft.vote.response', response: { from, errorCode: 'NONE', voteGranted: false, leaderEpoch: 0, leaderId: -1 } });
    expect(stateOf(replica)).toBe('Unattached');
    expect(quorumOf(replica).state.epoch).toBe(0);
  });

  it('Prospective -> Follower when the pre-vote times out with a known leader', () => {
    const replica = startReplica([0, 1, 2]);
    replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'] } });
    replica.clock.advanceBy(FETCH_TIMEOUT_MS);
    expect(stateOf(replica)).toBe('Prospective');
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    expect(stateOf(replica)).toBe('Follower');
    expect(quorumOf(replica).state).toEqual(expect.objectContaining({ epoch: 3, leaderId: 1 }));
  });

  it('Candidate -> Prospective on election timeout (retries grow)', () => {
    const replica = startReplica([0, 1, 2]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    grant(replica, 1);
    expect(stateOf(replica)).toBe('Candidate');
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS);
    expect(stateOf(replica)).toBe('Prospective');
    expect(quorumOf(replica).state).toEqual(expect.objectContaining({ epoch: 1, retries: 2 }));
  });

  it('Resigned -> Follower on BeginQuorumEpoch of a later epoch', () => {
    const replica = startReplica([0, 1, 2], { stored: { epoch: 5, leaderId: 0 } });
    replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 2, request: { clusterId: CLUSTER_ID, leaderId: 2, leaderEpoch: 6, leaderEndpoints: ['127.0.0.1:9992'] } });
    expect(stateOf(replica)).toBe('Follower');
    expect(replica.persisted.at(-1)).toEqual(expect.objectContaining({ epoch: 6, leaderId: 2 }));
  });

  it('Unattached -> Unattached on a Vote of a higher epoch that it refuses (a stale log): the epoch is persisted first', () => {
    const replica = startReplica([0, 1, 2], { entries: [{ epoch: 1, payload: 'a' }] });
    replica.actor.send({
      type: 'raft.vote.request',
      from: 1,
      request: { clusterId: CLUSTER_ID, topicName: '__cluster_metadata', partitionIndex: 0, candidate: { id: 1 }, replicaEpoch: 4, voterKey: { id: 0 }, lastOffsetEpoch: 0, lastOffset: 0, preVote: false },
    });
    expect(stateOf(replica)).toBe('Unattached');
    expect(replica.persisted.at(-1)).toEqual({ epoch: 4 });
    expect(replica.sent.at(-1)).toEqual({ type: 'raft.send.vote-answer', to: 1, response: { errorCode: 'NONE', voteGranted: false, leaderId: -1, leaderEpoch: 4 } });
  });

  it('Unattached -> Follower on BeginQuorumEpoch, which then fetches from the leader', () => {
    const replica = startReplica([0, 1, 2]);
    replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'], voterKey: { id: 0 } } });
    expect(stateOf(replica)).toBe('Follower');
    expect(replica.persisted.at(-1)).toEqual(expect.objectContaining({ epoch: 3, leaderId: 1 }));
    expect(replica.sent).toContainEqual({ type: 'raft.send.begin-quorum-epoch-answer', to: 1, response: { errorCode: 'NONE', leaderId: 1, leaderEpoch: 3 } });
    expect(replica.sent).toContainEqual(expect.objectContaining({ type: 'raft.send.fetch', to: 1 }));
  });

  it('Follower -> Prospective on fetch timeout', () => {
    const replica = startReplica([0, 1, 2]);
    replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'] } });
    replica.clock.advanceBy(FETCH_TIMEOUT_MS - 1);
    expect(stateOf(replica)).toBe('Follower');
    replica.clock.advanceBy(1);
    expect(stateOf(replica)).toBe('Prospective');
    expect(quorumOf(replica).state.epoch).toBe(3);
  });

  it('Unattached -> Unattached on a granted vote: persisted before the answer, election timer restarted', () => {
    const replica = startReplica([0, 1, 2]);
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS - 1000);
    replica.actor.send({
      type: 'raft.vote.request',
      from: 1,
      request: { clusterId: CLUSTER_ID, topicName: '__cluster_metadata', partitionIndex: 0, candidate: { id: 1 }, replicaEpoch: 1, voterKey: { id: 0 }, lastOffsetEpoch: 0, lastOffset: 0, preVote: false },
    });
    expect(stateOf(replica)).toBe('Unattached');
    expect(replica.persisted.at(-1)).toEqual(expect.objectContaining({ epoch: 1, votedKey: { id: 1 } }));
    expect(replica.sent.at(-1)).toEqual({ type: 'raft.send.vote-answer', to: 1, response: { errorCode: 'NONE', voteGranted: true, leaderId: -1, leaderEpoch: 1 } });
    // The old timer (due in 1000 ms) no longer fires; the new one runs a whole election timeout from the vote.
    replica.clock.advanceBy(ELECTION_TIMEOUT_MS - 1);
    expect(stateOf(replica)).toBe('Unattached');
    replica.clock.advanceBy(1);
    expect(stateOf(replica)).toBe('Prospective');
  });
});

describe('raft replica statechart: Fetch', () => {
  it('Leader -> Leader on a Fetch past its LeaderChangeMessage: the high watermark advances once a majority holds it', () => {
    const leader = electedLeader();
    leader.actor.send(fetchRequest(1, 1, 0, 0));
    expect(leader.sent.at(-1)).toEqual({
      type: 'raft.send.fetch-answer',
      to: 1,
      response: { errorCode: 'NONE', leaderId: 0, leaderEpoch: 1, highWatermark: -1, records: [{ epoch: 1, payload: 'leader-change 0' }] },
    });
    // Nothing new past offset 1: the leader holds the Fetch for its MaxWaitMs (500), then answers with the new HW.
    const sentBefore = leader.sent.length;
    leader.actor.send(fetchRequest(1, 1, 1, 1));
    leader.clock.advanceBy(499);
    expect(leader.sent.slice(sentBefore).filter((m) => m.type === 'raft.send.fetch-answer')).toEqual([]);
    leader.clock.advanceBy(1);
    expect(stateOf(leader)).toBe('Leader');
    expect(leader.sent.at(-1)).toEqual({ type: 'raft.send.fetch-answer', to: 1, response: { errorCode: 'NONE', leaderId: 0, leaderEpoch: 1, highWatermark: 1 } });
    expect(quorumOf(leader).state).toEqual(expect.objectContaining({ leader: expect.objectContaining({ highWatermark: 1 }) }));
  });

  it('Leader appends the controller\'s records, answers held Fetches at once, and announces the high watermark when a majority has them', () => {
    const leader = electedLeader();
    leader.actor.send(fetchRequest(1, 1, 1, 1)); // caught up to the LeaderChangeMessage: held
    leader.actor.send({ type: 'raft.append', records: ['topic-a'] });
    expect(leader.sent).toContainEqual({ type: 'raft.appended', epoch: 1, baseOffset: 1, lastOffset: 1 });
    expect(leader.sent.at(-1)).toEqual({
      type: 'raft.send.fetch-answer',
      to: 1,
      response: { errorCode: 'NONE', leaderId: 0, leaderEpoch: 1, highWatermark: 1, records: [{ epoch: 1, payload: 'topic-a' }] },
    });
    // Voter 1 fetches past the new record: a majority (0 and 1) holds it, so the HW moves to 2 and is announced.
    leader.actor.send(fetchRequest(1, 1, 2, 1));
    expect(leader.sent.filter((m) => m.type === 'raft.high-watermark')).toEqual([
      { type: 'raft.high-watermark', highWatermark: 1 },
      { type: 'raft.high-watermark', highWatermark: 2 },
    ]);
  });

  it('a raft.append outside Leader is refused with NOT_LEADER_OR_FOLLOWER and who leads', () => {
    const replica = startReplica([0, 1, 2]);
    replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'] } });
    replica.actor.send({ type: 'raft.append', records: ['topic-a'] });
    expect(replica.sent.at(-1)).toEqual({ type: 'raft.append-rejected', errorCode: 'NOT_LEADER_OR_FOLLOWER', leaderId: 1, leaderEpoch: 3 });
    expect(replica.entries).toEqual([]);
  });

  it('Leader -> Resigned completes the Fetches it holds with NOT_LEADER_OR_FOLLOWER', () => {
    const leader = electedLeader();
    leader.actor.send(fetchRequest(1, 1, 1, 1));
    leader.actor.send(fetchRequest(2, 1, 1, 1));
    leader.actor.send({ type: 'raft.resign' });
    expect(stateOf(leader)).toBe('Resigned');
    expect(leader.sent.filter((m) => m.type === 'raft.send.fetch-answer')).toEqual(
      [1, 2].map((to) => ({ type: 'raft.send.fetch-answer', to, response: { errorCode: 'NOT_LEADER_OR_FOLLOWER', highWatermark: -1, leaderId: 0, leaderEpoch: 1 } })),
    );
    expect(leader.actor.getSnapshot().context.parkedFetches).toEqual([]);
  });

  it('Leader stays Leader past the check-quorum timeout while a majority fetches', () => {
    const leader = electedLeader();
    for (let i = 0; i < 4; i += 1) {
      leader.clock.advanceBy(FETCH_TIMEOUT_MS);
      leader.actor.send(fetchRequest(1, 1, 0, 0));
    }
    expect(stateOf(leader)).toBe('Leader');
    leader.clock.advanceBy(FETCH_TIMEOUT_MS * 1.5);
    expect(stateOf(leader)).toBe('Resigned');
  });

  it('Leader answers a Fetch from a stale epoch with FENCED_LEADER_EPOCH and its leadership', () => {
    const leader = electedLeader();
    leader.actor.send(fetchRequest(1, 0, 0, 0));
    expect(leader.sent.at(-1)).toEqual({ type: 'raft.send.fetch-answer', to: 1, response: { errorCode: 'FENCED_LEADER_EPOCH', highWatermark: -1, leaderId: 0, leaderEpoch: 1 } });
  });

  it('Follower -> Follower on a Fetch answer: appends, takes min(leader HW, LEO), restarts the fetch timer and fetches again', () => {
    const replica = startReplica([0, 1, 2]);
    replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'] } });
    replica.clock.advanceBy(FETCH_TIMEOUT_MS - 1);
    replica.actor.send({
      type: 'raft.fetch.response',
      from: 1,
      response: { errorCode: 'NONE', leaderId: 1, leaderEpoch: 3, highWatermark: 5, records: [{ epoch: 3, payload: 'a' }, { epoch: 3, payload: 'b' }] },
    });
    expect(replica.entries).toEqual([{ epoch: 3, payload: 'a' }, { epoch: 3, payload: 'b' }]);
    expect(quorumOf(replica).state).toEqual(expect.objectContaining({ name: 'Follower', highWatermark: 2, hasFetchedFromLeader: true }));
    expect(replica.sent.at(-1)).toEqual({ type: 'raft.high-watermark', highWatermark: 2 });
    expect(replica.sent.at(-2)).toEqual(expect.objectContaining({ type: 'raft.send.fetch', to: 1, request: expect.objectContaining({ fetchOffset: 2, lastFetchedEpoch: 3, currentLeaderEpoch: 3 }) }));
    // The fetch timer restarted with the answer: the old deadline passes without an election.
    replica.clock.advanceBy(FETCH_TIMEOUT_MS - 1);
    expect(stateOf(replica)).toBe('Follower');
    replica.clock.advanceBy(1);
    expect(stateOf(replica)).toBe('Prospective');
  });

  it('Follower.Fetching -> Follower.BackingOff on a failed Fetch answer, fetching again after controller.quorum.retry.backoff.ms', () => {
    const replica = startReplica([0, 1, 2]);
    replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'] } });
    const fetches = () => replica.sent.filter((m) => m.type === 'raft.send.fetch').length;
    expect(fetches()).toBe(1);
    replica.actor.send({ type: 'raft.fetch.response', from: 1, response: { errorCode: 'BROKER_NOT_AVAILABLE', leaderId: 1, leaderEpoch: 3, highWatermark: -1 } });
    expect(replica.actor.getSnapshot().value).toEqual({ Follower: 'BackingOff' });
    replica.clock.advanceBy(19);
    expect(fetches()).toBe(1);
    replica.clock.advanceBy(1);
    expect(fetches()).toBe(2);
    expect(replica.actor.getSnapshot().value).toEqual({ Follower: 'Fetching' });
  });

  it('Follower -> Follower on a DivergingEpoch answer: truncates to where the epochs agree', () => {
    const entries = [
      { epoch: 1, payload: 'a' },
      { epoch: 2, payload: 'b' },
      { epoch: 2, payload: 'c' },
    ];
    const replica = startReplica([0, 1, 2], { entries });
    replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'] } });
    replica.actor.send({ type: 'raft.fetch.response', from: 1, response: { errorCode: 'NONE', leaderId: 1, leaderEpoch: 3, highWatermark: -1, divergingEpoch: { epoch: 1, offset: 1 } } });
    expect(replica.entries).toEqual([{ epoch: 1, payload: 'a' }]);
    expect(replica.sent.at(-1)).toEqual(expect.objectContaining({ type: 'raft.send.fetch', request: expect.objectContaining({ fetchOffset: 1, lastFetchedEpoch: 1 }) }));
  });
});

describe('three raft replica statecharts wired through a synchronous router', () => {
  it('elect one leader, and never two in one epoch', () => {
    const clock = new SimulatedClock();
    const voters = [0, 1, 2];
    // Different jitters, so node 0 times out first (5000 ms) and the others later (5300, 5600 ms).
    const nodes = voters.map((localId) => startReplica(voters, { localId, jitter: localId * 300, clock }));
    const leadersByEpoch = new Map<number, Set<number>>();
    const delivered: string[] = [];
    nodes.forEach((node, id) => {
      node.actor.subscribe((snapshot) => {
        const state = snapshot.context.quorum?.state;
        if (state?.name !== 'Leader') return;
        const leaders = leadersByEpoch.get(state.epoch) ?? new Set<number>();
        leaders.add(id);
        leadersByEpoch.set(state.epoch, leaders);
        expect([...leaders], `leaders of epoch ${state.epoch}`).toHaveLength(1);
      });
      node.actor.on('*', (message) => {
        if (!('to' in message)) return undefined;
        const to = nodes[message.to]!.actor;
        delivered.push(message.type);
        switch (message.type) {
          case 'raft.send.vote':
            return to.send({ type: 'raft.vote.request', from: id, request: message.request });
          case 'raft.send.vote-answer':
            return to.send({ type: 'raft.vote.response', response: { from: id, ...message.response } });
          case 'raft.send.begin-quorum-epoch':
            return to.send({ type: 'raft.begin-quorum-epoch.request', from: id, request: message.request });
          case 'raft.send.end-quorum-epoch':
            return to.send({ type: 'raft.end-quorum-epoch.request', from: id, request: message.request });
          case 'raft.send.end-quorum-epoch-answer':
            return to.send({ type: 'raft.end-quorum-epoch.response', from: id, response: message.response });
          case 'raft.send.fetch':
            return to.send({ type: 'raft.fetch.request', from: id, request: message.request });
          case 'raft.send.fetch-answer':
            return to.send({ type: 'raft.fetch.response', from: id, response: message.response });
          default:
            // BeginQuorumEpoch answers are not routed in this test (a Fetch acknowledges the leader as well).
            return undefined;
        }
      });
    });

    clock.advanceBy(ELECTION_TIMEOUT_MS);
    expect(nodes.map((node) => stateOf(node))).toEqual(['Leader', 'Follower', 'Follower']);
    expect(nodes.map((node) => quorumOf(node).state.epoch)).toEqual([1, 1, 1]);
    expect(delivered).toEqual(expect.arrayContaining(['raft.send.vote', 'raft.send.vote-answer', 'raft.send.begin-quorum-epoch']));
    expect(leadersByEpoch).toEqual(new Map([[1, new Set([0])]]));
    // Every node persisted epoch 1 with leader 0 before acting on it.
    for (const node of nodes) expect(node.persisted.at(-1)).toEqual(expect.objectContaining({ epoch: 1, leaderId: 0 }));

    // Followers keep fetching (each held up to 500 ms), so neither their fetch timers nor the leader's check-quorum
    // ever fire: still epoch 1, the LeaderChangeMessage committed and replicated everywhere.
    clock.advanceBy(FETCH_TIMEOUT_MS * 5);
    expect(nodes.map((node) => [stateOf(node), quorumOf(node).state.epoch])).toEqual([
      ['Leader', 1],
      ['Follower', 1],
      ['Follower', 1],
    ]);
    expect(nodes.map((node) => node.entries)).toEqual(voters.map(() => [{ epoch: 1, payload: 'leader-change 0' }]));
    const leaderState = quorumOf(nodes[0]!).state;
    expect(leaderState.name === 'Leader' ? leaderState.leader.highWatermark : undefined).toBe(1);
    for (const follower of nodes.slice(1)) expect(quorumOf(follower).state).toEqual(expect.objectContaining({ highWatermark: 1, hasFetchedFromLeader: true }));

    // The leader resigns: its first preferred successor pre-votes at once and wins epoch 2; still one leader per epoch.
    nodes[0]!.actor.send({ type: 'raft.resign' });
    clock.advanceBy(ELECTION_TIMEOUT_MS * 2);
    const leaders = nodes.filter((node) => stateOf(node) === 'Leader');
    expect(leaders).toHaveLength(1);
    expect(quorumOf(leaders[0]!).state.epoch).toBe(2);
    expect([...leadersByEpoch.entries()].map(([epoch, ids]) => [epoch, ids.size])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });
});
