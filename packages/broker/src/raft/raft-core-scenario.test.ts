/**
 * The pure pieces composed by hand, with no statechart: three voters elect a leader through PreVote and Vote,
 * commit its LeaderChangeMessage by fetching, then lose it and elect the next one. After every step: at most one
 * leader per epoch among everything ever persisted, persisted epochs never go back, high watermarks never go back.
 */
import { LeaderEpochCache, MemoryLeaderEpochCheckpoint } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import type { ElectionState } from './election-state.js';
import { completeFollowerFetch, decideFollowerFetch, type RaftFetchResponse } from './follower-fetch-response.js';
import { handleLeaderFetch } from './leader-fetch.js';
import { updateLocalState } from './leader-state.js';
import type { RaftLogView } from './log-view.js';
import { handleBeginQuorumEpochRequest } from './quorum-epoch-requests.js';
import { highWatermarkOfQuorum, type QuorumState, type RaftStepContext } from './quorum-state.js';
import { nextTimerDeadlineMs, onTimersDue } from './timer-expiry.js';
import { CLUSTER_METADATA_TOPIC, handleVoteRequest } from './vote-request.js';
import { handleVoteResponse } from './vote-response.js';
import { config } from './test-support.js';
import { initializeQuorumState } from './quorum-initialize.js';

interface Node {
  readonly id: number;
  quorum: QuorumState;
  readonly log: number[]; // the epoch of each record, by offset
  readonly cache: LeaderEpochCache;
  highestPersistedEpoch: number;
}

const VOTERS = [0, 1, 2];
const leadersByEpoch = new Map<number, number>();
let now = 0;
const context = (jitter = 0): RaftStepContext => ({ nowMs: now, random: (bound) => Math.min(jitter, bound - 1) });

function logView(node: Node): RaftLogView & { logStartOffset: number } {
  return { logStartOffset: 0, logEndOffset: node.log.length, lastFetchedEpoch: node.log.at(-1) ?? 0, epochs: node.cache };
}

/** Adopt a transition the way the statechart will: persist first (checked here), then switch. */
function adopt(node: Node, transition: { quorum: QuorumState; persist?: ElectionState }): void {
  const before = highWatermarkOfQuorum(node.quorum);
  if (transition.persist !== undefined) {
    expect(transition.persist.epoch).toBeGreaterThanOrEqual(node.highestPersistedEpoch);
    node.highestPersistedEpoch = transition.persist.epoch;
    const leaderId = transition.persist.leaderId;
    if (leaderId !== undefined) {
      expect(leadersByEpoch.get(transition.persist.epoch) ?? leaderId).toBe(leaderId);
      leadersByEpoch.set(transition.persist.epoch, leaderId);
    }
  }
  node.quorum = transition.quorum;
  const after = highWatermarkOfQuorum(node.quorum);
  // A node's HW only resets when it becomes leader (unknown until its epoch commits), never goes down otherwise.
  if (before !== undefined && after !== undefined) expect(after).toBeGreaterThanOrEqual(before);
}

function append(node: Node, epoch: number): void {
  node.cache.assign(epoch, node.log.length);
  node.log.push(epoch);
}

function newNode(id: number): Node {
  const node: Node = { id, quorum: undefined as unknown as QuorumState, log: [], cache: new LeaderEpochCache(new MemoryLeaderEpochCheckpoint()), highestPersistedEpoch: 0 };
  node.quorum = initializeQuorumState(config(VOTERS, id), undefined, { offset: 0, epoch: 0 }, context(id * 1000)).quorum;
  return node;
}

