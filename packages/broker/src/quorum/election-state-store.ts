/**
 * The Raft replica's `persist` port over storage's durable `quorum-state` store (fsync + atomic rename): the core's
 * ElectionState as Kafka's QuorumStateData v1, with -1 for an unknown leader or no vote and the zero UUID for no
 * directory id (a static quorum has none).
 */
import { QUORUM_STATE_NO_ID, ZERO_DIRECTORY_ID, type QuorumStateData, type QuorumStateStore } from '@kactor/storage';
import { electionState, type ElectionState } from '../raft/election-state.js';

export function quorumStateDataOf(election: ElectionState): QuorumStateData {
  return {
    leaderId: election.leaderId ?? QUORUM_STATE_NO_ID,
    leaderEpoch: election.epoch,
    votedId: election.votedKey?.id ?? QUORUM_STATE_NO_ID,
    votedDirectoryId: election.votedKey?.directoryId ?? ZERO_DIRECTORY_ID,
  };
}

export function electionStateOf(data: QuorumStateData): ElectionState {
  const votedKey =
    data.votedId === QUORUM_STATE_NO_ID ? undefined : data.votedDirectoryId === ZERO_DIRECTORY_ID ? { id: data.votedId } : { id: data.votedId, directoryId: data.votedDirectoryId };
  return electionState(data.leaderEpoch, data.leaderId === QUORUM_STATE_NO_ID ? undefined : data.leaderId, votedKey);
}

/** What the replica starts from: undefined when no `quorum-state` was ever written (a new replica). */
export function readElectionState(store: QuorumStateStore): ElectionState | undefined {
  const data = store.read();
  return data === null ? undefined : electionStateOf(data);
}
