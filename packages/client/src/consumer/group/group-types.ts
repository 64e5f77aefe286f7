/**
 * The consumer group member's data: its settings, the ports it talks through, what it remembers (the
 * machine's context) and the events that drive it. The machine itself is in consumer-group.machine.ts.
 */
import type { RebalanceProtocol } from '@kactor/assignors';
import type { ApiName, ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import type { Clock, Logger, Random, RequestOptions, RpcResult } from '@kactor/runtime';
import type { TopicPartition } from '../../topic-partition.js';
import type { RebalanceTrigger } from './rebalance-record.js';

/** The group APIs a member sends to its coordinator. */
export type GroupApi = Extract<ApiName, 'joinGroup' | 'syncGroup' | 'heartbeat' | 'leaveGroup'>;

/** The member's settings, by their Kafka names (camelCase). */
export interface ConsumerGroupSettings {
  /** group.id */
  readonly groupId: string;
  /**
   * group.instance.id: a static member (KIP-345,
   * https://cwiki.apache.org/confluence/display/KAFKA/KIP-345%3A+Introduce+static+membership+protocol+to+reduce+consumer+rebalances)
   * sends it in every group request and never sends LeaveGroup; null for a dynamic member.
   */
  readonly groupInstanceId: string | null;
  /** client.id, sent in JoinGroup (the coordinator derives member ids from it). */
  readonly clientId: string;
  /** session.timeout.ms */
  readonly sessionTimeoutMs: number;
  /** heartbeat.interval.ms */
  readonly heartbeatIntervalMs: number;
  /** max.poll.interval.ms, also the rebalance timeout sent in JoinGroup. */
  readonly maxPollIntervalMs: number;
  /** retry.backoff.ms */
  readonly retryBackoffMs: number;
  /** retry.backoff.max.ms */
  readonly retryBackoffMaxMs: number;
  /** request.timeout.ms */
  readonly requestTimeoutMs: number;
  /** The assignors offered in JoinGroup, by protocol name, most preferred first. */
  readonly assignors: readonly string[];
  /** The highest protocol every configured assignor supports (see `rebalanceProtocolOf`). */
  readonly rebalanceProtocol: RebalanceProtocol;
}

/** Where the group's coordinator is. */
export interface CoordinatorNode {
  readonly nodeId: number;
  readonly url: string;
}

/** How the member reaches the cluster. Results come back through callbacks, which the machine turns into events. */
export interface ConsumerGroupPorts {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** FindCoordinator to any broker (the least loaded one, as Kafka's consumer does). */
  findCoordinator(body: RequestBody<'findCoordinator'>, onResult: (result: RpcResult<'findCoordinator'>) => void): void;
  /** A group request to the coordinator at `url`. */
  request<A extends GroupApi>(url: string, api: A, body: RequestBody<A>, onResult: (result: RpcResult<A>) => void, options?: RequestOptions): void;
  /** The partition count of `topic` in the member's current metadata, or undefined when unknown. */
  partitionCount(topic: string): number | undefined;
  /** The partitions the consumer holds right now: what a revocation gives up is computed from them. */
  heldPartitions(): TopicPartition[];
  /** When the application last called poll() (null: never); the poll timer reads it when it fires (poll-timer.ts). */
  lastPollMs(): number | null;
}

export interface ConsumerGroupInput {
  readonly settings: ConsumerGroupSettings;
  readonly ports: ConsumerGroupPorts;
}

/** A member of the group as the leader learns it from JoinGroup. */
export interface JoinedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Uint8Array;
}

/**
 * What the consumer gives up on its next poll() before the member goes on (Kafka's onJoinPrepare, and
 * onJoinComplete for COOPERATIVE): `all` (EAGER: everything it owns), `lost` (everything, without
 * committing: the generation is gone), `unsubscribed` (COOPERATIVE before a rejoin: only partitions of
 * topics no longer subscribed), `moved` (COOPERATIVE after SyncGroup: owned minus assigned, while the
 * new assignment is applied; a second round follows).
 */
export type RevocationKind = 'all' | 'lost' | 'unsubscribed' | 'moved';

export interface PendingRevocation {
  readonly kind: RevocationKind;
  /**
   * True when the member lost its generation (fenced, or it left after max.poll.interval.ms): its
   * partitions may already belong to someone else, so they are *lost* (onPartitionsLost) rather than
   * revoked, and nothing is committed for them.
   */
  readonly lost: boolean;
  /** The generation the partitions were owned in (-1 when lost). */
  readonly generationId: number;
  readonly reason: string;
}

export interface ConsumerGroupContext extends ConsumerGroupInput {
  /** Subscribed topics, sorted; `subscribed` says whether the application subscribed at all. */
  readonly subscription: readonly string[];
  readonly subscribed: boolean;
  /** The topics sent in the last JoinGroup: a subscription that changed since then needs a rejoin. */
  readonly joinedSubscription: readonly string[] | null;
  readonly coordinator: CoordinatorNode | null;
  /** '' until the coordinator gives one (KIP-394), and again after UNKNOWN_MEMBER_ID or leaving. */
  readonly memberId: string;
  /** -1 when the member has no generation (never joined, fenced, left). */
  readonly generationId: number;
  readonly protocolName: string | null;
  readonly leaderId: string;
  /** Filled only in the leader's JoinGroup answer. */
  readonly members: readonly JoinedMember[];
  /** The member's partitions in `generationId`, from SyncGroup. */
  readonly assignment: readonly TopicPartition[];
  /**
   * The generation `assignment` came in (-1 before the first), kept when the member later loses its
   * generation: the sticky assignors' userData reports both, and the leader weighs the claim by it.
   */
  readonly assignmentGenerationId: number;
  /**
   * The partitions the member owns as the protocol sees them: sent as ownedPartitions in JoinGroup and
   * compared with the next assignment (COOPERATIVE). The consumer reports them after each revocation;
   * a SyncGroup answer that leads to `stable` makes them the assignment.
   */
  readonly owned: readonly TopicPartition[];
  /** JoinGroup said the leader need not assign (a static member's restart, KIP-814): its SyncGroup carries no assignments. */
  readonly skipAssignment: boolean;
  /**
   * The leader's record of the partition counts it assigned from (-1: unknown topic). Kafka's leader
   * rejoins when the metadata stops matching it (a topic grew, was created or deleted).
   */
  readonly assignmentSnapshot: Readonly<Record<string, number>> | null;
  /** Numbers the requests whose answers a state waits for, so a late answer to an older one is ignored. */
  readonly requestSequence: number;
  readonly pendingFind: number | null;
  readonly pendingJoin: number | null;
  readonly pendingSync: number | null;
  readonly pendingHeartbeat: number | null;
  /** The time the next heartbeat is counted from: the last one sent, or when heartbeats were (re)enabled. */
  readonly heartbeatTimerStartMs: number;
  /** When the poll timer was last armed (heartbeats enabled): max.poll.interval.ms counts from it or the last poll(), whichever is later. */
  readonly pollTimerStartMs: number;
  /** Consecutive failed heartbeats, for the exponential backoff before the next one. */
  readonly heartbeatFailures: number;
  /** The leader's encoded assignments for its SyncGroup, between computing and sending them. */
  readonly syncAssignments: ReadonlyArray<{ memberId: string; assignment: Uint8Array }> | null;
  /** Consecutive failures of the coordinator lookup or join, for the exponential backoff. */
  readonly retryAttempts: number;
  readonly revocation: PendingRevocation | null;
  /** Why the member is (re)joining, for logs and LeaveGroup reasons. */
  readonly rejoinReason: string;
  /** The same, in the rebalance records' vocabulary. */
  readonly rejoinTrigger: RebalanceTrigger;
  /** A non-fatal error for the next poll() to throw (an assignment that could not be computed...). */
  readonly error: unknown;
  /** Why the member is dead when it did not just close: INCONSISTENT_GROUP_PROTOCOL and the like. */
  readonly fatalError: unknown;
  /** The top-level state last announced to the consumer (the `from` of the next `state` event). */
  readonly announcedState: ConsumerGroupStateName;
}

/** A response as data: 'NONE' with the body, or the error (from the body, or the request as a whole). */
export type GroupOutcome<A extends ApiName> =
  | { readonly errorName: 'NONE'; readonly body: ResponseBody<A>; readonly message: null }
  | { readonly errorName: Exclude<ErrorName, 'NONE'>; readonly body: ResponseBody<A> | null; readonly message: string | null };

/** The generation a request was sent in, so a late answer can be matched against the current one. */
export interface SentGeneration {
  readonly generationId: number;
  readonly memberId: string;
}

export type ConsumerGroupEvent =
  /** The application subscribed (or its pattern now matches these topics); `topics` may be empty. */
  | { type: 'app.subscribe'; topics: readonly string[] }
  | { type: 'app.unsubscribe' }
  /**
   * The application called poll() while the member waits for it (states tagged MOVED_BY_POLL_TAG): a rejoin
   * starts. The host notes every poll()'s time for the poll timer (ports.lastPollMs) and sends this only then.
   */
  | { type: 'app.poll' }
  /** The consumer ran the revocation (commit, listener) the machine asked for; `owned`: what it still holds (default none). */
  | { type: 'app.revocationDone'; owned?: readonly TopicPartition[] }
  /**
   * The consumer ran the auto-commit the revocation asked for and is about to call the listener: the
   * machine decides now whether the partitions are still revoked, or lost because the member lost its
   * generation meanwhile (Kafka's onJoinPrepare looks at the generation after its commit).
   */
  | { type: 'app.autoCommitDone' }
  | { type: 'app.close' }
  /** The consumer applied the assignment of `generation` (and ran onPartitionsAssigned). */
  | { type: 'app.assignmentApplied'; generation: number }
  /** The member's metadata changed; the leader compares partition counts with its assignment snapshot. */
  | { type: 'metadata.updated' }
  /** The offsets path (commit, committed) found the coordinator on its own. */
  | { type: 'coordinator.discovered'; coordinator: CoordinatorNode }
  /** The offsets path was told NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE, or lost the connection. */
  | { type: 'coordinator.lost'; url: string; reason: string }
  /** An OffsetCommit sent in `sent` was refused: the member is fenced, or the group is rebalancing. */
  | { type: 'commit.refused'; errorName: 'ILLEGAL_GENERATION' | 'UNKNOWN_MEMBER_ID' | 'REBALANCE_IN_PROGRESS'; sent: SentGeneration }
  | { type: 'response.findCoordinator'; sequence: number; outcome: GroupOutcome<'findCoordinator'> }
  | { type: 'response.joinGroup'; sequence: number; outcome: GroupOutcome<'joinGroup'> }
  /** `assignment` is the decoded ConsumerProtocolAssignment of a successful answer; `problem` says why it could not be read. */
  | { type: 'response.syncGroup'; sequence: number; outcome: GroupOutcome<'syncGroup'>; assignment: readonly TopicPartition[]; problem: unknown }
  | { type: 'response.heartbeat'; sequence: number; sent: SentGeneration; outcome: GroupOutcome<'heartbeat'> }
  /** heartbeat.interval.ms passed since the last heartbeat (or a retry backoff after a failed one). */
  | { type: 'timer.heartbeatDue' }
  /** session.timeout.ms passed without a successful heartbeat answer: the coordinator is presumed gone. */
  | { type: 'timer.sessionExpired' }
  /** The poll timer fired: the member leaves the group proactively if max.poll.interval.ms passed without poll(). */
  | { type: 'timer.pollExpired' };

/** What the consumer reads off the machine (a snapshot's context and state, flattened for the glue). */
export type ConsumerGroupStateName = 'unjoined' | 'joining' | 'syncing' | 'stable' | 'rebalancing' | 'dead';
