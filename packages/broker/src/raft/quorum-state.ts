/**
 * A replica's place in the quorum (Kafka's QuorumState): who it is, the voters, the election timers' settings, and
 * its current EpochState. Everything is a value: transitions (quorum-transitions.ts) answer a new QuorumState and,
 * when the change must survive a crash, the ElectionState to persist. The caller writes `persist` to `quorum-state`
 * (fsync + rename) BEFORE adopting the new state or answering anyone.
 */
import type { ElectionState } from './election-state.js';
import type { RandomInt } from './election-timers.js';
import { electionOf, highWatermarkOf, leaderEndpointsOf, type EpochState } from './epoch-state.js';
import { isVoterId, voterEndpoints, type ReplicaKey, type VoterSet } from './replica-key.js';

export interface QuorumConfig {
  /** This node's id; absent for a node without one (it can only observe). */
  readonly localId?: number;
  readonly localDirectoryId?: string;
  readonly voters: VoterSet;
  /** `controller.quorum.election.timeout.ms` (Kafka's default 1000). */
  readonly electionTimeoutMs: number;
  /** `controller.quorum.fetch.timeout.ms` (Kafka's default 2000). */
  readonly fetchTimeoutMs: number;
}

export interface QuorumState {
  readonly config: QuorumConfig;
  readonly state: EpochState;
}

/** The caller's clock and randomness for one step. */
export interface RaftStepContext {
  readonly nowMs: number;
  readonly random: RandomInt;
}

export interface QuorumTransition {
  readonly quorum: QuorumState;
  /** Write this to `quorum-state` before adopting `quorum`; absent for memory-only changes (Prospective without a vote, Resigned). */
  readonly persist?: ElectionState;
}

export function isVoter(config: QuorumConfig): boolean {
  return isVoterId(config.voters, config.localId);
}

export function isObserver(config: QuorumConfig): boolean {
  return !isVoter(config);
}

/** The only voter elects itself at once (KafkaRaftClient.initialize). */
export function isOnlyVoter(config: QuorumConfig): boolean {
  return config.voters.length === 1 && isVoter(config);
}

export function localKeyOf(config: QuorumConfig): ReplicaKey | undefined {
  if (config.localId === undefined) return undefined;
  return config.localDirectoryId === undefined ? { id: config.localId } : { id: config.localId, directoryId: config.localDirectoryId };
}

export const epochOf = (quorum: QuorumState): number => quorum.state.epoch;
export const electionOfQuorum = (quorum: QuorumState): ElectionState => electionOf(quorum.state);
export const highWatermarkOfQuorum = (quorum: QuorumState): number | undefined => highWatermarkOf(quorum.state);
export const leaderIdOfQuorum = (quorum: QuorumState): number | undefined => electionOf(quorum.state).leaderId;
export const leaderEndpointsOfQuorum = (quorum: QuorumState): readonly string[] =>
  quorum.state.name === 'Leader' ? voterEndpoints(quorum.config.voters, quorum.state.leader.localId) : leaderEndpointsOf(quorum.state);

/** -1 when no leader is known, as Kafka puts it on the wire. */
export function leaderIdOrSentinel(quorum: QuorumState): number {
  return leaderIdOfQuorum(quorum) ?? -1;
}

export function isUnattachedNotVoted(quorum: QuorumState): boolean {
  return quorum.state.name === 'Unattached' && quorum.state.votedKey === undefined;
}

export function isProspectiveNotVoted(quorum: QuorumState): boolean {
  return quorum.state.name === 'Prospective' && quorum.state.votedKey === undefined;
}
