/**
 * The state changes of a KRaft replica with Kafka's guards (QuorumState.transitionTo*, KIP-996 version). A refused
 * change throws IllegalRaftTransitionError: callers only ask for changes the protocol allows, so a refusal is a bug.
 * Durable changes answer `persist`; the caller writes it before adopting the new state.
 *
 * Voters: Unattached -> Unattached | Prospective | Follower; Prospective -> Unattached | Candidate | Follower;
 * Candidate -> Unattached | Prospective | Leader; Leader -> Unattached | Resigned | Follower;
 * Follower -> Unattached | Prospective | Follower; Resigned -> Unattached | Follower.
 * Observers: only Unattached <-> Follower.
 */
import { grantingVoters, isVoteGranted, isVoteRejected, newEpochElection } from './epoch-election.js';
import { randomElectionTimeoutMs } from './election-timers.js';
import { electionOf, highWatermarkOf, leaderEndpointsOf, votedKeyOf, type EpochState } from './epoch-state.js';
import { newLeaderState } from './leader-state.js';
import { IllegalRaftTransitionError, RaftInvariantError, assertEpochMove } from './raft-errors.js';
import { isObserver, isProspectiveNotVoted, isUnattachedNotVoted, localKeyOf, type QuorumState, type QuorumTransition, type RaftStepContext } from './quorum-state.js';
import { voterIds, type ReplicaKey } from './replica-key.js';

function describe(state: EpochState): string {
  return `${state.name}(epoch ${state.epoch})`;
}

function refuse(quorum: QuorumState, to: string, reason: string): never {
  throw new IllegalRaftTransitionError(describe(quorum.state), to, reason);
}

/** A fresh election timer in [T, 2T); observers never start elections, so theirs never fires. */
export function newElectionDeadlineMs(quorum: QuorumState, context: RaftStepContext): number {
  if (isObserver(quorum.config)) return Infinity;
  return context.nowMs + randomElectionTimeoutMs(quorum.config.electionTimeoutMs, context.random);
}

function durable(quorum: QuorumState, state: EpochState): QuorumTransition {
  assertEpochMove(quorum.state.epoch, state.epoch);
  return { quorum: { ...quorum, state }, persist: electionOf(state) };
}

function inMemory(quorum: QuorumState, state: EpochState): QuorumTransition {
  assertEpochMove(quorum.state.epoch, state.epoch);
  return { quorum: { ...quorum, state } };
}

function localIdOrRefuse(quorum: QuorumState, to: string): number {
  const localId = quorum.config.localId;
  if (localId === undefined) refuse(quorum, to, 'this replica has no id');
  return localId;
}

/**
 * A higher epoch with no known leader (or a known leader whose endpoints are unknown); the same epoch only from
 * Prospective after a lost pre-vote, keeping its vote so it never votes twice in the epoch. The election timer keeps
 * running from Candidate, Unattached, Resigned and a Prospective whose pre-vote was not rejected.
 */
export function transitionToUnattached(quorum: QuorumState, epoch: number, leaderId: number | undefined, context: RaftStepContext): QuorumTransition {
  const current = quorum.state;
  if (epoch < current.epoch || (epoch === current.epoch && current.name !== 'Prospective')) {
    refuse(quorum, 'Unattached', `epoch ${epoch} is not above ${current.epoch} (equal only from Prospective)`);
  }
  let electionDeadlineMs: number;
  if (isObserver(quorum.config)) electionDeadlineMs = Infinity;
  else if (current.name === 'Candidate' || current.name === 'Unattached' || current.name === 'Resigned') electionDeadlineMs = current.electionDeadlineMs;
  else if (current.name === 'Prospective' && !isVoteRejected(current.election)) electionDeadlineMs = current.electionDeadlineMs;
  else electionDeadlineMs = newElectionDeadlineMs(quorum, context);
  const votedKey = epoch === current.epoch ? votedKeyOf(current) : undefined;
  const highWatermark = highWatermarkOf(current);
  return durable(quorum, {
    name: 'Unattached',
    epoch,
    ...(leaderId === undefined ? {} : { leaderId }),
    ...(votedKey === undefined ? {} : { votedKey }),
    electionDeadlineMs,
    ...(highWatermark === undefined ? {} : { highWatermark }),
  });
}

