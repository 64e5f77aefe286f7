/**
 * The seam between a consumer and its group protocol: what the protocol-independent part of the consumer
 * (ConsumerCoordinator: listener calls, auto-commit before a revocation, committed offsets, the rebalance
 * records, lifecycle events) asks of a membership, and the events a membership sends it. The classic
 * protocol (JoinGroup/SyncGroup, EAGER or COOPERATIVE, ClassicMembership) and KIP-848's consumer protocol
 * (ConsumerGroupHeartbeat, https://cwiki.apache.org/confluence/display/KAFKA/KIP-848%3A+The+Next+Generation+of+the+Consumer+Rebalance+Protocol)
 * both implement it, so neither protocol's states leak into the consumer. Kafka draws the same line
 * between its new consumer's application thread and its `MembershipManager`.
 *
 * The contract, in order:
 * 1. The consumer calls `start(onEvent)` once, then `subscribe(topics)` whenever its subscription (or the
 *    topics its pattern matches) changes, and `poll()` on every application turn (Kafka rebalances only
 *    inside poll()). Every call below is made on the application's turn, never from inside `onEvent`
 *    except where said.
 * 2. The membership sends, synchronously from its own progress (answers, timers) or from inside a call:
 *    - `state` whenever its state changes, with the protocol's own state names;
 *    - `rebalance.started` when the member starts (re)joining from a settled assignment or from outside
 *      the group, `rebalance.joined` for each generation (classic) or member epoch (KIP-848) it gets
 *      on the way, and `rebalance.ended` when the rebalance is over: `completed: true` after the consumer
 *      applied the new assignment (see 4), `completed: false` when the member left the group meanwhile;
 *    - `revocation.requested` when the consumer must give up partitions before the member goes on;
 *    - `assignment.ready` when an assignment waits to be applied;
 *    - `error` for an error poll() must throw: `fatal` ones (the member is out of the group for good)
 *      on every poll() from now on, the others once.
 * 3. On its next poll() the consumer runs a requested revocation: the auto-commit first when
 *    `autoCommitFirst` (then `autoCommitDone()`, to which the membership may answer with a revocation of
 *    kind `lose` that replaces this one), then onPartitionsRevoked (kind `revoke`) or onPartitionsLost (kind `lose`: the
 *    partitions may belong to another member already, nothing is committed for them), applies
 *    `thenAssign` when the revocation comes with a new assignment (classic COOPERATIVE after SyncGroup),
 *    and answers `revocationDone(owned)` with every partition it still holds. KIP-848's revocations are
 *    incremental: several may follow one another, each acknowledged by revocationDone, and the
 *    membership acknowledges them to the coordinator in its next heartbeat.
 * 4. An `assignment.ready` not superseded before the next poll() (by a `revocation.requested`, a
 *    `rebalance.started` or a `rebalance.ended`) is applied there: the consumer installs the partitions,
 *    runs onPartitionsAssigned with what was added, and answers `assignmentApplied(generation)`; the
 *    membership then ends the rebalance when that assignment settles it (classic: at once; KIP-848:
 *    when the coordinator's answer makes the member STABLE, which can be later).
 * 5. Commits ask `commitPermission()` for the identity they carry (classic: generation id and member
 *    id; KIP-848: the member epoch in the same field and the client-generated member id, KIP-1082), and
 *    report a refusal with `commitRefused` (the membership may rejoin or fence itself).
 * 6. Leaving: the consumer gives up what it owns as `releaseOnLeave()` says (revoked while the member
 *    is in a generation, lost otherwise), then calls `unsubscribe()` (leave, keep the subscription-less
 *    membership usable) or `close()` (leave for good), and finally `stop()`, after which nothing is sent.
 */
import type { RebalanceProtocol } from '@kactor/assignors';
import type { TopicPartition } from '../../topic-partition.js';
import type { CommitGeneration } from './group-offsets.js';
import type { ConsumerGroupStateName, CoordinatorNode } from './group-types.js';
import type { RebalanceTrigger } from './rebalance-record.js';

/** group.protocol: Kafka's names for the two protocols. */
export type GroupProtocol = 'classic' | 'consumer';

/** KIP-848's member states (Kafka's `MemberState`), the state names of a `consumer` membership. */
export type ConsumerMemberStateName = 'UNSUBSCRIBED' | 'JOINING' | 'RECONCILING' | 'ACKNOWLEDGING' | 'STABLE' | 'FENCED' | 'PREPARE_LEAVING' | 'LEAVING' | 'STALE' | 'FATAL';

/** A membership's state name: the classic machine's (lower case) or KIP-848's (Kafka's upper case). */
export type MembershipStateName = ConsumerGroupStateName | ConsumerMemberStateName;

/** The membership as tooling sees it (`consumer.groupMembership()`). */
export interface MembershipView {
  readonly protocol: GroupProtocol;
  readonly state: MembershipStateName;
  /** Classic: the generation id (-1 outside one). KIP-848: the member epoch (0 before the first heartbeat answer, -1 after leaving). */
  readonly generationId: number;
  /** Classic: '' until the coordinator gives one. KIP-848: generated by the client (KIP-1082), kept for the consumer's lifetime. */
  readonly memberId: string;
}

/**
 * Whether a commit may go out now, and with which identity. `member`: commit with it (classic: the
 * generation, Kafka's `generationIfStable`; KIP-848: the member epoch as generationIdOrMemberEpoch).
 * `rebalancing`: the member is between generations and will have one after poll() (RebalanceInProgressError).
 * `outside`: the member has no generation to commit in (CommitFailedError: fenced, left after
 * max.poll.interval.ms).
 */
