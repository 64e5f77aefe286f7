/**
 * Who takes part in the quorum: Kafka's ReplicaKey (id plus optional directory id, KIP-853) and the static voter set
 * from `controller.quorum.voters`. Everyone else that fetches (the brokers) is an observer.
 */

export interface ReplicaKey {
  readonly id: number;
  /** The replica's log directory id (KIP-853); absent for a static quorum or an old peer. */
  readonly directoryId?: string;
}

export interface VoterNode {
  readonly id: number;
  readonly directoryId?: string;
  /** Where the voter listens (`host:port` per listener); empty when unknown. */
  readonly endpoints: readonly string[];
}

export type VoterSet = readonly VoterNode[];

export function replicaKey(id: number, directoryId?: string): ReplicaKey {
  return directoryId === undefined ? { id } : { id, directoryId };
}

export function voterIds(voters: VoterSet): number[] {
  return voters.map((voter) => voter.id);
}

export function isVoterId(voters: VoterSet, id: number | undefined): boolean {
  return id !== undefined && voters.some((voter) => voter.id === id);
}

/** A voter's endpoints, empty if it is not a voter (a leader outside the voter set cannot be fetched from). */
export function voterEndpoints(voters: VoterSet, id: number): readonly string[] {
  return voters.find((voter) => voter.id === id)?.endpoints ?? [];
}

/** ⌊n/2⌋ + 1 of the voters (CandidateState, LeaderState). */
export function majoritySize(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

/** The same replica: same id, and same directory id when both sides know one. */
export function sameReplica(recorded: ReplicaKey, candidate: ReplicaKey): boolean {
  if (recorded.id !== candidate.id) return false;
  return recorded.directoryId === undefined || recorded.directoryId === candidate.directoryId;
}
