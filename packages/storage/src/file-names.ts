/**
 * Names in a data directory, as Kafka lays them out: one folder per partition (`<topic>-<partition>`),
 * segment files named by their base offset in 20 digits.
 */
import path from 'node:path';

export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
/** Temporary files of atomic writes; left over only by a crash, deleted at load. */
export const TEMP_FILE_SUFFIX = '.tmp';
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const PARTITION_METADATA_FILE = 'partition.metadata';
export const RECOVERY_POINT_FILE = 'recovery-point';
/** The log start offset when it is above the first segment's base (Kafka keeps it in `log-start-offset-checkpoint`). */
export const LOG_START_OFFSET_FILE = 'log-start-offset';
/** The partition's last checkpointed high watermark (Kafka keeps one `replication-offset-checkpoint` per log directory). */
export const HIGH_WATERMARK_CHECKPOINT_FILE = 'replication-offset-checkpoint';
/** Kafka's name for the leader-epoch cache's checkpoint (KIP-101). */
export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
/** Kafka's name for a KRaft replica's election state (epoch, leader, vote), in the `__cluster_metadata-0` folder. */
export const QUORUM_STATE_FILE = 'quorum-state';

const OFFSET_DIGITS = 20;

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * Splits `<topic>-<partition>` on the last dash (topic names may contain dashes and dots). Null for
 * names that are not partition folders.
 */
export function parsePartitionDirName(name: string): { topic: string; partition: number } | null {
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return null;
  const digits = name.slice(dash + 1);
  if (!/^(0|[1-9][0-9]{0,9})$/.test(digits)) return null;
  const partition = Number(digits);
  if (partition > 0x7fff_ffff) return null;
  return { topic: name.slice(0, dash), partition };
}

export function segmentFileName(baseOffset: number, suffix: string): string {
  return String(baseOffset).padStart(OFFSET_DIGITS, '0') + suffix;
}

/** The base offset of a segment file name with `suffix`, or null for other files. */
export function parseSegmentFileName(name: string, suffix: string): number | null {
  if (!name.endsWith(suffix)) return null;
  const digits = name.slice(0, -suffix.length);
  if (digits.length !== OFFSET_DIGITS || !/^[0-9]+$/.test(digits)) return null;
  const offset = Number(digits);
  return Number.isSafeInteger(offset) ? offset : null;
}

export function segmentPaths(dir: string, baseOffset: number): { logPath: string; indexPath: string } {
  return {
    logPath: path.join(dir, segmentFileName(baseOffset, LOG_FILE_SUFFIX)),
    indexPath: path.join(dir, segmentFileName(baseOffset, INDEX_FILE_SUFFIX)),
  };
}
