/**
 * The in-memory counterpart of `FileLogStore`, for simulations. Its logs live on a `MemoryDisk` that
 * outlives the store, so a simulated broker can restart and find its data:
 *
 * ```ts
 * const store = new MemoryLogStore({ clock, logFlushSchedulerIntervalMs });
 * const log = store.open('orders', 0, topicId, config);
 * // a crash: the old process stops, a new one opens the same disk
 * const restarted = store.reopen({ loseUnflushedData: false }); // restarted.wasCleanShutdown === false
 * ```
 *
 * `close()` leaves the clean-shutdown marker like the file store; `reopen()` without a close is a crash.
 * With `loseUnflushedData` the crash is a power loss: everything above each log's recovery point
 * (last flush or roll) disappears, which lets simulations test that replication, not fsync, keeps
 * acknowledged data.
 */
import type { Clock, TimerHandle } from '@kactor/runtime';
import { MAX_TIMER_DELAY_MS } from './constants.js';
import { partitionDirName } from './file-names.js';
import type { LogConfig, LogStore } from './log.js';
import { dropUnflushed, emptyMemoryLogData, MemoryLog, type MemoryLogData } from './memory-log.js';
import { MemorySnapshotStore, type MemorySnapshots } from './memory-snapshot-store.js';

interface StoredMemoryLog {
  topic: string;
  partition: number;
  topicId: string;
  data: MemoryLogData;
}

/** What a data directory holds, in memory: the logs, their snapshots (KIP-630) and the clean-shutdown marker. */
export class MemoryDisk {
  readonly logs = new Map<string, StoredMemoryLog>();
  /** Frozen snapshots per partition folder name. */
  readonly snapshots = new Map<string, MemorySnapshots>();
  cleanShutdownMarker = false;
}

export interface MemoryLogStoreOptions {
  clock: Clock;
  /** log.flush.scheduler.interval.ms, as for the file store; omitted or ≥ 2^31 means never. */
  logFlushSchedulerIntervalMs?: number;
}

export class MemoryLogStore implements LogStore {
  readonly wasCleanShutdown: boolean;
  readonly disk: MemoryDisk;
  private readonly found: ReadonlyArray<{ topic: string; partition: number; topicId: string | null }>;
  private readonly openLogs = new Map<string, { log: MemoryLog; topicId: string }>();
  private flushTimer: TimerHandle | null = null;
  private closed = false;

  constructor(
    private readonly options: MemoryLogStoreOptions,
    disk: MemoryDisk = new MemoryDisk(),
  ) {
    this.disk = disk;
    this.wasCleanShutdown = disk.cleanShutdownMarker;
    disk.cleanShutdownMarker = false;
    this.found = [...disk.logs.values()]
      .map(({ topic, partition, topicId }) => ({ topic, partition, topicId }))
      .sort((a, b) => partitionDirName(a.topic, a.partition).localeCompare(partitionDirName(b.topic, b.partition)));
    this.scheduleFlushCheck();
  }

  listLogs(): ReadonlyArray<{ topic: string; partition: number; topicId: string | null }> {
    return this.found;
  }

  get(topic: string, partition: number): MemoryLog | undefined {
    return this.openLogs.get(partitionDirName(topic, partition))?.log;
  }

  open(topic: string, partition: number, topicId: string, config: LogConfig): MemoryLog {
    if (this.closed) throw new Error('the memory log store is closed');
    const name = partitionDirName(topic, partition);
    const alreadyOpen = this.openLogs.get(name);
    if (alreadyOpen !== undefined) {
      if (alreadyOpen.topicId === topicId) {
        alreadyOpen.log.updateConfig(config);
        return alreadyOpen.log;
      }
      alreadyOpen.log.close();
    }
    let stored = this.disk.logs.get(name);
    if (stored === undefined || stored.topicId !== topicId) {
      // A log of another topic id is a deleted-and-recreated topic's leftover: start empty.
      stored = { topic, partition, topicId, data: emptyMemoryLogData(this.options.clock.now()) };
      this.disk.logs.set(name, stored);
    }
    const log = new MemoryLog(topic, partition, config, {
      clock: this.options.clock,
      data: stored.data,
      recovered: !this.wasCleanShutdown,
      onClosed: (closedLog, reason) => {
        if (this.openLogs.get(name)?.log === closedLog) this.openLogs.delete(name);
        if (reason === 'deleted' && this.disk.logs.get(name)?.data === closedLog.data) this.disk.logs.delete(name);
      },
    });
    this.openLogs.set(name, { log, topicId });
    return log;
  }

  snapshots(topic: string, partition: number): MemorySnapshotStore {
    const name = partitionDirName(topic, partition);
    let stored = this.disk.snapshots.get(name);
    if (stored === undefined) {
      stored = new Map();
      this.disk.snapshots.set(name, stored);
    }
    return new MemorySnapshotStore(stored);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopFlushCheck();
    for (const { log } of [...this.openLogs.values()]) log.close();
    this.disk.cleanShutdownMarker = true;
  }

  /**
   * A new store over the same disk, as after a process restart. Unless this store was closed, that is
   * a crash: its logs stop serving at once and the new store reports an unclean shutdown.
   */
  reopen(options: { loseUnflushedData?: boolean } = {}): MemoryLogStore {
    if (!this.closed) {
      this.closed = true;
      this.stopFlushCheck();
      for (const { log } of this.openLogs.values()) log.abandon();
      this.openLogs.clear();
      if (options.loseUnflushedData === true) for (const stored of this.disk.logs.values()) dropUnflushed(stored.data);
    }
    return new MemoryLogStore(this.options, this.disk);
  }

  toJSON(): { openLogs: number; wasCleanShutdown: boolean } {
    return { openLogs: this.openLogs.size, wasCleanShutdown: this.wasCleanShutdown };
  }

  private scheduleFlushCheck(): void {
    const intervalMs = this.options.logFlushSchedulerIntervalMs ?? Number.POSITIVE_INFINITY;
    if (!(intervalMs >= 1 && intervalMs < MAX_TIMER_DELAY_MS)) return;
    this.flushTimer = this.options.clock.setTimeout(() => {
      this.flushTimer = null;
      if (this.closed) return;
      const nowMs = this.options.clock.now();
      for (const { log } of this.openLogs.values()) {
        if (log.unflushedMessages > 0 && nowMs - log.lastFlushTimeMs >= log.config.flushMs) log.flush();
      }
      this.scheduleFlushCheck();
    }, intervalMs);
  }

  private stopFlushCheck(): void {
    if (this.flushTimer !== null) this.options.clock.clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }
}