/** Grant a standard vote as Unattached in its epoch: persisted before the Vote response goes out; the timer restarts. */
export function unattachedAddVotedState(quorum: QuorumState, epoch: number, candidate: ReplicaKey, context: RaftStepContext): QuorumTransition {
  const localId = localIdOrRefuse(quorum, 'Unattached(voted)');
  if (candidate.id === localId) refuse(quorum, 'Unattached(voted)', 'a replica never votes for itself this way');
  if (epoch !== quorum.state.epoch || !isUnattachedNotVoted(quorum) || quorum.state.name !== 'Unattached') {
    refuse(quorum, 'Unattached(voted)', `can only add a vote to a not-yet-voted Unattached in epoch ${quorum.state.epoch}, asked for epoch ${epoch}`);
  }
  // The candidate has at least as good a chance as this replica, so give it a whole election timeout.
  return durable(quorum, { ...quorum.state, votedKey: candidate, electionDeadlineMs: newElectionDeadlineMs(quorum, context) });
}

/** Grant a standard vote as a not-yet-voted Prospective in the same epoch (fresh pre-vote tally, fresh timer). */
export function prospectiveAddVotedState(quorum: QuorumState, epoch: number, candidate: ReplicaKey, context: RaftStepContext): QuorumTransition {
  const localId = localIdOrRefuse(quorum, 'Prospective(voted)');
  if (candidate.id === localId) refuse(quorum, 'Prospective(voted)', 'a replica never votes for itself this way');
  if (epoch !== quorum.state.epoch || !isProspectiveNotVoted(quorum) || quorum.state.name !== 'Prospective') {
    refuse(quorum, 'Prospective(voted)', `can only add a vote to a not-yet-voted Prospective in epoch ${quorum.state.epoch}, asked for epoch ${epoch}`);
  }
  return durable(quorum, {
    ...quorum.state,
    votedKey: candidate,
    electionDeadlineMs: newElectionDeadlineMs(quorum, context),
    election: newEpochElection(localId, voterIds(quorum.config.voters)),
  });
}

/**
 * Follow `leaderId` in `epoch`: needs the leader's endpoints, a leader other than this replica, an epoch not below
 * the current one, and in the same epoch neither Leader nor a Follower that already knows as many endpoints.
 */
export function transitionToFollower(quorum: QuorumState, epoch: number, leaderId: number, leaderEndpoints: readonly string[], context: RaftStepContext): QuorumTransition {
  const current = quorum.state;
  if (leaderEndpoints.length === 0) refuse(quorum, 'Follower', `leader ${leaderId} has no known endpoint`);
  if (leaderId === quorum.config.localId) refuse(quorum, 'Follower', 'a replica cannot follow itself');
  if (epoch < current.epoch) refuse(quorum, 'Follower', `epoch ${epoch} is below the current epoch ${current.epoch}`);
  if (epoch === current.epoch) {
    if (current.name === 'Leader') refuse(quorum, 'Follower', 'already the leader of this epoch');
    if (current.name === 'Follower' && current.leaderEndpoints.length >= leaderEndpoints.length) {
      refuse(quorum, 'Follower', `already following ${current.leaderId} with as many endpoints in epoch ${epoch}`);
    }
    const knownLeader = electionOf(current).leaderId;
    if (knownLeader !== undefined && knownLeader !== leaderId) {
      throw new RaftInvariantError('two-leaders-in-epoch', `epoch ${epoch} has leader ${knownLeader}, now told ${leaderId}`);
    }
  }
  // Within one epoch the vote is kept, so the replica cannot vote twice in it.
  const votedKey = epoch === current.epoch ? votedKeyOf(current) : undefined;
  const highWatermark = highWatermarkOf(current);
  return durable(quorum, {
    name: 'Follower',
    epoch,
    leaderId,
    leaderEndpoints: [...leaderEndpoints],
    ...(votedKey === undefined ? {} : { votedKey }),
    fetchDeadlineMs: context.nowMs + quorum.config.fetchTimeoutMs,
    ...(highWatermark === undefined ? {} : { highWatermark }),
    hasFetchedFromLeader: false,
  });
}

