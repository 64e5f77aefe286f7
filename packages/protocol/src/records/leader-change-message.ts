/**
 * KRaft's LeaderChangeMessage (KIP-595; Kafka's `LeaderChangeMessage.json`, version 0, flexible from 0):
 * the value of the LEADER_CHANGE control record a new Raft leader appends at the start of its epoch. The
 * leader's high watermark moves only once a majority holds this record (kraft-quorum reference, section 3).
 *
 * Flexible versions use unsigned varints (no zigzag) for compact array lengths (N + 1, 0 = null) and for
 * tagged fields, which end every struct:
 *
 * ```
 * Version         int16                    0
 * LeaderId        int32
 * Voters          uvarint N+1, then N x (VoterId int32, tagged fields uvarint)
 * GrantingVoters  uvarint N+1, then N x (VoterId int32, tagged fields uvarint)
 * tagged fields   uvarint count, then count x (tag uvarint, size uvarint, size bytes)
 * ```
 *
 * We write no tagged fields; on read, unknown ones are skipped, as Kafka's generated readers do. Every
 * count and size is checked against the bytes that remain before anything is read or allocated.
 */
import { writeInt16BE, writeInt32BE } from './bytes.js';
import { ControlMessageReader } from './control-message-reader.js';
import { encodeControlBatch } from './control-records.js';

/** Kafka's `ControlRecordUtils.LEADER_CHANGE_CURRENT_VERSION`. */
export const LEADER_CHANGE_MESSAGE_VERSION = 0;

/** Kafka's `Voter` struct (the field names follow the schema, so the Raft core's message encodes as is). */
export interface LeaderChangeVoter {
  readonly voterId: number;
}

export interface LeaderChangeMessage {
  readonly version: number;
  readonly leaderId: number;
  /** The quorum's voters for this epoch. */
  readonly voters: readonly LeaderChangeVoter[];
  /** The voters that granted the leader their vote at its election. */
  readonly grantingVoters: readonly LeaderChangeVoter[];
}

/** VoterId int32 and an empty tagged-field count: the smallest a voter entry can be. */
const MIN_VOTER_ENTRY_BYTES = 5;
const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

function sizeOfUnsignedVarint(value: number): number {
  let size = 1;
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) size++;
  return size;
}

function writeUnsignedVarint(bytes: Uint8Array, position: number, value: number): number {
  let p = position;
  let rest = value >>> 0;
  while (rest > 0x7f) {
    bytes[p++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  bytes[p++] = rest;
  return p;
}

function checkInt32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) throw new RangeError(`${what} ${value} is not an int32`);
}

function sizeOfVoters(voters: readonly LeaderChangeVoter[]): number {
  return sizeOfUnsignedVarint(voters.length + 1) + voters.length * MIN_VOTER_ENTRY_BYTES;
}

function writeVoters(bytes: Uint8Array, position: number, voters: readonly LeaderChangeVoter[]): number {
  let p = writeUnsignedVarint(bytes, position, voters.length + 1);
  for (const { voterId } of voters) {
    writeInt32BE(bytes, p, voterId);
    bytes[p + 4] = 0; // no tagged fields
    p += MIN_VOTER_ENTRY_BYTES;
  }
  return p;
}

export function encodeLeaderChangeMessage(message: LeaderChangeMessage): Uint8Array {
  if (!Number.isInteger(message.version) || message.version < -0x8000 || message.version > 0x7fff) {
    throw new RangeError(`LeaderChangeMessage version ${message.version} is not an int16`);
  }
  checkInt32(message.leaderId, 'LeaderChangeMessage leaderId');
  for (const { voterId } of [...message.voters, ...message.grantingVoters]) checkInt32(voterId, 'LeaderChangeMessage voterId');
  const bytes = new Uint8Array(2 + 4 + sizeOfVoters(message.voters) + sizeOfVoters(message.grantingVoters) + 1);
  writeInt16BE(bytes, 0, message.version);
  writeInt32BE(bytes, 2, message.leaderId);
  let p = writeVoters(bytes, 6, message.voters);
  p = writeVoters(bytes, p, message.grantingVoters);
  bytes[p] = 0; // no tagged fields
  return bytes;
}

function readVoters(reader: ControlMessageReader, field: string): LeaderChangeVoter[] {
  const count = reader.compactArrayLength(field, MIN_VOTER_ENTRY_BYTES);
  const voters: LeaderChangeVoter[] = [];
  for (let i = 0; i < count; i++) {
    voters.push({ voterId: reader.int32(`${field}[${i}]`) });
    reader.skipTaggedFields(`${field}[${i}]`);
  }
  return voters;
}

/** Reads a LEADER_CHANGE control record's value; throws `ControlRecordError` (INVALID_RECORD) on bad bytes. */
export function decodeLeaderChangeMessage(bytes: Uint8Array): LeaderChangeMessage {
  const reader = new ControlMessageReader(bytes, 'LeaderChangeMessage');
  reader.need(6, 'Version and LeaderId');
  const version = reader.int16('Version');
  const leaderId = reader.int32('LeaderId');
  const voters = readVoters(reader, 'Voters');
  const grantingVoters = readVoters(reader, 'GrantingVoters');
  reader.skipTaggedFields('the message');
  reader.finish();
  return { version, leaderId, voters, grantingVoters };
}

export interface EncodeLeaderChangeBatchOptions {
  /** The new leader's epoch, stamped as the batch's partitionLeaderEpoch. */
  leaderEpoch: number;
  /** The epoch start offset (the leader's log end offset when it was elected). */
  baseOffset: number;
  timestampMs: number;
  leaderId: number;
  voters: readonly LeaderChangeVoter[];
  grantingVoters: readonly LeaderChangeVoter[];
}

/** The start-of-epoch control batch: one LEADER_CHANGE record (Kafka's `MemoryRecords.withLeaderChangeMessage`). */
export function encodeLeaderChangeBatch(options: EncodeLeaderChangeBatchOptions): Uint8Array {
  const value = encodeLeaderChangeMessage({
    version: LEADER_CHANGE_MESSAGE_VERSION,
    leaderId: options.leaderId,
    voters: options.voters,
    grantingVoters: options.grantingVoters,
  });
  return encodeControlBatch({
    records: [{ type: 'LEADER_CHANGE', value }],
    timestampMs: options.timestampMs,
    baseOffset: options.baseOffset,
    partitionLeaderEpoch: options.leaderEpoch,
  });
}
