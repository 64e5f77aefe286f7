/**
 * Every partition log of one data directory (Kafka's `LogManager`).
 *
 * At open it reads and deletes `.kafka_cleanshutdown` (its absence means the logs must be recovered
 * when opened) and lists the partition folders. `open()` loads or creates a log; `close()` closes them
 * all and writes the marker back. Every `log.flush.scheduler.interval.ms` on the injected clock it
 * fsyncs the logs whose unflushed data is older than their `flush.ms`.
 *
 * The marker is deleted (and the deletion fsynced) before any log is opened: if the process dies
 * while running, the next start must not trust segments that were being written.
 */
import path from 'node:path';
import type { Clock, TimerHandle } from '@kactor/runtime';
import { readPartitionMetadata, writeFileAtomically, writePartitionMetadata } from './checkpoint-files.js';
import { MAX_TIMER_DELAY_MS } from './constants.js';
import { FileLog } from './file-log.js';
import { KafkaStorageError } from './errors.js';
import { CLEAN_SHUTDOWN_FILE, parsePartitionDirName, partitionDirName } from './file-names.js';
import type { LogConfig, LogStore } from './log.js';
import { FileSnapshotStore } from './file-snapshot-store.js';
import { fsyncDirectory, systemFs, type StorageFs } from './storage-fs.js';
import { silentLogger, type StorageLogger } from './storage-logger.js';

export interface FileLogStoreOptions {
  clock: Clock;
  logger?: StorageLogger;
  /** log.flush.scheduler.interval.ms: how often `flush.ms` is checked; Kafka's default (Long.MAX_VALUE) never. */
  logFlushSchedulerIntervalMs: number;
  /** The file operations; tests pass a wrapper to count fsyncs or inject failures. */
  fs?: StorageFs;
}

export interface StoredLogInfo {
  topic: string;
  partition: number;
  topicId: string | null;
}

export class FileLogStore implements LogStore {
  readonly wasCleanShutdown: boolean;
  private readonly fs: StorageFs;
  private readonly clock: Clock;
  private readonly logger: StorageLogger;
  private readonly found: StoredLogInfo[];
  private readonly openLogs = new Map<string, { log: FileLog; topicId: string }>();
  private flushTimer: TimerHandle | null = null;
  private closed = false;

  constructor(
    readonly dataDir: string,
    private readonly options: FileLogStoreOptions,
  ) {
    this.fs = options.fs ?? systemFs;
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.fs.mkdirSync(dataDir, { recursive: true });
    const marker = path.join(dataDir, CLEAN_SHUTDOWN_FILE);
    this.wasCleanShutdown = this.fs.existsSync(marker);
    if (this.wasCleanShutdown) {
      this.fs.unlinkSync(marker);
      fsyncDirectory(this.fs, dataDir);
    }
    this.found = this.scanPartitionFolders();
    this.logger.info({ dataDir, logs: this.found.length, wasCleanShutdown: this.wasCleanShutdown }, 'opened the log directory');
    this.scheduleFlushCheck();
  }

  listLogs(): ReadonlyArray<StoredLogInfo> {
    return this.found;
  }

  snapshots(topic: string, partition: number): FileSnapshotStore {
    return new FileSnapshotStore(this.fs, path.join(this.dataDir, partitionDirName(topic, partition)));
  }

  /** The open log of a partition, if any. */
  get(topic: string, partition: number): FileLog | undefined {
    return this.openLogs.get(partitionDirName(topic, partition))?.log;
  }

