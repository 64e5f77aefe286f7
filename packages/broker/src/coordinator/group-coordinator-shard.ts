/**
 * The groups of one `__consumer_offsets` partition that this broker leads: the group coordinator's shard of the
 * coordinator runtime (coordinator-runtime/, which loads it, follows leadership and refuses requests while it loads or
 * after it closed). While loading it rebuilds the groups from the replayed records and markers; once loaded each group
 * is its own root actor (`broker-1/group/analytics`), created on first use. A shard serves one leader epoch of its
 * partition: a new epoch is a new shard, loaded again from the log, since another leader may have written meanwhile.
 */
import type { ErrorName } from '@kactor/protocol';
import { actorIds, type Clock, type Logger, type Responder } from '@kactor/runtime';
import { createActor, type ActorRefFrom, type InspectionEvent } from 'xstate';
import type { CoordinatorShard, CoordinatorShardContext, RecordOrigin, TransactionMarker } from '../coordinator-runtime/coordinator-shard.js';
import { emptyGroupData, type ClassicGroupData, type ClassicGroupStateName, type GroupLimits } from './classic-group.js';
import type { GroupRecord } from './group-records.js';
import { replayGroupRecord, replayGroupTransactionMarker } from './group-replay.js';
import { hasPendingTransaction } from './group-txn-offsets.js';
import type { RebalanceLog } from './rebalance-log.js';
import { connectGroupAppends, groupMachine } from './group.machine.js';

export type GroupActor = ActorRefFrom<typeof groupMachine>;

export interface GroupCoordinatorShardOptions {
  brokerId: number;
  clock: Clock;
  responder: Responder;
  limits: GroupLimits;
  uniqueId(): string;
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

export class GroupCoordinatorShard implements CoordinatorShard<GroupRecord> {
  /** The groups as the replay builds them, until the partition is loaded and they become actors. */
  private loading: Map<string, ClassicGroupData> | null = new Map();
  private readonly groups = new Map<string, GroupActor>();
  private readonly pendingDeletions = new Map<number, (errorName: ErrorName) => void>();
  private nextDeletionToken = 1;
  private readonly logger: Logger;

  constructor(
    private readonly options: GroupCoordinatorShardOptions,
    private readonly context: CoordinatorShardContext<GroupRecord>,
  ) {
    this.logger = context.logger;
  }

  get partition(): number {
    return this.context.partition;
  }

  replay(record: GroupRecord, origin: RecordOrigin): void {
    if (this.loading === null) throw new Error(`partition ${this.context.partition}: a record replayed after loading`);
    replayGroupRecord(this.loading, record, origin, this.options.clock.now());
  }

  replayEndTransaction(marker: TransactionMarker): void {
    if (this.loading !== null) {
      replayGroupTransactionMarker(this.loading, marker.producerId, marker.result);
      return;
    }
    for (const actor of this.groups.values()) {
      if (hasPendingTransaction(actor.getSnapshot().context.group, marker.producerId)) actor.send({ type: 'txn.completed', producerId: marker.producerId, result: marker.result });
    }
  }

  onLoaded(): void {
    const loaded = this.loading ?? new Map<string, ClassicGroupData>();
    this.loading = null;
    for (const [groupId, data] of loaded) this.start(groupId, data);
    this.logger.debug({ partition: this.context.partition, leaderEpoch: this.context.leaderEpoch, groups: this.groups.size }, 'groups loaded');
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
  onUnloaded(): void {
    this.loading = null;
    for (const actor of [...this.groups.values()]) {
      actor.send({ type: 'group.unload' });
      actor.stop();
    }
    this.groups.clear();
  }

  /** The process died, or the partition could not be loaded: the groups stop without unloading, so their timers never fire. */
  halt(): void {
    this.loading = null;
    for (const actor of this.groups.values()) actor.stop();
    this.groups.clear();
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
          logger: this.logger.child({ actor: id, groupId }),
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
    connectGroupAppends(actor, (records, transactional, onDone) => this.context.append(records, transactional, onDone));
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