/** Fetch or election timeout, or a lost election: pre-vote in the same epoch (KIP-996). Memory only: nothing persisted changes. */
export function transitionToProspective(quorum: QuorumState, context: RaftStepContext): QuorumTransition {
  const current = quorum.state;
  if (isObserver(quorum.config)) refuse(quorum, 'Prospective', 'observers never start elections');
  if (current.name === 'Leader' || current.name === 'Prospective') refuse(quorum, 'Prospective', `not from ${current.name}`);
  const localId = localIdOrRefuse(quorum, 'Prospective');
  // A Resigned replica names itself as leader of its epoch; as Prospective it knows no leader to fall back to.
  const leaderId = current.name === 'Resigned' ? undefined : electionOf(current).leaderId;
  const votedKey = votedKeyOf(current);
  const highWatermark = highWatermarkOf(current);
  return inMemory(quorum, {
    name: 'Prospective',
    epoch: current.epoch,
    ...(leaderId === undefined ? {} : { leaderId }),
    leaderEndpoints: leaderEndpointsOf(current),
    ...(votedKey === undefined ? {} : { votedKey }),
    retries: current.name === 'Candidate' ? current.retries + 1 : 1,
    electionDeadlineMs: newElectionDeadlineMs(quorum, context),
    election: newEpochElection(localId, voterIds(quorum.config.voters)),
    ...(highWatermark === undefined ? {} : { highWatermark }),
  });
}

/** A majority granted the pre-vote: bump the epoch and vote for itself (persisted before any Vote goes out). */
export function transitionToCandidate(quorum: QuorumState, context: RaftStepContext): QuorumTransition {
  const current = quorum.state;
  if (isObserver(quorum.config)) refuse(quorum, 'Candidate', 'observers never start elections');
  if (current.name !== 'Prospective') refuse(quorum, 'Candidate', 'only Prospective may become Candidate');
  const localKey = localKeyOf(quorum.config)!;
  const highWatermark = highWatermarkOf(current);
  return durable(quorum, {
    name: 'Candidate',
    epoch: current.epoch + 1,
    localKey,
    retries: current.retries,
    electionDeadlineMs: newElectionDeadlineMs(quorum, context),
    election: newEpochElection(localKey.id, voterIds(quorum.config.voters)),
    ...(highWatermark === undefined ? {} : { highWatermark }),
  });
}

/**
 * A Candidate with a majority becomes Leader with `epochStartOffset` = its log end offset. The high watermark
 * starts unknown: only once a majority holds this epoch's first record is it safe to expose it again.
 */
export function transitionToLeader(quorum: QuorumState, epochStartOffset: number, context: RaftStepContext): QuorumTransition {
  const current = quorum.state;
  if (isObserver(quorum.config)) refuse(quorum, 'Leader', 'observers never lead');
  if (current.name !== 'Candidate') refuse(quorum, 'Leader', 'only a Candidate may become Leader');
  if (!isVoteGranted(current.election)) refuse(quorum, 'Leader', 'no majority of votes granted');
  const leader = newLeaderState({
    localKey: current.localKey,
    epoch: current.epoch,
    epochStartOffset,
    voterIds: voterIds(quorum.config.voters),
    grantingVoters: grantingVoters(current.election),
    fetchTimeoutMs: quorum.config.fetchTimeoutMs,
    nowMs: context.nowMs,
  });
  return durable(quorum, { name: 'Leader', epoch: current.epoch, leader });
}

/**
 * Leader steps down (shutdown, renounce, check-quorum) in the same epoch. Memory only: a replica that finds itself
 * leader in `quorum-state` at startup always starts as Resigned anyway.
 */
export function transitionToResigned(quorum: QuorumState, preferredSuccessors: readonly number[], context: RaftStepContext): QuorumTransition {
  const current = quorum.state;
  if (current.name !== 'Leader') refuse(quorum, 'Resigned', 'only the Leader may resign');
  const localId = current.leader.localId;
  return inMemory(quorum, {
    name: 'Resigned',
    epoch: current.epoch,
    localId,
    unackedVoters: voterIds(quorum.config.voters).filter((id) => id !== localId),
    preferredSuccessors: [...preferredSuccessors],
    electionDeadlineMs: newElectionDeadlineMs(quorum, context),
  });
}
