/**
 * The groups of one `__consumer_offsets` partition that this broker leads (Kafka's coordinator "shard",
 * with CoordinatorRuntime's state names): LOADING while it replays the partition's records into groups,
 * ACTIVE while it serves them, CLOSED once leadership moved (its groups are told to unload), FAILED when the
 * log could not be read. A shard serves one leader epoch of its partition: a new epoch is a new shard, loaded
 * again from the log, since another leader may have written to it meanwhile. Each group is its own root actor
 * (`broker-1/group/analytics`), created on first use.
 */
import type { ErrorName } from '@kactor/protocol';
import { actorIds, type Clock, type Logger, type Responder, type TimerHandle } from '@kactor/runtime';
import { createActor, type ActorRefFrom, type InspectionEvent } from 'xstate';
import { emptyGroupData, type ClassicGroupData, type ClassicGroupStateName, type GroupLimits } from './classic-group.js';
import type { GroupRecord, GroupRecordChunk } from './group-records.js';
import { replayGroupRecords } from './group-replay.js';
import type { RebalanceLog } from './rebalance-log.js';
import { connectGroupAppends, groupMachine, type AppendResult } from './group.machine.js';

export type CoordinatorShardState = 'LOADING' | 'ACTIVE' | 'CLOSED' | 'FAILED';

/** The partition's log as the loader reads it: from its start to its end when loading began. */
export interface ShardLoadSource {
  startOffset: number;
  endOffset: number;
  readChunk(fromOffset: number, endOffset: number): GroupRecordChunk;
}
export type GroupActor = ActorRefFrom<typeof groupMachine>;

export interface GroupCoordinatorShardOptions {
  brokerId: number;
  partition: number;
  /** The leader epoch of the partition this shard coordinates under. */
  leaderEpoch: number;
  clock: Clock;
  logger: Logger;
  responder: Responder;
  limits: GroupLimits;
  uniqueId(): string;
  /**
   * The partition's log, read up to its log end as Kafka's CoordinatorLoaderImpl does (not the high watermark: a new
   * leader may not have learnt the HW that acknowledged the old leader's last commits, but holds them, being from the
   * ISR). Undefined when the partition is not hosted here any more.
   */
  loadSource(): ShardLoadSource | undefined;
  /** Appends records to the partition with acks=all. */
  append(records: GroupRecord[], onDone: (result: AppendResult) => void): void;
  onFatalError(error: unknown): void;
  inspect?: ((event: InspectionEvent) => void) | undefined;
}

export interface GroupView {
  groupId: string;
  state: ClassicGroupStateName;
  group: ClassicGroupData;
  /** The group's recorded rebalances, oldest first (DescribeRebalances). */
  rebalances: RebalanceLog;
}

export class GroupCoordinatorShard {
  private stateValue: CoordinatorShardState = 'LOADING';
  private readonly groups = new Map<string, GroupActor>();
  private readonly pendingDeletions = new Map<number, (errorName: ErrorName) => void>();
  private nextDeletionToken = 1;
  private loadTimer: TimerHandle | null = null;

  constructor(private readonly options: GroupCoordinatorShardOptions) {}

  get state(): CoordinatorShardState {
    return this.stateValue;
  }

  get partition(): number {
    return this.options.partition;
  }

  get leaderEpoch(): number {
    return this.options.leaderEpoch;
  }

  /**
   * Replays the partition into groups, one chunk per turn of the clock, so the node keeps serving meanwhile; until it
   * is done the shard answers COORDINATOR_LOAD_IN_PROGRESS; a log that cannot be read leaves it FAILED (NOT_COORDINATOR).
   */
  load(): void {
    const startedMs = this.options.clock.now();
    const source = this.options.loadSource();
    if (source === undefined) {
      this.fail(new Error(`partition ${this.options.partition} is not hosted here`));
      return;
    }
    const records: GroupRecord[] = [];
    let offset = source.startOffset;
    const step = () => {
      this.loadTimer = null;
      if (this.stateValue !== 'LOADING') return;
      try {
        const chunk = source.readChunk(offset, source.endOffset);
        for (const record of chunk.records) records.push(record);
        offset = chunk.nextOffset;
        if (!chunk.done) {
          this.loadTimer = this.options.clock.setTimeout(step, 0);
          return;
        }
        const groups = replayGroupRecords(records, this.options.clock.now());
        for (const [groupId, data] of groups) this.start(groupId, data);
      } catch (error) {
        this.fail(error);
        return;
      }
      this.stateValue = 'ACTIVE';
      this.options.logger.info(
        { partition: this.options.partition, leaderEpoch: this.options.leaderEpoch, endOffset: source.endOffset, records: records.length, groups: this.groups.size, loadMs: this.options.clock.now() - startedMs },
        'group coordinator loaded its partition',
      );
    };
    this.loadTimer = this.options.clock.setTimeout(step, 0);
  }

