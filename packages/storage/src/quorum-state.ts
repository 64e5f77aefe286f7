/**
 * A KRaft replica's election state as it is kept on disk: Kafka's `QuorumStateData` (version 1, the version
 * Kafka writes when `kraft.version` is 1) plus its `data_version`, as one line of JSON:
 *
 * ```json
 * {"leaderId":-1,"leaderEpoch":2,"votedId":1,"votedDirectoryId":"AAAAAAAAAAAAAAAAAAAAAA","data_version":1}
 * ```
 *
 * A replica writes it before a new epoch, leader or vote takes effect and before it answers a vote (KIP-595), so a
 * restarted replica never votes twice in an epoch nor forgets an epoch it has seen. Anything but this exact shape is
 * refused with KafkaStorageError, as Kafka's `FileQuorumStateStore` refuses it: guessing could let a replica vote
 * twice in an epoch.
 */
import { KafkaStorageError } from './errors.js';

/** The version of `QuorumStateData` kactor writes and reads (Kafka writes 0 only with `kraft.version` 0). */
export const QUORUM_STATE_DATA_VERSION = 1;
/** Kafka's default for an unknown leader and for no vote. */
export const QUORUM_STATE_NO_ID = -1;
/** Kafka's `Uuid.ZERO_UUID`: no directory id (a static quorum, or no vote). */
export const ZERO_DIRECTORY_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Kafka's QuorumStateData v1, field for field. */
export interface QuorumStateData {
  /** The leader of `leaderEpoch`, or -1 when it is not known. */
  readonly leaderId: number;
  /** The latest epoch this replica has seen (0 for a new replica). */
  readonly leaderEpoch: number;
  /** The replica this one voted for in `leaderEpoch`, or -1. Since KIP-996 a Follower keeps it, so it may be set with a leader. */
  readonly votedId: number;
  /** The directory id of the replica voted for (KIP-853), or the zero UUID. */
  readonly votedDirectoryId: string;
}

/** An election state that no replica may write: an id or epoch out of range, a malformed directory id. */
export class InvalidQuorumStateError extends Error {
  override readonly name = 'InvalidQuorumStateError';
}

const INT32_MAX = 2_147_483_647;
const kafkaUuidPattern = /^[A-Za-z0-9_-]{22}$/;

/** Why `state` cannot be stored, or null when it can. */
function problemWith(state: Record<string, unknown>): string | null {
  for (const field of ['leaderId', 'votedId'] as const) {
    const value = state[field];
    if (!Number.isInteger(value) || (value as number) < QUORUM_STATE_NO_ID || (value as number) > INT32_MAX) return `${field} ${JSON.stringify(value)} is not a node id or -1`;
  }
  const epoch = state.leaderEpoch;
  if (!Number.isInteger(epoch) || (epoch as number) < 0 || (epoch as number) > INT32_MAX) return `leaderEpoch ${JSON.stringify(epoch)} is not an epoch (0 to ${INT32_MAX})`;
  const directoryId = state.votedDirectoryId;
  if (typeof directoryId !== 'string' || !kafkaUuidPattern.test(directoryId)) return `votedDirectoryId ${JSON.stringify(directoryId)} is not a Kafka UUID`;
  return null;
}

/** Asserts that `state` may be stored; a caller that breaks it has a bug (InvalidQuorumStateError). */
export function assertValidQuorumState(state: QuorumStateData): void {
  const problem = problemWith(state as unknown as Record<string, unknown>);
  if (problem !== null) throw new InvalidQuorumStateError(`invalid quorum state: ${problem}`);
}

/** The file's content for `state`: Kafka's field order, one line, no newline (as Kafka writes it). */
export function formatQuorumState(state: QuorumStateData): string {
  assertValidQuorumState(state);
  return JSON.stringify({
    leaderId: state.leaderId,
    leaderEpoch: state.leaderEpoch,
    votedId: state.votedId,
    votedDirectoryId: state.votedDirectoryId,
    data_version: QUORUM_STATE_DATA_VERSION,
  });
}

/** Parses the file's content (its first line, as Kafka reads it); anything else is a KafkaStorageError naming `source`. */
export function parseQuorumState(content: string, source: string): QuorumStateData {
  const corrupt = (why: string) => new KafkaStorageError(`the quorum state ${source} is corrupt: ${why}`);
  const line = content.split('\n', 1)[0] ?? '';
  if (line.trim() === '') throw corrupt('it is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (cause) {
    throw new KafkaStorageError(`the quorum state ${source} is corrupt: it is not JSON (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw corrupt('it is not a JSON object');
  const fields = parsed as Record<string, unknown>;
  if (!('data_version' in fields)) throw corrupt('it has no data_version');
  if (fields.data_version !== QUORUM_STATE_DATA_VERSION) throw corrupt(`data_version ${JSON.stringify(fields.data_version)} is not ${QUORUM_STATE_DATA_VERSION}`);
  const problem = problemWith(fields);
  if (problem !== null) throw corrupt(problem);
  return { leaderId: fields.leaderId as number, leaderEpoch: fields.leaderEpoch as number, votedId: fields.votedId as number, votedDirectoryId: fields.votedDirectoryId as string };
}
