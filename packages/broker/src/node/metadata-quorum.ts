/**
 * A KRaft node's part in the metadata quorum (issue 12, KIP-595, KIP-631): its Raft replica of `__cluster_metadata`-0
 * (a voter or an observer), the metadata image its broker follows, and, on a voter, the hand-over between the Raft
 * replica and the controller (Kafka's RaftManager, MetadataLoader/MetadataPublisher and QuorumController's
 * RaftClient.Listener, in one place).
 *
 * What flows where:
 * - committed records go to the controller (`quorum.committed`: a standby's replay), then to the broker's image;
 * - the controller is told it leads (`quorum.claimed`) only once it holds every committed record of earlier epochs
 *   (ControllerLeadership), and that it does not (`quorum.renounced`, naming the leader) at every other leader change;
 * - the active controller's writes are the Raft leader's appends, and how far each replica applied them (its Fetch's
 *   high watermark, KIP-1166) tells the controller when brokers have seen what it answers;
 * - brokers, the group coordinator and auto-creation send to the Raft leader's node (`controllerUrl`), or to nobody
 *   while no leader is known;
 * - snapshots (KIP-630): the node writes its own of the committed state (MetadataSnapshotGenerator) and moves its log
 *   start up to it; it loads the latest one at start, and one its replica fetched from the leader when it is
 *   installed (`quorum.snapshotLoaded` to a standby controller, MetadataPublisher.loadSnapshot for the image).
 */
import type { ApiName, QuorumVoter } from '@kactor/protocol';
import type { InboundRequest } from '@kactor/runtime';
import type { AppendOptions, ReadResult, SnapshotId, SnapshotStore } from '@kactor/storage';
import type { ActorRefFrom } from 'xstate';
import { MetadataPublisher } from '../broker/metadata-publisher.js';
import type { controllerMachine } from '../controller/controller.machine.js';
import type { MetadataLog } from '../controller/metadata-log-writer.js';
import type { MetadataRecord } from '../controller/metadata-records.js';
import { stateFromSnapshot } from '../controller/metadata-state.js';
import { decodeMetadataSnapshot, readSnapshotBytes } from '../quorum/metadata-snapshot-file.js';
import { MetadataSnapshotGenerator } from '../quorum/snapshot-generator.js';
import { RaftReplicaHost, type CommittedMetadata, type LeaderChange, type RaftReplicaHostOptions, type ReplicaProgress } from '../quorum/raft-replica-host.js';
import { ControllerLeadership } from './controller-leadership.js';

/** What the node gives its Raft replica as it is, plus the voters as configured and the snapshots it always keeps. */
export interface MetadataQuorumOptions
  extends Pick<RaftReplicaHostOptions, 'nodeId' | 'clusterId' | 'config' | 'log' | 'quorumState' | 'clock' | 'random' | 'logger' | 'peers' | 'responder' | 'inspect' | 'onFatalError'> {
  /** `controller.quorum.voters`, parsed. */
  readonly voters: readonly QuorumVoter[];
  /** The scheme of this node's own listener (`ws`, `memory`): voters listen the same way. */
  readonly scheme: string;
  /** The snapshots beside `__cluster_metadata`-0 (KIP-630). */
  readonly snapshots: SnapshotStore;
}

type ControllerRef = ActorRefFrom<typeof controllerMachine>;

export class MetadataQuorum {
  readonly host: RaftReplicaHost;
  /** The broker's metadata image, built from committed records. */
  readonly publisher: MetadataPublisher;
  private readonly leadership: ControllerLeadership;
  private readonly snapshotGenerator: MetadataSnapshotGenerator;
  private controller: ControllerRef | undefined;
  /** Set while ControllerLeadership handles a leader change: whether it already told the controller it renounced. */
  private renouncedNow = false;

  constructor(private readonly options: MetadataQuorumOptions) {
    this.publisher = new MetadataPublisher({ clusterId: options.clusterId, logger: options.logger.child({ actor: 'metadata-publisher' }) });
    this.leadership = new ControllerLeadership({
      claim: (epoch) => this.controller?.send({ type: 'quorum.claimed', epoch }),
      renounce: (leaderId) => {
        this.renouncedNow = true;
        this.controller?.send({ type: 'quorum.renounced', leaderId });
      },
    });
    this.snapshotGenerator = new MetadataSnapshotGenerator({
      limits: { maxBytesBetweenSnapshots: options.config.metadataLogMaxRecordBytesBetweenSnapshots, maxIntervalMs: options.config.metadataLogMaxSnapshotIntervalMs },
      store: options.snapshots,
      clock: options.clock,
      logger: options.logger.child({ actor: 'snapshot-generator' }),
      epochAt: (offset) => options.log.leaderEpochCache.epochForOffset(offset),
      // The log below the snapshot is no longer needed: a replica that still asks for it reads the snapshot instead.
      onSnapshot: (id) => options.log.advanceLogStartOffset(id.endOffset),
    });
    this.host = new RaftReplicaHost({
      nodeId: options.nodeId,
      clusterId: options.clusterId,
      voters: options.voters.map((voter) => ({ id: voter.id, url: `${options.scheme}://${voter.host}:${voter.port}` })),
      config: options.config,
      log: options.log,
      snapshots: options.snapshots,
      quorumState: options.quorumState,
      clock: options.clock,
      random: options.random,
      logger: options.logger.child({ actor: 'raft' }),
      peers: options.peers,
      responder: options.responder,
      inspect: options.inspect,
      onCommitted: (batch) => this.onCommitted(batch),
      onSnapshotInstalled: (id) => this.loadSnapshot(id),
      onLeaderChanged: (change) => this.onLeaderChanged(change),
      onReplicaProgress: (progress) => this.onReplicaProgress(progress),
      onFatalError: options.onFatalError,
    });
  }