  group(groupId: string): GroupActor | undefined {
    return this.groups.get(groupId);
  }

  /** The group's actor, created Empty if the group does not exist (JoinGroup and OffsetCommit create groups). */
  groupOrNew(groupId: string): GroupActor {
    return this.groups.get(groupId) ?? this.start(groupId, emptyGroupData(groupId, this.options.clock.now()));
  }

  view(groupId: string): GroupView | undefined {
    const actor = this.groups.get(groupId);
    if (actor === undefined) return undefined;
    const snapshot = actor.getSnapshot();
    return { groupId, state: snapshot.context.stateName, group: snapshot.context.group, rebalances: snapshot.context.rebalances };
  }

  views(): GroupView[] {
    return [...this.groups.keys()].flatMap((groupId) => {
      const view = this.view(groupId);
      return view === undefined ? [] : [view];
    });
  }

  /** DeleteGroups for one group: `done` gets NONE once its tombstones are written, or why not. */
  deleteGroup(groupId: string, done: (errorName: ErrorName) => void): void {
    const actor = this.groups.get(groupId);
    if (actor === undefined) {
      done('GROUP_ID_NOT_FOUND');
      return;
    }
    const token = this.nextDeletionToken;
    this.nextDeletionToken += 1;
    this.pendingDeletions.set(token, done);
    actor.send({ type: 'group.delete', token });
  }

  /** Leadership of the partition moved: every group unloads (its waiting members are told NOT_COORDINATOR). */
  close(): void {
    this.cancelLoad();
    const wasLoaded = this.stateValue === 'ACTIVE';
    this.stateValue = 'CLOSED';
    if (wasLoaded) this.options.logger.info({ partition: this.options.partition, leaderEpoch: this.options.leaderEpoch, groups: this.groups.size }, 'group coordinator unloaded its partition');
    for (const actor of [...this.groups.values()]) {
      actor.send({ type: 'group.unload' });
      actor.stop();
    }
    this.groups.clear();
  }

  /** The process died: the groups stop without unloading, so their timers (sessions, rebalances) never fire. */
  halt(): void {
    this.cancelLoad();
    this.stateValue = 'CLOSED';
    for (const actor of this.groups.values()) actor.stop();
    this.groups.clear();
  }

  private cancelLoad(): void {
    if (this.loadTimer !== null) this.options.clock.clearTimeout(this.loadTimer);
    this.loadTimer = null;
  }

  /** Kafka's FAILED: the groups are not served here (NOT_COORDINATOR) until the partition is loaded again. */
  private fail(error: unknown): void {
    for (const actor of this.groups.values()) actor.stop();
    this.groups.clear();
    this.stateValue = 'FAILED';
    this.options.logger.error({ err: error, partition: this.options.partition, leaderEpoch: this.options.leaderEpoch }, 'group coordinator could not load its partition');
  }

  private start(groupId: string, data: ClassicGroupData): GroupActor {
    const id = actorIds.group(this.options.brokerId, groupId);
    const actor = createActor(groupMachine, {
      id,
      clock: this.options.clock,
      inspect: this.options.inspect,
      input: {
        group: data,
        limits: this.options.limits,
        ports: {
          clock: this.options.clock,
          logger: this.options.logger.child({ actor: id, groupId }),
          responder: this.options.responder,
          uniqueId: () => this.options.uniqueId(),
          deletionDone: (token, errorName) => {
            const done = this.pendingDeletions.get(token);
            this.pendingDeletions.delete(token);
            done?.(errorName);
          },
        },
      },
    });
    connectGroupAppends(actor, (records, onDone) => this.options.append(records, onDone));
    actor.subscribe({
      complete: () => {
        if (this.groups.get(groupId) === actor) this.groups.delete(groupId);
      },
      error: (error) => this.options.onFatalError(error),
    });
    this.groups.set(groupId, actor);
    actor.start();
    return actor;
  }
}
