/**
 * One node of a Raft simulation: the Raft replica statechart over its own durable quorum-state (an in-memory store
 * that outlives the process) and its own `__cluster_metadata` MemoryLog on a MemoryDisk that outlives it too. A kill
 * is a power loss (what was not flushed is gone); a restart starts a new actor from what the disk holds, as Kafka's
 * RaftEventSimulationTest reopens its MockLog and quorum-state file.
 */
import { decodeRecordBatches, encodeRecordBatch, parseConfig, topicDefaults } from '@kactor/protocol';
import { raft } from '@kactor/broker';
import type { SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore, MemoryQuorumStateStore, ZERO_DIRECTORY_ID, type MemoryLog, type QuorumStateData, type SnapshotId, type SnapshotStore } from '@kactor/storage';
import { createActor, type Actor } from 'xstate';
import type { RaftNodeView } from './raft-checkers.js';

const decoder = new TextDecoder();
const topicConfig = parseConfig('topic', {}, { defaults: topicDefaults(parseConfig('broker', { 'node.id': '0', 'process.roles': 'controller' })) });
const METADATA_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';
/** Enough for every record a simulation writes: a Fetch answer carries the whole rest of the log. */
const MAX_FETCH_BYTES = 1 << 20;
/** Small FetchSnapshot chunks, so a snapshot takes several round trips (and faults can land between them). */
const SNAPSHOT_CHUNK_BYTES = 256;

export type RaftReplicaActor = Actor<typeof raft.raftReplicaMachine>;

export interface RaftSimNodeSettings {
  readonly voterIds: readonly number[];
  readonly clusterId: string;
  readonly electionTimeoutMs: number;
  readonly fetchTimeoutMs: number;
  readonly electionBackoffMaxMs: number;
  readonly retryBackoffMs: number;
}

function toStored(election: raft.ElectionState): QuorumStateData {
  return { leaderId: election.leaderId ?? -1, leaderEpoch: election.epoch, votedId: election.votedKey?.id ?? -1, votedDirectoryId: ZERO_DIRECTORY_ID };
}

function fromStored(data: QuorumStateData): raft.ElectionState {
  return raft.electionState(data.leaderEpoch, data.leaderId < 0 ? undefined : data.leaderId, data.votedId < 0 ? undefined : { id: data.votedId });
}

/** The entries of record batches, one per offset, as `epoch:payload` (`epoch:control` for a control record). */
function entriesOf(bytes: Uint8Array, fromOffset: number): string[] {
  const entries: string[] = [];
  for (const batch of decodeRecordBatches(bytes).batches) {
    for (const record of batch.records) {
      if (record.offset < fromOffset) continue;
      entries.push(`${batch.partitionLeaderEpoch}:${batch.isControl ? 'control' : record.value === null ? '' : decoder.decode(record.value)}`);
    }
  }
  return entries;
}

const encoder = new TextEncoder();

/**
 * A snapshot of the simulation's "state machine", the committed entries themselves (KIP-630): one record per entry
 * below the snapshot's end, so a node that installs it holds exactly the committed prefix it replaces.
 */
function snapshotBytesOf(entries: readonly string[]): Uint8Array {
  return encodeRecordBatch({ records: entries.map((entry) => ({ key: null, value: encoder.encode(entry), timestamp: 0 })) });
}

function entriesOfSnapshot(bytes: Uint8Array): string[] {
  return decodeRecordBatches(bytes).batches.flatMap((batch) => batch.records.map((record) => (record.value === null ? '' : decoder.decode(record.value))));
}

export class RaftSimNode {
  readonly voter: boolean;
  readonly quorumState = new MemoryQuorumStateStore();
  incarnation = 0;
  /** Snapshots fetched from a leader that replaced this node's log (KIP-630), over all its incarnations. */
  installedSnapshots = 0;
  /** Set when the replica emits `raft.shutdown-complete` after `raft.shutdown`. */
  shutdownComplete = false;
  actor: RaftReplicaActor | undefined;
  private store: MemoryLogStore;
  private log: MemoryLog;
  private snapshots: SnapshotStore;
  /** The log's entries as read back from the MemoryLog after every change: the checkers read offsets here. */
  private entries: string[] = [];
  private logVersion = 0;