export type CommitPermission =
  | { readonly kind: 'member'; readonly generation: CommitGeneration }
  | { readonly kind: 'rebalancing' }
  | { readonly kind: 'outside' };

/** How the consumer gives up its partitions: `revoke` (onPartitionsRevoked, commits allowed) or `lose` (onPartitionsLost, nothing committed). */
export type ReleaseKind = 'revoke' | 'lose';

/** An assignment for the consumer to apply, in a generation (classic) or member epoch (KIP-848). */
export interface ReadyAssignment {
  readonly partitions: readonly TopicPartition[];
  readonly generation: number;
  /**
   * Topics whose metadata the consumer must keep fresh besides the assigned ones: a classic group's
   * leader watches every topic the group subscribes to, to notice partition count changes. Empty when
   * the coordinator does it (KIP-848).
   */
  readonly watchTopics: readonly string[];
  /**
   * True when the consumer skips (only acknowledges) an assignment it already holds in the generation it
   * applied (classic). Absent or false (KIP-848): the consumer applies it each time, as Kafka's
   * reconciliation calls onPartitionsAssigned with what was added, even none, after every revocation in
   * the same member epoch.
   */
  readonly skipWhenHeld?: boolean;
}

export type MembershipEvent =
  | { readonly type: 'state'; readonly from: MembershipStateName; readonly to: MembershipStateName; readonly generation: number }
  /** A rebalance starts for this member; `trigger` in the rebalance records' vocabulary, `reason` in words. */
  | { readonly type: 'rebalance.started'; readonly trigger: RebalanceTrigger; readonly reason: string }
  /** The member joined a generation (classic JoinGroup answer) or got a new member epoch (KIP-848) during the rebalance. */
  | { readonly type: 'rebalance.joined'; readonly generation: number }
  | { readonly type: 'rebalance.ended'; readonly completed: boolean }
  | {
      readonly type: 'revocation.requested';
      readonly kind: ReleaseKind;
      /** The partitions to give up (a subset of what the consumer holds). */
      readonly partitions: readonly TopicPartition[];
      /** Run the auto-commit (with enable.auto.commit) before the listener: Kafka's classic onJoinPrepare commits before every rejoin. */
      readonly autoCommitFirst: boolean;
      /** Call onPartitionsRevoked even with no partition (EAGER: Kafka calls it at every rebalance). */
      readonly notifyWhenEmpty: boolean;
      /** An assignment to apply right after the revocation, in the same turn; null for a revocation alone. */
      readonly thenAssign: ReadyAssignment | null;
    }
  | ({ readonly type: 'assignment.ready' } & ReadyAssignment)
  | { readonly type: 'error'; readonly error: unknown; readonly fatal: boolean };

export type MembershipEventHandler = (event: MembershipEvent) => void;

/** What the consumer asks of a membership; see the contract above. */
export interface GroupMembership {
  readonly protocol: GroupProtocol;
  /** What the consumer's events and rebalance records call the protocol (KIP-848 reconciles incrementally: COOPERATIVE). */
  readonly rebalanceProtocol: RebalanceProtocol;
  /** Starts the membership; `onEvent` receives every event until stop(). */
  start(onEvent: MembershipEventHandler): void;
  /** The subscribed topics (sorted or not; may be empty). */
  subscribe(topics: readonly string[]): void;
  /** The application's turn: resets max.poll.interval.ms and lets a pending rebalance step proceed. */
  poll(): void;
  /**
   * The consumer ran the auto-commit a revocation asked for and is about to call the listener. The
   * membership may answer, from inside this call, with a new `revocation.requested` that replaces the
   * pending one: kind `lose` when the member lost its generation or epoch during the commit (Kafka decides
   * revoked or lost after its commit). The consumer then runs that one instead.
   */
  autoCommitDone(): void;
  /** The consumer ran the requested revocation; `owned`: every partition it still holds. */
  revocationDone(owned: readonly TopicPartition[]): void;
  /** The consumer applied the assignment of `generation` (and ran onPartitionsAssigned). */
  assignmentApplied(generation: number): void;
  /** The consumer's metadata changed (partition counts, topics). */
  metadataUpdated(): void;
  /** The coordinator the membership knows, shared with the offsets path; null while unknown. */
  coordinator(): CoordinatorNode | null;
  /** The offsets path found the coordinator on its own. */
  coordinatorDiscovered(coordinator: CoordinatorNode): void;
  /** The offsets path was told the coordinator moved, or lost its connection. */
  coordinatorLost(url: string, reason: string): void;
  commitPermission(): CommitPermission;
  /** A commit sent with `sent` was refused with `errorName` (fenced, stale, or the group is rebalancing). */
  commitRefused(errorName: string, sent: CommitGeneration): void;
  /** How partitions are given up if the member leaves now. */
  releaseOnLeave(): ReleaseKind;
  /** Leaves the group (after the consumer gave up its partitions); the membership can join again on a later subscribe and poll. */
  unsubscribe(): void;
  /** Leaves the group for good. */
  close(): void;
  /** Stops the membership's machine; no event is sent after it. */
  stop(): void;
  /** State, generation or member epoch and member id, for tooling (`consumer.groupMembership()`). */
  membership(): MembershipView;
}