  open(topic: string, partition: number, topicId: string, config: LogConfig): FileLog {
    if (this.closed) throw new Error(`the log store of ${this.dataDir} is closed`);
    const name = partitionDirName(topic, partition);
    const dir = path.join(this.dataDir, name);
    const alreadyOpen = this.openLogs.get(name);
    if (alreadyOpen !== undefined) {
      if (alreadyOpen.topicId === topicId) {
        alreadyOpen.log.updateConfig(config);
        return alreadyOpen.log;
      }
      alreadyOpen.log.close();
    }
    try {
      this.prepareFolder(dir, topic, partition, topicId);
    } catch (cause) {
      // A full disk: a new partition's folder cannot get its partition.metadata (it is adopted when it can).
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new KafkaStorageError(`preparing the folder of ${topic}-${partition} in ${this.dataDir} failed: ${message}`, { cause });
    }
    const log = FileLog.open(dir, topic, partition, config, {
      fs: this.fs,
      clock: this.clock,
      logger: this.logger,
      cleanShutdown: this.wasCleanShutdown,
      onClosed: (closedLog) => {
        if (this.openLogs.get(name)?.log === closedLog) this.openLogs.delete(name);
      },
    });
    this.openLogs.set(name, { log, topicId });
    return log;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.flushTimer !== null) this.clock.clearTimeout(this.flushTimer);
    this.flushTimer = null;
    let allFlushed = true;
    for (const { log } of [...this.openLogs.values()]) {
      try {
        log.close();
      } catch (cause) {
        // Every other log still closes; without the marker the next start recovers them all.
        allFlushed = false;
        this.logger.warn({ topic: log.topic, partition: log.partition, error: cause instanceof Error ? cause.message : String(cause) }, 'could not flush a log at close');
      }
    }
    if (!allFlushed) {
      this.logger.warn({ dataDir: this.dataDir }, 'closed the log directory without the clean-shutdown marker: the next start recovers the logs');
      return;
    }
    writeFileAtomically(this.fs, path.join(this.dataDir, CLEAN_SHUTDOWN_FILE), '');
    this.logger.info({ dataDir: this.dataDir }, 'closed the log directory cleanly');
  }

  toJSON(): { dataDir: string; openLogs: number; wasCleanShutdown: boolean } {
    return { dataDir: this.dataDir, openLogs: this.openLogs.size, wasCleanShutdown: this.wasCleanShutdown };
  }

  /**
   * Makes sure the partition folder exists and belongs to `topicId`. A folder of another topic id is
   * what a deleted-and-recreated topic leaves behind: its data must not reappear, so it is removed.
   * A folder without metadata (a crash right after creating it) is adopted.
   */
  private prepareFolder(dir: string, topic: string, partition: number, topicId: string): void {
    if (this.fs.existsSync(dir)) {
      const storedTopicId = readPartitionMetadata(this.fs, dir);
      if (storedTopicId === topicId) return;
      if (storedTopicId !== null) {
        this.logger.warn({ topic, partition, storedTopicId, topicId }, 'removed the folder of an older topic with the same name');
        this.fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    this.fs.mkdirSync(dir, { recursive: true });
    writePartitionMetadata(this.fs, dir, topicId);
    fsyncDirectory(this.fs, this.dataDir);
  }

  private scanPartitionFolders(): StoredLogInfo[] {
    const found: StoredLogInfo[] = [];
    for (const name of this.fs.readdirSync(this.dataDir).sort()) {
      const parsed = parsePartitionDirName(name);
      if (parsed === null) continue;
      const dir = path.join(this.dataDir, name);
      found.push({ ...parsed, topicId: readPartitionMetadata(this.fs, dir) });
    }
    return found;
  }

  private scheduleFlushCheck(): void {
    const intervalMs = this.options.logFlushSchedulerIntervalMs;
    // 0 would re-arm forever at one instant (Kafka's scheduler refuses a period of 0 as well).
    if (!(intervalMs >= 1 && intervalMs < MAX_TIMER_DELAY_MS)) return;
    this.flushTimer = this.clock.setTimeout(() => {
      this.flushTimer = null;
      if (this.closed) return;
      this.flushDirtyLogs();
      this.scheduleFlushCheck();
    }, intervalMs);
  }

  /** Kafka's `LogManager.flushDirtyLogs`: fsync logs whose unflushed data is older than `flush.ms`. */
  private flushDirtyLogs(): void {
    const nowMs = this.clock.now();
    for (const { log } of this.openLogs.values()) {
      if (log.unflushedMessages > 0 && nowMs - log.lastFlushTimeMs >= log.config.flushMs) {
        try {
          log.flush();
        } catch (cause) {
          this.logger.warn({ topic: log.topic, partition: log.partition, error: String(cause) }, 'a scheduled flush failed');
        }
      }
    }
  }
}