  constructor(
    readonly id: number,
    private readonly clock: SimulatedClock,
    private readonly settings: RaftSimNodeSettings,
  ) {
    this.voter = settings.voterIds.includes(id);
    this.store = new MemoryLogStore({ clock });
    this.snapshots = this.store.snapshots(raft.CLUSTER_METADATA_TOPIC, 0);
    this.log = this.openLog();
  }

  get running(): boolean {
    return this.actor !== undefined;
  }

  /** Starts a new process over the node's disk; `wire` connects its emitted messages before it starts. */
  start(random: (bound: number) => number, wire: (actor: RaftReplicaActor) => void): RaftReplicaActor {
    if (this.actor !== undefined) throw new Error(`node ${this.id} is already running`);
    this.incarnation += 1;
    const stored = this.quorumState.read();
    const actor = createActor(raft.raftReplicaMachine, {
      clock: this.clock,
      input: {
        config: {
          localId: this.id,
          voters: this.settings.voterIds.map((id) => ({ id, endpoints: [`node-${id}:9093`] })),
          electionTimeoutMs: this.settings.electionTimeoutMs,
          fetchTimeoutMs: this.settings.fetchTimeoutMs,
        },
        clusterId: this.settings.clusterId,
        electionBackoffMaxMs: this.settings.electionBackoffMaxMs,
        retryBackoffMs: this.settings.retryBackoffMs,
        ...(stored === null ? {} : { stored: fromStored(stored) }),
        ports: {
          persist: (election) => this.quorumState.write(toStored(election)),
          random,
          now: () => this.clock.now(),
          log: this.logPort(),
        },
      },
    });
    this.actor = actor;
    wire(actor);
    actor.start();
    return actor;
  }

  /** A hard stop (kill -9 and power loss): the actor stops at once and unflushed log data is gone. */
  kill(): void {
    this.stopActor();
    this.store = this.store.reopen({ loseUnflushedData: true });
    this.snapshots = this.store.snapshots(raft.CLUSTER_METADATA_TOPIC, 0);
    this.log = this.openLog();
  }

  /** The process exits after a graceful shutdown: the log is closed cleanly, nothing is lost. */
  stop(): void {
    this.stopActor();
    this.store.close();
    this.store = this.store.reopen();
    this.snapshots = this.store.snapshots(raft.CLUSTER_METADATA_TOPIC, 0);
    this.log = this.openLog();
  }

  view(): RaftNodeView {
    const stored = this.quorumState.read();
    const quorum = this.actor?.getSnapshot().context.quorum;
    if (this.entries.length !== this.log.logEndOffset) throw new Error(`harness: node ${this.id} mirrors ${this.entries.length} entries of a log ending at ${this.log.logEndOffset}`);
    return {
      id: this.id,
      voter: this.voter,
      running: this.running,
      incarnation: this.incarnation,
      persisted: stored === null ? undefined : { epoch: stored.leaderEpoch, ...(stored.leaderId < 0 ? {} : { leaderId: stored.leaderId }) },
      state: quorum === undefined ? undefined : { name: quorum.state.name, epoch: quorum.state.epoch, highWatermark: raft.highWatermarkOf(quorum.state) },
      durableLogEndOffset: this.log.recoveryPoint,
      logStartOffset: this.log.logStartOffset,
      earliestSnapshotEndOffset: this.snapshots.list()[0]?.endOffset,
      logVersion: this.logVersion,
      entryAt: (offset) => this.entries[offset],
    };
  }

  /** What stopped the actor when it threw (an XState actor in error handles no more events), else undefined. */
  crash(): unknown {
    const snapshot = this.actor?.getSnapshot();
    return snapshot?.status === 'error' ? (snapshot.error ?? 'unknown error') : undefined;
  }

  /** The state name while running (`Leader`, `Follower`, ...), undefined when killed. */
  stateName(): string | undefined {
    return this.actor?.getSnapshot().context.quorum?.state.name;
  }

