/**
 * The randomized timers of a KRaft election (KafkaRaftClient, QuorumState, LeaderState). Randomness is passed in as
 * Java's `Random.nextInt(bound)`: a function answering an integer in [0, bound), so tests and the simulation are
 * deterministic.
 */

/** An integer in [0, boundExclusive), like `java.util.Random.nextInt(bound)`. */
export type RandomInt = (boundExclusive: number) => number;

/** Candidate backoff grows from 100 ms units (KafkaRaftClient.RETRY_BACKOFF_BASE_MS). */
export const RETRY_BACKOFF_BASE_MS = 100;

/** Election timeout uniform in [T, 2T) so that voters rarely time out together; 0 stays 0. */
export function randomElectionTimeoutMs(electionTimeoutMs: number, random: RandomInt): number {
  if (electionTimeoutMs === 0) return 0;
  return electionTimeoutMs + random(electionTimeoutMs);
}

/**
 * Backoff after a lost election: `min(100 ms x random(2 << min(20, retries - 1)), election.backoff.max.ms)`.
 * `retries` counts the rounds since this replica last had a leader, starting at 1.
 */
export function binaryExponentialElectionBackoffMs(retries: number, electionBackoffMaxMs: number, random: RandomInt): number {
  if (retries <= 0) throw new RangeError(`retries must be positive, got ${retries}`);
  return Math.min(RETRY_BACKOFF_BASE_MS * random(2 << Math.min(20, retries - 1)), electionBackoffMaxMs);
}

/**
 * A follower told by EndQuorumEpoch that its leader resigned waits by its rank in the preferred successors
 * (`position` = index in the list, 0 first): the first starts an election at once, the others wait
 * `min(max, (max >> (n-1)) << (position-1))`, and a replica the list does not name waits the whole
 * `election.backoff.max.ms` (KafkaRaftClient.strictExponentialElectionBackoffMs), so the most caught-up voter
 * usually wins.
 */
export function endEpochElectionBackoffMs(preferredSuccessors: readonly number[], localId: number, electionBackoffMaxMs: number): number {
  const position = preferredSuccessors.indexOf(localId);
  const count = preferredSuccessors.length;
  if (position === 0) return 0;
  if (position < 0 || position >= count) return electionBackoffMaxMs;
  return Math.min(electionBackoffMaxMs, (electionBackoffMaxMs >> (count - 1)) << (position - 1));
}

/** A leader resigns when no majority fetched within 1.5 x `controller.quorum.fetch.timeout.ms`. */
export function checkQuorumTimeoutMs(fetchTimeoutMs: number): number {
  return Math.floor(fetchTimeoutMs * 1.5);
}

/** A leader re-sends BeginQuorumEpoch to voters that have not fetched every fetch timeout / 2. */
export function beginQuorumEpochTimeoutMs(fetchTimeoutMs: number): number {
  return Math.floor(fetchTimeoutMs / 2);
}
