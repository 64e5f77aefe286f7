/**
 * One node of a Raft simulation: the Raft replica statechart over its own durable quorum-state (an in-memory store
 * that outlives the process) and its own `__cluster_metadata` MemoryLog on a MemoryDisk that outlives it too. A kill
 * is a power loss (what was not flushed is gone); a restart starts a new actor from what the disk holds, as Kafka's
 * RaftEventSimulationTest reopens its MockLog and quorum-state file.
 */
import { decodeRecordBatches, parseConfig, topicDefaults } from '@kactor/protocol';
import { raft } from '@kactor/broker';
import type { SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore, MemoryQuorumStateStore, ZERO_DIRECTORY_ID, type MemoryLog, type QuorumStateData } from '@kactor/storage';
import { createActor, type Actor } from 'xstate';
import type { RaftNodeView } from './raft-checkers.js';

const decoder = new TextDecoder();
const topicConfig = parseConfig('topic', {}, { defaults: topicDefaults(parseConfig('broker', { 'node.id': '0', 'process.roles': 'controller' })) });
const METADATA_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';
/** Enough for every record a simulation writes: a Fetch answer carries the whole rest of the log. */
const MAX_FETCH_BYTES = 1 << 20;

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

export class RaftSimNode {
  readonly voter: boolean;
  readonly quorumState = new MemoryQuorumStateStore();
  incarnation = 0;
  /** Set when the replica emits `raft.shutdown-complete` after `raft.shutdown`. */
  shutdownComplete = false;
  actor: RaftReplicaActor | undefined;
  private store: MemoryLogStore;
  private log: MemoryLog;
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
    this.log = this.openLog();
  }

  /** The process exits after a graceful shutdown: the log is closed cleanly, nothing is lost. */
  stop(): void {
    this.stopActor();
    this.store.close();
    this.store = this.store.reopen();
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

  private stopActor(): void {
    this.actor?.stop();
    this.actor = undefined;
  }

  private openLog(): MemoryLog {
    const log = this.store.open(raft.CLUSTER_METADATA_TOPIC, 0, METADATA_TOPIC_ID, topicConfig);
    this.entries = log.logEndOffset === 0 ? [] : entriesOf(log.read(0, Number.MAX_SAFE_INTEGER, log.logEndOffset).records, 0);
    this.logVersion += 1;
    return log;
  }

  /** The real port over the MemoryLog; after each change the new entries are read back from the log itself. */
  private logPort(): raft.RaftLogPort {
    const log = this.log;
    const port = raft.partitionLogRaftPort(log, { now: () => this.clock.now(), maxFetchBytes: MAX_FETCH_BYTES });
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
