/**
 * The values of the small control records (the LeaderChangeMessage has its own file):
 *
 * ```
 * EndTxnMarker (ABORT, COMMIT)   version int16 (0), CoordinatorEpoch int32            not flexible
 * SnapshotHeaderRecord           Version int16 (0), LastContainedLogTimestamp int64, tagged fields
 * SnapshotFooterRecord           Version int16 (0), tagged fields
 * KRaftVersionRecord             Version int16 (0), KRaftVersion int16, tagged fields
 * ```
 *
 * Kafka's `EndTransactionMarker` writes the version before the EndTxnMarker message and reads any value of
 * at least 6 bytes (a newer version may append fields); the others are flexible data messages (KIP-630,
 * KIP-853) whose unknown tagged fields are skipped. Bad bytes throw `ControlRecordError` (INVALID_RECORD).
 */
import { writeInt16BE, writeInt32BE, writeInt64BE } from './bytes.js';
import { ControlMessageReader } from './control-message-reader.js';

/** Kafka's `EndTransactionMarker.CURRENT_END_TXN_MARKER_VERSION`. */
export const END_TXN_MARKER_VERSION = 0;
const END_TXN_MARKER_SIZE = 6;

export interface EndTxnMarker {
  version: number;
  /** The transaction coordinator's epoch when it wrote the marker (fences zombie coordinators). */
  coordinatorEpoch: number;
}

export interface SnapshotHeaderRecord {
  version: number;
  /** The append time of the last log record the snapshot contains. */
  lastContainedLogTimestampMs: number;
}

export interface SnapshotFooterRecord {
  version: number;
}

export interface KRaftVersionRecord {
  version: number;
  /** The kraft.version feature level (0: static quorum, 1: KIP-853's dynamic quorum). */
  kraftVersion: number;
}

function checkInt16(value: number, what: string): void {
  if (!Number.isInteger(value) || value < -0x8000 || value > 0x7fff) throw new RangeError(`${what} ${value} is not an int16`);
}

export function encodeEndTxnMarker(marker: EndTxnMarker): Uint8Array {
  checkInt16(marker.version, 'EndTxnMarker version');
  if (!Number.isInteger(marker.coordinatorEpoch) || marker.coordinatorEpoch < -0x8000_0000 || marker.coordinatorEpoch > 0x7fff_ffff) {
    throw new RangeError(`EndTxnMarker coordinatorEpoch ${marker.coordinatorEpoch} is not an int32`);
  }
  const bytes = new Uint8Array(END_TXN_MARKER_SIZE);
  writeInt16BE(bytes, 0, marker.version);
  writeInt32BE(bytes, 2, marker.coordinatorEpoch);
  return bytes;
}

export function decodeEndTxnMarker(bytes: Uint8Array): EndTxnMarker {
  const reader = new ControlMessageReader(bytes, 'EndTxnMarker');
  reader.need(END_TXN_MARKER_SIZE, 'version and CoordinatorEpoch');
  const version = reader.int16('version');
  if (version < 0) throw reader.fail(`has the negative version ${version}`);
  return { version, coordinatorEpoch: reader.int32('CoordinatorEpoch') };
}

export function encodeSnapshotHeaderRecord(record: SnapshotHeaderRecord): Uint8Array {
  checkInt16(record.version, 'SnapshotHeaderRecord version');
  if (!Number.isSafeInteger(record.lastContainedLogTimestampMs)) {
    throw new RangeError(`SnapshotHeaderRecord lastContainedLogTimestampMs ${record.lastContainedLogTimestampMs} is not an integer`);
  }
  const bytes = new Uint8Array(2 + 8 + 1);
  writeInt16BE(bytes, 0, record.version);
  writeInt64BE(bytes, 2, record.lastContainedLogTimestampMs);
  bytes[10] = 0; // no tagged fields
  return bytes;
}

export function decodeSnapshotHeaderRecord(bytes: Uint8Array): SnapshotHeaderRecord {
  const reader = new ControlMessageReader(bytes, 'SnapshotHeaderRecord');
  const version = reader.int16('Version');
  const lastContainedLogTimestampMs = reader.int64('LastContainedLogTimestamp');
  reader.skipTaggedFields('the message');
  reader.finish();
  return { version, lastContainedLogTimestampMs };
}

export function encodeSnapshotFooterRecord(record: SnapshotFooterRecord): Uint8Array {
  checkInt16(record.version, 'SnapshotFooterRecord version');
  const bytes = new Uint8Array(2 + 1);
  writeInt16BE(bytes, 0, record.version);
  return bytes;
}

export function decodeSnapshotFooterRecord(bytes: Uint8Array): SnapshotFooterRecord {
  const reader = new ControlMessageReader(bytes, 'SnapshotFooterRecord');
  const version = reader.int16('Version');
  reader.skipTaggedFields('the message');
  reader.finish();
  return { version };
}

export function encodeKRaftVersionRecord(record: KRaftVersionRecord): Uint8Array {
  checkInt16(record.version, 'KRaftVersionRecord version');
  checkInt16(record.kraftVersion, 'KRaftVersionRecord kraftVersion');
  const bytes = new Uint8Array(2 + 2 + 1);
  writeInt16BE(bytes, 0, record.version);
  writeInt16BE(bytes, 2, record.kraftVersion);
  return bytes;
}

export function decodeKRaftVersionRecord(bytes: Uint8Array): KRaftVersionRecord {
  const reader = new ControlMessageReader(bytes, 'KRaftVersionRecord');
  const version = reader.int16('Version');
  const kraftVersion = reader.int16('KRaftVersion');
  reader.skipTaggedFields('the message');
  reader.finish();
  return { version, kraftVersion };
}
