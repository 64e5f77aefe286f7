/**
 * Where a leader-epoch cache keeps its entries: the `leader-epoch-checkpoint` file in the partition's
 * folder, in Kafka's checkpoint format (a `0` version line, a count line, then `epoch startOffset`
 * lines), replaced atomically (temporary file, fsync, rename, fsync of the folder); or memory, for the
 * memory log of the simulator, where the entries outlive a simulated restart as the file does.
 */
import path from 'node:path';
import { writeFileAtomically } from './checkpoint-files.js';
import { KafkaStorageError } from './errors.js';
import { LEADER_EPOCH_CHECKPOINT_FILE } from './file-names.js';
import type { EpochEntry, LeaderEpochCheckpoint } from './leader-epoch-cache.js';
import type { StorageFs } from './storage-fs.js';

const CHECKPOINT_VERSION = 0;

/** The file's content for `entries`. */
export function formatLeaderEpochCheckpoint(entries: readonly EpochEntry[]): string {
  const lines = [String(CHECKPOINT_VERSION), String(entries.length), ...entries.map((entry) => `${entry.epoch} ${entry.startOffset}`)];
  return lines.join('\n') + '\n';
}

/**
 * Parses the file's content. Anything but the exact format (a torn write, a garbled line, a count that
 * does not match) is refused with KafkaStorageError, as Kafka's `CheckpointFile` refuses it: guessing
 * would let a follower truncate by wrong epochs.
 */
export function parseLeaderEpochCheckpoint(content: string, source: string): EpochEntry[] {
  const malformed = (why: string) => new KafkaStorageError(`the leader epoch checkpoint ${source} is malformed: ${why}`);
  const lines = content.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== String(CHECKPOINT_VERSION)) throw malformed(`version line "${lines[0] ?? ''}" is not ${CHECKPOINT_VERSION}`);
  if (lines[1] === undefined || !/^(0|[1-9][0-9]*)$/.test(lines[1])) throw malformed(`count line "${lines[1] ?? ''}" is not a count`);
  const count = Number(lines[1]);
  const entryLines = lines.slice(2);
  if (entryLines.length !== count) throw malformed(`expected ${count} entries but found ${entryLines.length}`);
  return entryLines.map((line, i) => {
    const match = /^(0|[1-9][0-9]*) (0|[1-9][0-9]*)$/.exec(line);
    const entry = match === null ? null : { epoch: Number(match[1]), startOffset: Number(match[2]) };
    if (entry === null || !Number.isSafeInteger(entry.epoch) || !Number.isSafeInteger(entry.startOffset) || entry.epoch > 2_147_483_647) {
      throw malformed(`line ${i + 3} "${line}" is not "epoch startOffset"`);
    }
    return entry;
  });
}

/** The `leader-epoch-checkpoint` file of the partition folder `dir`. */
export class LeaderEpochCheckpointFile implements LeaderEpochCheckpoint {
  readonly path: string;

  constructor(
    private readonly fs: StorageFs,
    dir: string,
  ) {
    this.path = path.join(dir, LEADER_EPOCH_CHECKPOINT_FILE);
  }

  /** The entries, or none when there is no file yet. */
  read(): EpochEntry[] {
    if (!this.fs.existsSync(this.path)) return [];
    return parseLeaderEpochCheckpoint(this.fs.readFileSync(this.path, 'utf8'), this.path);
  }

  /** Replaces the file atomically; a failure (a full disk) leaves the old file whole and throws KafkaStorageError. */
  write(entries: readonly EpochEntry[]): void {
    try {
      writeFileAtomically(this.fs, this.path, formatLeaderEpochCheckpoint(entries));
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new KafkaStorageError(`writing the leader epoch checkpoint ${this.path} failed: ${message}`, { cause });
    }
  }
}

/** Entries kept in memory (the memory log's "disk"): hand the same object to the cache after a simulated restart. */
export class MemoryLeaderEpochCheckpoint implements LeaderEpochCheckpoint {
  private entries: EpochEntry[] = [];

  read(): EpochEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  write(entries: readonly EpochEntry[]): void {
    this.entries = entries.map((entry) => ({ ...entry }));
  }
}
