/**
 * The small files beside a partition's segments, each replaced atomically (write a temporary file,
 * fsync it, rename it over the old one, fsync the folder) so that a crash leaves the old or the new
 * content, never a mix:
 * - `partition.metadata`: `version: 0` and `topic_id: <id>` lines, as Kafka writes them, so that the
 *   folder of a deleted-and-recreated topic is recognised as stale.
 * - `recovery-point`: the offset below which the log is known to be flushed, in Kafka's checkpoint
 *   format (`0`, `1`, `<topic> <partition> <offset>`); recovery starts at the segment holding it.
 * - `replication-offset-checkpoint`: the high watermark as of the last checkpoint, in the same format, so that a
 *   restarted replica never takes its log end for committed.
 */
import path from 'node:path';
import { HIGH_WATERMARK_CHECKPOINT_FILE, LOG_START_OFFSET_FILE, PARTITION_METADATA_FILE, RECOVERY_POINT_FILE, TEMP_FILE_SUFFIX } from './file-names.js';
import { fsyncDirectory, OPEN_WRITE_CREATE_TRUNCATE, writeFully, type StorageFs } from './storage-fs.js';

const CHECKPOINT_VERSION = 0;
const PARTITION_METADATA_VERSION = 0;

export function writeFileAtomically(fs: StorageFs, filePath: string, content: string): void {
  const temporary = filePath + TEMP_FILE_SUFFIX;
  const fd = fs.openSync(temporary, OPEN_WRITE_CREATE_TRUNCATE);
  try {
    writeFully(fs, fd, new TextEncoder().encode(content), 0);
    fs.fsyncSync(fd);
  } catch (cause) {
    fs.closeSync(fd);
    // A full disk: the old file stays as it was, and the half-written temporary goes (a load would remove it too).
    fs.rmSync(temporary, { recursive: true, force: true });
    throw cause;
  }
  fs.closeSync(fd);
  fs.renameSync(temporary, filePath);
  fsyncDirectory(fs, path.dirname(filePath));
}

function readOptional(fs: StorageFs, filePath: string): string | null {
  if (!fs.existsSync(filePath)) return null;
  return fs.readFileSync(filePath, 'utf8');
}

/** One offset of a partition in Kafka's checkpoint format (`0`, `1`, `<topic> <partition> <offset>`). */
function writeOffsetCheckpoint(fs: StorageFs, dir: string, file: string, topic: string, partition: number, offset: number): void {
  writeFileAtomically(fs, path.join(dir, file), `${CHECKPOINT_VERSION}\n1\n${topic} ${partition} ${offset}\n`);
}

/** The offset of a checkpoint file, or null when the file is missing or unreadable. */
function readOffsetCheckpoint(fs: StorageFs, dir: string, file: string): number | null {
  const content = readOptional(fs, path.join(dir, file));
  if (content === null) return null;
  const lines = content.split('\n');
  if (lines[0] !== String(CHECKPOINT_VERSION) || lines[1] !== '1') return null;
  const fields = (lines[2] ?? '').split(' ');
  const offset = Number(fields[fields.length - 1]);
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : null;
}

export function writeRecoveryPoint(fs: StorageFs, dir: string, topic: string, partition: number, offset: number): void {
  writeOffsetCheckpoint(fs, dir, RECOVERY_POINT_FILE, topic, partition, offset);
}

/** The recovery point, or null when the file is missing or unreadable (then everything is recovered). */
export function readRecoveryPoint(fs: StorageFs, dir: string): number | null {
  return readOffsetCheckpoint(fs, dir, RECOVERY_POINT_FILE);
}

export function writeHighWatermarkCheckpoint(fs: StorageFs, dir: string, topic: string, partition: number, offset: number): void {
  writeOffsetCheckpoint(fs, dir, HIGH_WATERMARK_CHECKPOINT_FILE, topic, partition, offset);
}

/** The checkpointed high watermark, or null when the file is missing or unreadable. */
export function readHighWatermarkCheckpoint(fs: StorageFs, dir: string): number | null {
  return readOffsetCheckpoint(fs, dir, HIGH_WATERMARK_CHECKPOINT_FILE);
}

export function writeLogStartOffset(fs: StorageFs, dir: string, topic: string, partition: number, offset: number): void {
  writeOffsetCheckpoint(fs, dir, LOG_START_OFFSET_FILE, topic, partition, offset);
}

/** The stored log start offset, or 0 when the file is missing or unreadable (then the first segment's base is the start). */
export function readLogStartOffset(fs: StorageFs, dir: string): number {
  return readOffsetCheckpoint(fs, dir, LOG_START_OFFSET_FILE) ?? 0;
}

export function writePartitionMetadata(fs: StorageFs, dir: string, topicId: string): void {
  writeFileAtomically(fs, path.join(dir, PARTITION_METADATA_FILE), `version: ${PARTITION_METADATA_VERSION}\ntopic_id: ${topicId}\n`);
}

/** The topic id in `partition.metadata`, or null when the file is missing or unreadable. */
export function readPartitionMetadata(fs: StorageFs, dir: string): string | null {
  const content = readOptional(fs, path.join(dir, PARTITION_METADATA_FILE));
  if (content === null) return null;
  const fields = new Map<string, string>();
  for (const line of content.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  if (fields.get('version') !== String(PARTITION_METADATA_VERSION)) return null;
  const topicId = fields.get('topic_id');
  return topicId === undefined || topicId === '' ? null : topicId;
}