  epoch(): number | undefined {
    return this.actor?.getSnapshot().context.quorum?.state.epoch;
  }

  highWatermark(): number | undefined {
    const quorum = this.actor?.getSnapshot().context.quorum;
    return quorum === undefined ? undefined : raft.highWatermarkOf(quorum.state);
  }

  logEntries(): readonly string[] {
    return this.entries;
  }

  /**
   * Writes a snapshot of the committed entries (below the high watermark) and moves the log start up to it, as a
   * KRaft node's snapshot generator does (KIP-630); undefined when nothing new is committed.
   */
  takeSnapshot(): SnapshotId | undefined {
    const highWatermark = this.highWatermark();
    const latest = this.snapshots.latest();
    if (highWatermark === undefined || highWatermark <= (latest?.endOffset ?? 0) || highWatermark <= this.log.logStartOffset) return undefined;
    const epoch = this.log.leaderEpochCache.epochForOffset(highWatermark - 1);
    if (epoch === undefined) return undefined;
    const id = { endOffset: highWatermark, epoch };
    const writer = this.snapshots.createWriter(id);
    writer.append(snapshotBytesOf(this.entries.slice(0, highWatermark)));
    writer.freeze();
    this.snapshots.deleteBefore(id);
    this.log.advanceLogStartOffset(highWatermark);
    return id;
  }

  private stopActor(): void {
    this.actor?.stop();
    this.actor = undefined;
  }

  private openLog(): MemoryLog {
    const log = this.store.open(raft.CLUSTER_METADATA_TOPIC, 0, METADATA_TOPIC_ID, topicConfig);
    // Below the log start the entries are those of the snapshot there (the log no longer has them).
    const start = log.logStartOffset;
    const latest = this.snapshots.latest();
    const prefix = start === 0 || latest === undefined ? [] : entriesOfSnapshot(this.snapshots.read(latest, 0, this.snapshots.sizeBytes(latest))).slice(0, start);
    if (prefix.length !== start) throw new Error(`harness: node ${this.id}'s log starts at ${start} without a snapshot holding what is below it`);
    this.entries = log.logEndOffset === start ? prefix : [...prefix, ...entriesOf(log.read(start, Number.MAX_SAFE_INTEGER, log.logEndOffset).records, start)];
    this.logVersion += 1;
    return log;
  }

  /** The real port over the MemoryLog; after each change the new entries are read back from the log itself. */
  private logPort(): raft.RaftLogPort {
    const log = this.log;
    const port = raft.partitionLogRaftPort(log, { now: () => this.clock.now(), maxFetchBytes: MAX_FETCH_BYTES, maxSnapshotChunkBytes: SNAPSHOT_CHUNK_BYTES, snapshots: this.snapshots });
    const readBack = <T>(change: () => T): T => {
      const before = this.entries.length;
      const result = change();
      if (log.logEndOffset > before) this.entries.push(...entriesOf(log.read(before, Number.MAX_SAFE_INTEGER, log.logEndOffset).records, before));
      return result;
    };
    return {
      ...port,
      appendLeaderChangeAsLeader: (message, epoch) => readBack(() => port.appendLeaderChangeAsLeader(message, epoch)),
      appendAsLeader: (records, epoch) => readBack(() => port.appendAsLeader(records, epoch)),
      appendAsFollower: (records) => readBack(() => port.appendAsFollower(records)),
      installFetchedSnapshot: () => {
        port.installFetchedSnapshot!();
        this.installedSnapshots += 1;
        // The log is replaced: its entries are now the snapshot's.
        const latest = this.snapshots.latest()!;
        this.entries = entriesOfSnapshot(this.snapshots.read(latest, 0, this.snapshots.sizeBytes(latest)));
        this.logVersion += 1;
      },
      truncateTo: (offset) => {
        port.truncateTo(offset);
        if (offset < this.entries.length) {
          this.entries.length = offset;
          this.logVersion += 1;
        }
      },
    };
  }
}
