/**
 * The groups of one `__consumer_offsets` partition that this broker leads: the group coordinator's shard of the
 * coordinator runtime (coordinator-runtime/, which loads it, follows leadership and refuses requests while it loads or
 * after it closed). While loading it rebuilds the groups from the replayed records and markers; once loaded each group
 * is its own root actor (`broker-1/group/analytics`), created on first use. A shard serves one leader epoch of its
 * partition: a new epoch is a new shard, loaded again from the log, since another leader may have written meanwhile.
 */
import type { ErrorName, MetadataImage } from '@kactor/protocol';
import { actorIds, type Clock, type Logger, type Responder } from '@kactor/runtime';
import { createActor, type ActorRefFrom, type InspectionEvent } from 'xstate';
import type { CoordinatorShard, CoordinatorShardContext, RecordOrigin, TransactionMarker } from '../coordinator-runtime/coordinator-shard.js';
import { emptyGroupData, type ClassicGroupData, type ClassicGroupStateName, type GroupLimits } from './classic-group.js';
import type { GroupRecord } from './group-records.js';
import { replayAnyGroupRecord, replayAnyGroupTransactionMarker, type LoadedGroup } from './group-replay.js';
import { hasPendingTransaction } from './group-txn-offsets.js';
import type { RebalanceLog } from './rebalance-log.js';
import { connectGroupAppends, groupMachine } from './group.machine.js';
import type { GroupOffsets } from './group-offsets.js';
import { consumerGroupMachine, type ConsumerGroupConfig } from './consumer/consumer-group.machine.js';
import { emptyConsumerGroup, type ConsumerGroupData, type ConsumerGroupStateName } from './consumer/consumer-group-data.js';

export type GroupActor = ActorRefFrom<typeof groupMachine>;
export type ConsumerGroupActor = ActorRefFrom<typeof consumerGroupMachine>;

export interface GroupCoordinatorShardOptions {
  brokerId: number;
  clock: Clock;
  responder: Responder;
  limits: GroupLimits;
  uniqueId(): string;
  onFatalError(error: unknown): void;
  inspect?: ((event: InspectionEvent) => void) | undefined;
  /** The broker's group.consumer.* settings for consumer groups (KIP-848). */
  consumerConfig: ConsumerGroupConfig;
  /** The broker's current metadata image: consumer groups resolve their subscribed topics in it. */
  currentImage(): MetadataImage | null;
}

export interface GroupView {
  groupId: string;
  state: ClassicGroupStateName;
  group: ClassicGroupData;
  /** The group's recorded rebalances, oldest first (DescribeRebalances). */
  rebalances: RebalanceLog;
}

/** A consumer group (KIP-848) as ConsumerGroupDescribe, ListGroups and DescribeRebalances read it. */
export interface ConsumerGroupView {
  groupId: string;
  state: ConsumerGroupStateName;
  group: ConsumerGroupData;
  rebalances: RebalanceLog;
}

/** One line of ListGroups: either kind. */
export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: string;
  groupType: 'classic' | 'consumer';
}

/** Why a group of one kind cannot be served as the other: the id is held by a group of the other kind that has members. */
export type GroupKindRefusal = { refused: true; errorName: ErrorName; errorMessage: string };