  get isVoter(): boolean {
    return this.options.voters.some((voter) => voter.id === this.options.nodeId);
  }

  /** The voter's controller, told what the quorum commits and who leads; set before `start`. */
  attachController(controller: ControllerRef): void {
    this.controller = controller;
  }

  /** Loads the latest snapshot first, if any (KIP-630), then starts the Raft replica, which goes on from its end. */
  start(): void {
    const latest = this.options.snapshots.latest();
    if (latest !== undefined) {
      // A crash may have come between writing the snapshot and moving the log start up to it.
      if (latest.endOffset <= this.options.log.logEndOffset) this.options.log.advanceLogStartOffset(latest.endOffset);
      this.loadSnapshot(latest);
      this.host.snapshotLoaded(latest.endOffset);
    }
    this.host.start();
  }

  /**
   * Replaces the committed state of the controller (a standby's) and of the broker's image with a snapshot's.
   * Kafka's LeaderNeverLoadSnapshot: a node whose replica leads never loads one (it would throw away its own log).
   */
  private loadSnapshot(id: SnapshotId): void {
    if (this.host.isLeader()) throw new Error(`node ${this.options.nodeId} leads the metadata quorum and was asked to load snapshot ${id.endOffset}-${id.epoch}: a leader never loads a snapshot`);
    const { records } = decodeMetadataSnapshot(readSnapshotBytes(this.options.snapshots, id));
    const state = stateFromSnapshot(this.options.clusterId, records, id.endOffset);
    this.options.logger.info({ endOffset: id.endOffset, epoch: id.epoch, records: records.length }, 'loading a metadata snapshot');
    this.controller?.send({ type: 'quorum.snapshotLoaded', state, highWatermark: id.endOffset });
    if (this.isVoter) this.leadership.onCommitted(id.endOffset);
    this.publisher.loadSnapshot(state, id.endOffset);
  }

  /**
   * The controller's metadata log on a voter: its writes are the Raft leader's appends (NotLeaderError once this node
   * no longer leads), its log end is the Raft log end; it never reads the log itself (committed records come as events).
   */
  controllerLog(): MetadataLog {
    const { host, options } = this;
    const append = (batches: Uint8Array, _options: AppendOptions) => ({ baseOffset: host.appendBatches(batches).baseOffset });
    return {
      get logStartOffset() {
        return options.log.logStartOffset;
      },
      get logEndOffset() {
        return host.logEndOffset;
      },
      read(): ReadResult {
        throw new Error('a quorum controller never reads the metadata log itself');
      },
      append,
      appendOrDefer: append,
    };
  }

  /** Where the active controller is: the Raft leader's node; undefined while no leader is known. */
  controllerUrl(): string | undefined {
    const { leaderId } = this.host.leader();
    return leaderId === undefined ? undefined : this.host.urlOf(leaderId);
  }

  handles(api: ApiName, body: unknown): boolean {
    return this.host.handles(api, body);
  }

  handle(request: InboundRequest): void {
    this.host.handle(request);
  }

  /** A leader resigns first (EndQuorumEpoch), so the others elect a successor at once rather than after a timeout. */
  shutdown(): Promise<void> {
    return this.host.shutdown();
  }

  halt(): void {
    this.host.halt();
  }

  private onCommitted(batch: CommittedMetadata): void {
    // The standby replays first: the claim below must find every committed record in the controller's state.
    this.controller?.send({ type: 'quorum.committed', records: batch.records, highWatermark: batch.highWatermark });
    if (this.isVoter) this.leadership.onCommitted(batch.highWatermark);
    this.publisher.apply(batch.records, batch.highWatermark);
    // The node's own broker has just applied that image (the publisher's listeners run synchronously). Its progress
    // reaches the active controller here at once; it fetches from nobody, and its heartbeat could be 2 s away.
    if (this.leadership.activeEpoch !== undefined) {
      this.controller?.send({ type: 'quorum.replicaProgress', brokerId: this.options.nodeId, appliedOffset: batch.highWatermark - 1 });
    }
    // Every node, voter or observer, snapshots its own committed state (Kafka's SnapshotGenerator on each node).
    this.snapshotGenerator.committed(committedRecordBytes(batch.records), () => this.publisher.committed());
  }

  private onLeaderChanged(change: LeaderChange): void {
    this.options.logger.info({ leaderId: change.leaderId ?? -1, epoch: change.epoch }, change.leaderId === undefined ? 'metadata quorum has no leader' : `metadata quorum leader is node ${change.leaderId}`);
    if (this.isVoter) {
      this.renouncedNow = false;
      this.leadership.onLeaderChanged(change);
      // A standby learns whom to name in NOT_CONTROLLER answers; an active controller that lost the lead rolls back.
      if (!change.isLocal && !this.renouncedNow) this.controller?.send({ type: 'quorum.renounced', leaderId: change.leaderId });
    }
    this.publisher.setController(change.leaderId);
  }

  private onReplicaProgress(progress: ReplicaProgress): void {
    this.controller?.send({ type: 'quorum.replicaProgress', brokerId: progress.replicaId, appliedOffset: progress.appliedOffset });
  }
}

const encoder = new TextEncoder();

/** The bytes the records take in the log (key and JSON value, what metadata.log.max.record.bytes.between.snapshots counts). */
function committedRecordBytes(records: ReadonlyArray<{ readonly record: MetadataRecord }>): number {
  let bytes = 0;
  for (const { record } of records) bytes += record.type.length + encoder.encode(JSON.stringify(record)).length;
  return bytes;
}