/** The nominee asks every reachable voter; stops once it leaves the state it asked from. */
function electionRound(nominee: Node, reachable: readonly Node[]): void {
  const askedAs = nominee.quorum.state.name;
  for (const voter of reachable) {
    const state = nominee.quorum.state;
    if (state.name !== askedAs) return;
    const view = logView(nominee);
    const request = {
      clusterId: 'cluster',
      topicName: CLUSTER_METADATA_TOPIC,
      partitionIndex: 0,
      candidate: { id: nominee.id },
      replicaEpoch: state.epoch,
      voterKey: { id: voter.id },
      lastOffsetEpoch: view.lastFetchedEpoch,
      lastOffset: view.logEndOffset,
      preVote: state.name === 'Prospective',
    };
    const answered = handleVoteRequest(voter.quorum, request, { clusterId: 'cluster', logEnd: { offset: view.logEndOffset, epoch: logView(voter).lastFetchedEpoch } }, context());
    adopt(voter, answered);
    const counted = handleVoteResponse(nominee.quorum, { from: voter.id, ...answered.response }, { electionBackoffMaxMs: 1000, logEndOffset: nominee.log.length }, context(1));
    adopt(nominee, counted);
    if (counted.effect === 'became-leader') becameLeader(nominee, reachable);
  }
}

function becameLeader(leader: Node, reachable: readonly Node[]): void {
  const state = leader.quorum.state;
  if (state.name !== 'Leader') throw new Error('not leader');
  append(leader, state.epoch); // the LeaderChangeMessage at epochStartOffset
  adopt(leader, { quorum: { ...leader.quorum, state: { ...state, leader: updateLocalState(state.leader, leader.log.length).state } } });
  for (const voter of reachable) {
    adopt(voter, handleBeginQuorumEpochRequest(voter.quorum, { clusterId: 'cluster', leaderId: leader.id, leaderEpoch: state.epoch, voterKey: { id: voter.id } }, { clusterId: 'cluster', electionBackoffMaxMs: 1000 }, context()));
  }
}

function fetchOnce(follower: Node, leader: Node): void {
  const view = logView(follower);
  const request = { clusterId: 'cluster', topicName: CLUSTER_METADATA_TOPIC, partitionIndex: 0, replica: { id: follower.id }, maxWaitMs: 0, currentLeaderEpoch: follower.quorum.state.epoch, fetchOffset: view.logEndOffset, lastFetchedEpoch: view.lastFetchedEpoch };
  const outcome = handleLeaderFetch(leader.quorum, request, { clusterId: 'cluster', log: logView(leader), nowMs: now });
  let response: RaftFetchResponse;
  let records: number[] = [];
  if (outcome.kind === 'error') {
    response = { errorCode: outcome.errorCode, highWatermark: -1, leaderId: outcome.leaderId, leaderEpoch: outcome.leaderEpoch };
  } else {
    adopt(leader, outcome);
    response = { errorCode: 'NONE', highWatermark: outcome.highWatermark ?? -1, leaderId: leader.id, leaderEpoch: leader.quorum.state.epoch, ...(outcome.kind === 'diverging' ? { divergingEpoch: outcome.divergingEpoch } : {}) };
    if (outcome.kind === 'valid') records = leader.log.slice(request.fetchOffset);
  }
  const decision = decideFollowerFetch(follower.quorum, response, view, context());
  adopt(follower, decision);
  if (decision.kind === 'truncate') {
    follower.log.length = decision.truncateToOffset;
    follower.cache.truncateFromEnd(decision.truncateToOffset);
    adopt(follower, { quorum: completeFollowerFetch(follower.quorum, { leaderHighWatermark: -1, logEndOffset: follower.log.length, nowMs: now }) });
  } else if (decision.kind === 'append') {
    for (const epoch of records) append(follower, epoch);
    adopt(follower, { quorum: completeFollowerFetch(follower.quorum, { leaderHighWatermark: response.highWatermark, logEndOffset: follower.log.length, nowMs: now }) });
  }
}

function expireTimers(node: Node): void {
  now = Math.max(now, nextTimerDeadlineMs(node.quorum));
  adopt(node, onTimersDue(node.quorum, context(node.id * 100)));
}

