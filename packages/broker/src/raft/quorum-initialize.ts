/**
 * Where a replica starts after a restart (QuorumState.initialize), from its persisted `quorum-state` and the last
 * epoch in its log. The chosen state is persisted again before use, as Kafka does.
 */
import { EMPTY_ELECTION_STATE, isElectedLeader, isVotedCandidate, type ElectionState } from './election-state.js';
import { newEpochElection } from './epoch-election.js';
import type { EpochState } from './epoch-state.js';
import { electionOf } from './epoch-state.js';
import { IllegalRaftTransitionError } from './raft-errors.js';
import { isObserver, localKeyOf, type QuorumConfig, type QuorumState, type QuorumTransition, type RaftStepContext } from './quorum-state.js';
import { newElectionDeadlineMs } from './quorum-transitions.js';
import { voterEndpoints, voterIds } from './replica-key.js';

export interface LogEndOffsetAndEpoch {
  readonly offset: number;
  /** The epoch of the last record in the log (0 for an empty log). */
  readonly epoch: number;
}

/**
 * - No file: epoch 0, no leader, no vote.
 * - Stored epoch below the log's last epoch (the file lagged the log): Unattached at the log's epoch.
 * - Stored leader is this replica: Resigned in the same epoch, so it neither votes again in that epoch nor
 *   appends under it again (unflushed records lost in the crash could otherwise reappear with different content at
 *   the same (offset, epoch)).
 * - Voted for itself, no leader known: Candidate in the same epoch.
 * - A leader with known endpoints: Follower; with unknown endpoints: Unattached knowing the leader id. This comes
 *   before the vote for itself when both are stored: since KIP-996 a Candidate that lost to a leader of its epoch
 *   keeps its vote as that leader's Follower, and may already hold the leader's records of that epoch; restarted as
 *   a Candidate it would ask for votes in an epoch that already has a leader, with a last log epoch equal to the
 *   epoch it asks for, which every voter answers INVALID_REQUEST (found by the Raft event simulation).
 * - Kafka's QuorumState.initialize checks the self-vote first; the outcome differs only in that case.
 * - Otherwise Unattached, keeping its vote.
 */
export function initializeQuorumState(
  config: QuorumConfig,
  stored: ElectionState | undefined,
  logEnd: LogEndOffsetAndEpoch,
  context: RaftStepContext,
): QuorumTransition {
  const election = stored ?? EMPTY_ELECTION_STATE;
  const localKey = localKeyOf(config);
  if (election.votedKey !== undefined && localKey === undefined) {
    throw new IllegalRaftTransitionError('quorum-state', 'initial state', 'the stored state has a vote but this replica has no id');
  }
  const placeholder: QuorumState = { config, state: { name: 'Unattached', epoch: election.epoch, electionDeadlineMs: Infinity } };
  const electionDeadlineMs = newElectionDeadlineMs(placeholder, context);
  let state: EpochState;
  if (election.epoch < logEnd.epoch) {
    state = { name: 'Unattached', epoch: logEnd.epoch, electionDeadlineMs };
  } else if (isElectedLeader(election, config.localId)) {
    const localId = config.localId!;
    state = {
      name: 'Resigned',
      epoch: election.epoch,
      localId,
      unackedVoters: voterIds(config.voters).filter((id) => id !== localId),
      preferredSuccessors: [],
      electionDeadlineMs,
    };
  } else if (isVotedCandidate(election, localKey) && election.leaderId === undefined) {
    if (isObserver(config)) throw new IllegalRaftTransitionError('quorum-state', 'Candidate', `replica ${localKey!.id} voted for itself but is not a voter`);
    state = { name: 'Candidate', epoch: election.epoch, localKey: localKey!, retries: 1, electionDeadlineMs, election: newEpochElection(localKey!.id, voterIds(config.voters)) };
  } else if (election.leaderId !== undefined) {
    const endpoints = voterEndpoints(config.voters, election.leaderId);
    const voted = election.votedKey === undefined ? {} : { votedKey: election.votedKey };
    state =
      endpoints.length === 0
        ? { name: 'Unattached', epoch: election.epoch, leaderId: election.leaderId, ...voted, electionDeadlineMs }
        : {
            name: 'Follower',
            epoch: election.epoch,
            leaderId: election.leaderId,
            leaderEndpoints: endpoints,
            ...voted,
            fetchDeadlineMs: context.nowMs + config.fetchTimeoutMs,
            hasFetchedFromLeader: false,
          };
  } else {
    state = { name: 'Unattached', epoch: election.epoch, ...(election.votedKey === undefined ? {} : { votedKey: election.votedKey }), electionDeadlineMs };
  }
  return { quorum: { config, state }, persist: electionOf(state) };
}