export class GroupCoordinatorShard implements CoordinatorShard<GroupRecord> {
  /** The groups as the replay builds them, until the partition is loaded and they become actors. */
  private loading: Map<string, LoadedGroup> | null = new Map();
  private readonly groups = new Map<string, GroupActor>();
  /** Consumer groups (KIP-848); a group id is in at most one of the two maps. */
  private readonly consumerGroups = new Map<string, ConsumerGroupActor>();
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
    replayAnyGroupRecord(this.loading, record, origin, this.options.clock.now());
  }

  replayEndTransaction(marker: TransactionMarker): void {
    if (this.loading !== null) {
      replayAnyGroupTransactionMarker(this.loading, marker.producerId, marker.result);
      return;
    }
    const completed = { type: 'txn.completed' as const, producerId: marker.producerId, result: marker.result };
    for (const actor of this.groups.values()) if (hasPendingTransaction(actor.getSnapshot().context.group, marker.producerId)) actor.send(completed);
    for (const actor of this.consumerGroups.values()) if (hasPendingTransaction(actor.getSnapshot().context.group, marker.producerId)) actor.send(completed);
  }

  onLoaded(): void {
    const loaded = this.loading ?? new Map<string, LoadedGroup>();
    this.loading = null;
    for (const [groupId, loadedGroup] of loaded) {
      if (loadedGroup.kind === 'classic') this.start(groupId, loadedGroup.data);
      else this.startConsumerGroup(groupId, loadedGroup.data);
    }
    this.logger.debug({ partition: this.context.partition, leaderEpoch: this.context.leaderEpoch, groups: this.groups.size, consumerGroups: this.consumerGroups.size }, 'groups loaded');
  }

  group(groupId: string): GroupActor | undefined {
    return this.groups.get(groupId);
  }

  /** The group's actor, created Empty if the group does not exist (JoinGroup and OffsetCommit create groups). */
  groupOrNew(groupId: string): GroupActor {
    return this.groups.get(groupId) ?? this.start(groupId, emptyGroupData(groupId, this.options.clock.now()));
  }

  consumerGroup(groupId: string): ConsumerGroupActor | undefined {
    return this.consumerGroups.get(groupId);
  }

  /** Which kind of group holds the id, if any. */
  kindOf(groupId: string): 'classic' | 'consumer' | undefined {
    if (this.groups.has(groupId)) return 'classic';
    return this.consumerGroups.has(groupId) ? 'consumer' : undefined;
  }

  /**
   * The consumer group for a ConsumerGroupHeartbeat, created Empty if the id is unknown and the member joins. An empty classic group (no
   * members, nothing being written) becomes a consumer group with its committed offsets, as Kafka converts it on the
   * first heartbeat (maybeDeleteEmptyClassicGroup); one with members refuses: GROUP_ID_NOT_FOUND, "not a consumer group".
   */
  consumerGroupOrNew(groupId: string, createIfNotExists: boolean): ConsumerGroupActor | GroupKindRefusal {
    const existing = this.consumerGroups.get(groupId);
    if (existing !== undefined) return existing;
    const classic = this.groups.get(groupId);
    // Kafka creates a consumer group only for a joining member (epoch 0); any other heartbeat for an unknown group is refused.
    if (classic === undefined && !createIfNotExists) return { refused: true, errorName: 'GROUP_ID_NOT_FOUND', errorMessage: `Consumer group ${groupId} not found.` };
    if (classic === undefined) return this.startConsumerGroup(groupId, emptyConsumerGroup(groupId));
    const snapshot = classic.getSnapshot();
    if (!createIfNotExists || !isIdle(snapshot.context.stateName === 'Empty' && Object.keys(snapshot.context.group.members).length === 0 && snapshot.context.group.pendingMemberIds.length === 0, snapshot.context)) {
      return { refused: true, errorName: 'GROUP_ID_NOT_FOUND', errorMessage: `Group ${groupId} is not a consumer group.` };
    }
    this.forget(groupId, classic);
    return this.startConsumerGroup(groupId, { ...emptyConsumerGroup(groupId), ...offsetsPart(snapshot.context.group) });
  }

  /**
   * The classic group for a JoinGroup, created Empty if the id is unknown. An empty consumer group becomes a classic
   * group with its committed offsets (Kafka's maybeDeleteEmptyConsumerGroup); one with members refuses the join with
   * INCONSISTENT_GROUP_PROTOCOL: its members speak the other protocol.
   */
  classicGroupOrNew(groupId: string): GroupActor | GroupKindRefusal {
    const consumer = this.consumerGroups.get(groupId);
    if (consumer === undefined) return this.groupOrNew(groupId);
    const snapshot = consumer.getSnapshot();
    if (!isIdle(snapshot.context.stateName === 'Empty', snapshot.context)) {
      return { refused: true, errorName: 'INCONSISTENT_GROUP_PROTOCOL', errorMessage: `Group ${groupId} is a consumer group (KIP-848): its members use ConsumerGroupHeartbeat.` };
    }
    this.forget(groupId, consumer);
    return this.start(groupId, { ...emptyGroupData(groupId, this.options.clock.now()), ...offsetsPart(snapshot.context.group) });
  }

  /**
   * A consumer group created for a join that was refused (an invalid request, an unknown assignor) wrote nothing and
   * holds nothing: it is forgotten, as Kafka's group created inside a failed request is rolled back.
   */
  forgetIfUnused(groupId: string): void {
    const actor = this.consumerGroups.get(groupId);
    if (actor === undefined) return;
    const { context } = actor.getSnapshot();
    const unused = context.group.groupEpoch === 0 && Object.keys(context.group.offsets).length === 0 && context.nextAppendToken === 1;
    if (unused && isIdle(context.stateName === 'Empty', context)) this.forget(groupId, actor);
  }

  /** The committed offsets of the group holding the id, whichever its kind (OffsetFetch). */
  offsets(groupId: string): GroupOffsets | undefined {
    return this.groups.get(groupId)?.getSnapshot().context.group ?? this.consumerGroups.get(groupId)?.getSnapshot().context.group;
  }

  /** The recorded rebalances of the group holding the id, whichever its kind (DescribeRebalances). */
  rebalances(groupId: string): RebalanceLog | undefined {
    return this.groups.get(groupId)?.getSnapshot().context.rebalances ?? this.consumerGroups.get(groupId)?.getSnapshot().context.rebalances;
  }

  consumerView(groupId: string): ConsumerGroupView | undefined {
    const actor = this.consumerGroups.get(groupId);
    if (actor === undefined) return undefined;
    const { context } = actor.getSnapshot();
    return { groupId, state: context.stateName, group: context.group, rebalances: context.rebalances };
  }

  /** Every group of both kinds, as ListGroups lists them. */
  listed(): ListedGroup[] {
    const classic = this.views().map((view): ListedGroup => ({ groupId: view.groupId, protocolType: view.group.protocolType ?? '', state: view.state, groupType: 'classic' }));
    const consumer = [...this.consumerGroups.keys()].flatMap((groupId): ListedGroup[] => {
      const view = this.consumerView(groupId);
      // Kafka lists a consumer group with the consumer protocol type.
      return view === undefined ? [] : [{ groupId, protocolType: 'consumer', state: view.state, groupType: 'consumer' }];
    });
    return [...classic, ...consumer];
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
    const actor = this.groups.get(groupId) ?? this.consumerGroups.get(groupId);
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
    for (const actor of [...this.groups.values(), ...this.consumerGroups.values()]) {
      actor.send({ type: 'group.unload' });
      actor.stop();
    }
    this.groups.clear();
    this.consumerGroups.clear();
  }

  /** The process died, or the partition could not be loaded: the groups stop without unloading, so their timers never fire. */
  halt(): void {
    this.loading = null;
    for (const actor of [...this.groups.values(), ...this.consumerGroups.values()]) actor.stop();
    this.groups.clear();
    this.consumerGroups.clear();
  }

  /** A group converted to the other kind: its actor stops without answering anyone (it was idle). */
  private forget(groupId: string, actor: GroupActor | ConsumerGroupActor): void {
    this.groups.delete(groupId);
    this.consumerGroups.delete(groupId);
    actor.stop();
  }

  private deletionPort(): (token: number, errorName: ErrorName) => void {
    return (token, errorName) => {
      const done = this.pendingDeletions.get(token);
      this.pendingDeletions.delete(token);
      done?.(errorName);
    };
  }

  private startConsumerGroup(groupId: string, data: ConsumerGroupData): ConsumerGroupActor {
    const id = actorIds.group(this.options.brokerId, groupId);
    const actor = createActor(consumerGroupMachine, {
      id,
      clock: this.options.clock,
      inspect: this.options.inspect,
      input: {
        group: data,
        config: this.options.consumerConfig,
        limits: this.options.limits,
        ports: {
          clock: this.options.clock,
          logger: this.logger.child({ actor: id, groupId }),
          responder: this.options.responder,
          currentImage: () => this.options.currentImage(),
          deletionDone: this.deletionPort(),
        },
      },
    });
    actor.on('records.toAppend', ({ token, records, transactional }) =>
      // The records union grows with the consumer group's record types (types 3 to 8) in the same serde.
      this.context.append(records as GroupRecord[], transactional, (result) => actor.send({ type: 'records.appended', token, result })),
    );
    actor.subscribe({
      complete: () => {
        if (this.consumerGroups.get(groupId) === actor) this.consumerGroups.delete(groupId);
      },
      error: (error) => this.options.onFatalError(error),
    });
    this.consumerGroups.set(groupId, actor);
    actor.start();
    return actor;
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
          deletionDone: this.deletionPort(),
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

/** A group with nothing in flight: no append pending and no transactional offsets waiting for a marker. */
function isIdle(isEmpty: boolean, context: { pendingAppends: Record<number, unknown>; group: GroupOffsets }): boolean {
  return isEmpty && Object.keys(context.pendingAppends).length === 0 && Object.keys(context.group.pendingTransactionalOffsets).length === 0;
}

function offsetsPart(group: GroupOffsets): Pick<GroupOffsets, 'offsets' | 'pendingTransactionalOffsets'> {
  return { offsets: group.offsets, pendingTransactionalOffsets: group.pendingTransactionalOffsets };
}