describe('the Raft core composed by hand (three voters)', () => {
  it('elects a leader by PreVote and Vote, commits its epoch, then elects the next one when it dies', () => {
    const [n0, n1, n2] = [newNode(0), newNode(1), newNode(2)] as [Node, Node, Node];

    // Node 0 has the earliest election timer (no jitter): Prospective, a PreVote majority, Candidate, Leader.
    expireTimers(n0);
    expect(n0.quorum.state.name).toBe('Prospective');
    electionRound(n0, [n1, n2]);
    expect(n0.quorum.state.name).toBe('Candidate');
    electionRound(n0, [n1, n2]);
    expect(n0.quorum.state).toMatchObject({ name: 'Leader', epoch: 1 });
    expect([n1.quorum.state.name, n2.quorum.state.name]).toEqual(['Follower', 'Follower']);

    // The HW stays unknown until a majority holds the LeaderChangeMessage at offset 0 (a fetch from offset 1
    // acknowledges it), and the same answers carry it to the followers.
    for (const follower of [n1, n2]) fetchOnce(follower, n0);
    expect(highWatermarkOfQuorum(n0.quorum)).toBeUndefined();
    for (const follower of [n1, n2]) fetchOnce(follower, n0);
    expect(highWatermarkOfQuorum(n0.quorum)).toBe(1);
    expect([n1, n2].map((node) => highWatermarkOfQuorum(node.quorum))).toEqual([1, 1]);
    expect([n1.log, n2.log]).toEqual([[1], [1]]);

    // Node 0 appends an uncommitted record, then dies. Node 1 pre-votes; node 2 has fetched from the leader, so
    // it refuses and node 1 falls back to following the dead leader (no disruption of a live leader).
    append(n0, 1);
    expireTimers(n1);
    expect(n1.quorum.state.name).toBe('Prospective');
    electionRound(n1, [n2]);
    expect(n1.quorum.state).toMatchObject({ name: 'Prospective', epoch: 1 });
    expireTimers(n1);
    expect(n1.quorum.state).toMatchObject({ name: 'Follower', epoch: 1, leaderId: 0 });

    // Node 2's fetch timer runs out too; now node 1 (Prospective again) and node 2 elect a leader in epoch 2.
    expireTimers(n2);
    expireTimers(n1);
    expect([n1.quorum.state.name, n2.quorum.state.name]).toEqual(['Prospective', 'Prospective']);
    electionRound(n1, [n2]);
    expect(n1.quorum.state.name).toBe('Candidate');
    electionRound(n1, [n2]);
    expect(n1.quorum.state).toMatchObject({ name: 'Leader', epoch: 2 });
    expect(n2.quorum.state).toMatchObject({ name: 'Follower', epoch: 2, leaderId: 1 });
    fetchOnce(n2, n1);
    fetchOnce(n2, n1);
    expect(highWatermarkOfQuorum(n1.quorum)).toBe(2);

    // Node 0 comes back as Resigned (it was leader of epoch 1), learns epoch 2 and drops its uncommitted record.
    n0.quorum = initializeQuorumState(config(VOTERS, 0), { epoch: 1, leaderId: 0 }, { offset: n0.log.length, epoch: 1 }, context()).quorum;
    expect(n0.quorum.state.name).toBe('Resigned');
    adopt(n0, handleBeginQuorumEpochRequest(n0.quorum, { clusterId: 'cluster', leaderId: 1, leaderEpoch: 2 }, { clusterId: 'cluster', electionBackoffMaxMs: 1000 }, context()));
    fetchOnce(n0, n1); // diverging: epoch 1 ends at 1 on the leader
    expect(n0.log).toEqual([1]);
    fetchOnce(n0, n1);
    fetchOnce(n0, n1);
    expect(n0.log).toEqual(n1.log);
    expect(highWatermarkOfQuorum(n0.quorum)).toBe(2);
    expect([...leadersByEpoch]).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });
});
