/**
 * What a replica persists in `quorum-state` (Kafka's ElectionState / QuorumStateData): the epoch, the leader if
 * known, and whom it voted for in that epoch. The file is written, fsynced and renamed BEFORE the in-memory state
 * changes and before a vote is answered, so a restarted replica can never vote twice in one epoch.
 */
import type { ReplicaKey } from './replica-key.js';

export interface ElectionState {
  readonly epoch: number;
  readonly leaderId?: number;
  /** Kept alongside a leader in the same epoch since KIP-996, so a replica never votes twice in one epoch. */
  readonly votedKey?: ReplicaKey;
}

/** A missing `quorum-state` file reads as epoch 0 with no leader and no vote. */
export const EMPTY_ELECTION_STATE: ElectionState = { epoch: 0 };

export function electionState(epoch: number, leaderId: number | undefined, votedKey: ReplicaKey | undefined): ElectionState {
  return {
    epoch,
    ...(leaderId === undefined ? {} : { leaderId }),
    ...(votedKey === undefined ? {} : { votedKey }),
  };
}

export function isElectedLeader(election: ElectionState, id: number | undefined): boolean {
  return id !== undefined && election.leaderId === id;
}

export function isVotedCandidate(election: ElectionState, key: ReplicaKey | undefined): boolean {
  if (key === undefined || election.votedKey === undefined) return false;
  return election.votedKey.id === key.id && (election.votedKey.directoryId === undefined || election.votedKey.directoryId === key.directoryId);
}

/** `QuorumStateData` version 1 as Kafka writes it (every absent id is -1). */
export interface QuorumStateDataV1 {
  readonly LeaderId: number;
  readonly LeaderEpoch: number;
  readonly VotedId: number;
  readonly VotedDirectoryId?: string;
  readonly data_version: 1;
}

export function toQuorumStateData(election: ElectionState): QuorumStateDataV1 {
  return {
    LeaderId: election.leaderId ?? -1,
    LeaderEpoch: election.epoch,
    VotedId: election.votedKey?.id ?? -1,
    ...(election.votedKey?.directoryId === undefined ? {} : { VotedDirectoryId: election.votedKey.directoryId }),
    data_version: 1,
  };
}

export function fromQuorumStateData(data: QuorumStateDataV1): ElectionState {
  const votedKey = data.VotedId < 0 ? undefined : data.VotedDirectoryId === undefined ? { id: data.VotedId } : { id: data.VotedId, directoryId: data.VotedDirectoryId };
  return electionState(data.LeaderEpoch, data.LeaderId < 0 ? undefined : data.LeaderId, votedKey);
}
