/**
 * The leader's side of ISR changes (Partition.maybeShrinkIsr / maybeExpandIsr / sendAlterPartitionRequest, KIP-497:
 * https://cwiki.apache.org/confluence/display/KAFKA/KIP-497%3A+Add+inter-broker+API+to+alter+ISR). The leader only
 * proposes; the controller's answer (or a newer metadata image) is the truth. At most one proposal is in flight per
 * partition: while one is pending no other is built.
 */
import type { ErrorName } from '@kactor/protocol';
import { assertLeaderEpochMove, ReplicationInvariantError } from './invariants.js';
import { isFollowerCaughtUp, type FollowerReplicaState } from './replica-state.js';

export interface PendingIsrChange {
  readonly kind: 'expand' | 'shrink';
  /** The replica joining (expand) or the replicas leaving (shrink). */
  readonly replicas: readonly number[];
  readonly proposedIsr: readonly number[];
}

export interface LeaderIsrState {
  readonly leaderId: number;
  /** The ISR the controller committed. */
  readonly isr: readonly number[];
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly pendingIsrChange: PendingIsrChange | undefined;
}

export interface AlterPartitionRequest {
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  /** Each member with the broker epoch the leader saw in its fetches (KIP-903; -1 when unknown). */
  readonly newIsrWithEpochs: readonly { readonly brokerId: number; readonly brokerEpoch: number }[];
}

export interface IsrProposal {
  readonly state: LeaderIsrState;
  readonly request: AlterPartitionRequest;
}

/** The state of a broker that has just become leader (or learnt a newer partition epoch) from metadata. */
export function leaderIsrState(leaderId: number, isr: readonly number[], leaderEpoch: number, partitionEpoch: number): LeaderIsrState {
  if (!isr.includes(leaderId)) throw new ReplicationInvariantError('isr-without-leader', `leader ${leaderId} is not in ISR [${isr.join(',')}]`);
  return { leaderId, isr, leaderEpoch, partitionEpoch, pendingIsrChange: undefined };
}

/**
 * The ISR the HW must wait for: a pending addition already counts (the new member must not find the HW above its
 * LEO once it is in), a pending removal only once the controller confirmed it.
 */
export function maximalIsr(state: LeaderIsrState): readonly number[] {
  const pending = state.pendingIsrChange;
  if (pending?.kind !== 'expand') return state.isr;
  return [...state.isr, ...pending.replicas.filter((id) => !state.isr.includes(id))];
}

export interface OutOfSyncInputs {
  readonly state: LeaderIsrState;
  readonly followers: readonly FollowerReplicaState[];
  readonly leaderLogEndOffset: number;
  readonly nowMs: number;
  /** replica.lag.time.max.ms (30000). */
  readonly replicaLagTimeMaxMs: number;
}

/**
 * ISR followers that have not been caught up within replica.lag.time.max.ms (Partition.getOutOfSyncReplicas), never
 * the leader. A member the leader has no state for cannot be shown to be caught up, so it counts as out of sync.
 */
export function outOfSyncReplicas(inputs: OutOfSyncInputs): number[] {
  const { state } = inputs;
  return state.isr.filter((id) => {
    if (id === state.leaderId) return false;
    const follower = inputs.followers.find((candidate) => candidate.brokerId === id);
    return follower === undefined || !isFollowerCaughtUp(follower, inputs.leaderLogEndOffset, inputs.nowMs, inputs.replicaLagTimeMaxMs);
  });
}

export type BrokerEpochOf = (brokerId: number) => number;

/** The AlterPartition request for a change: the proposed ISR at the epochs the leader holds. */
export function alterPartitionRequestFor(state: LeaderIsrState, pending: PendingIsrChange, brokerEpochOf: BrokerEpochOf): AlterPartitionRequest {
  return {
    leaderId: state.leaderId,
    leaderEpoch: state.leaderEpoch,
    partitionEpoch: state.partitionEpoch,
    newIsrWithEpochs: pending.proposedIsr.map((brokerId) => ({ brokerId, brokerEpoch: brokerEpochOf(brokerId) })),
  };
}

function proposal(state: LeaderIsrState, pending: PendingIsrChange, brokerEpochOf: BrokerEpochOf): IsrProposal {
  return { state: { ...state, pendingIsrChange: pending }, request: alterPartitionRequestFor(state, pending, brokerEpochOf) };
}

/** Proposes dropping `outOfSync` from the ISR, unless nothing is out of sync or a change is already in flight. */
export function proposeIsrShrink(state: LeaderIsrState, outOfSync: readonly number[], brokerEpochOf: BrokerEpochOf = () => -1): IsrProposal | undefined {
  const leaving = outOfSync.filter((id) => id !== state.leaderId && state.isr.includes(id));
  if (state.pendingIsrChange !== undefined || leaving.length === 0) return undefined;
  const proposedIsr = state.isr.filter((id) => !leaving.includes(id));
  return proposal(state, { kind: 'shrink', replicas: leaving, proposedIsr }, brokerEpochOf);
}

export interface ExpandInputs {
  readonly state: LeaderIsrState;
  readonly follower: FollowerReplicaState;
  readonly highWatermark: number;
  /** Where the current leader epoch starts in the leader's log (the LEO when it became leader). */
  readonly leaderEpochStartOffset: number;
  /** Unfenced, not shutting down (KIP-841) and the broker epoch it fetched with is current (KIP-903). */
  readonly isrEligible: boolean;
}

/**
 * A follower may join the ISR once its LEO has reached both the HW and the start of the current leader epoch
 * (Partition.isFollowerInSync): reaching the HW alone could leave it holding records of an older epoch that a
 * truncation would still remove (testFollowerDoesNotJoinISRUntilCaughtUpToOffsetWithinCurrentLeaderEpoch).
 */
export function canJoinIsr(inputs: ExpandInputs): boolean {
  const { state, follower } = inputs;
  return (
    state.pendingIsrChange === undefined &&
    !state.isr.includes(follower.brokerId) &&
    follower.logEndOffset >= inputs.highWatermark &&
    follower.logEndOffset >= inputs.leaderEpochStartOffset &&
    inputs.isrEligible
  );
}

export function proposeIsrExpand(inputs: ExpandInputs, brokerEpochOf: BrokerEpochOf = () => -1): IsrProposal | undefined {
  if (!canJoinIsr(inputs)) return undefined;
  const { state, follower } = inputs;
  return proposal(state, { kind: 'expand', replicas: [follower.brokerId], proposedIsr: [...state.isr, follower.brokerId] }, brokerEpochOf);
}

export type AlterPartitionAnswer =
  | { readonly error: 'NONE'; readonly leaderEpoch: number; readonly partitionEpoch: number; readonly isr: readonly number[] }
  | { readonly error: Exclude<ErrorName, 'NONE'> };

/**
 * - `committed`: the controller's ISR is now the leader's; recompute the HW.
 * - `reverted`: refused for a reason that cannot have been applied (INELIGIBLE_REPLICA, OPERATION_NOT_ATTEMPTED):
 *   back to the committed ISR, and a new proposal may be built.
 * - `awaiting-metadata`: the leader's view is stale (FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, ...) or the answer
 *   is for an older epoch; the change stays pending until a newer metadata image arrives (`applyPartitionMetadata`).
 * - `retry`: any other (transient) error; send the same request again.
 * - `ignored`: nothing was in flight.
 */
export type AlterPartitionOutcome = 'committed' | 'reverted' | 'awaiting-metadata' | 'retry' | 'ignored';

const REVERTING_ERRORS: readonly ErrorName[] = ['INELIGIBLE_REPLICA', 'OPERATION_NOT_ATTEMPTED'];
const STALE_VIEW_ERRORS: readonly ErrorName[] = ['FENCED_LEADER_EPOCH', 'INVALID_UPDATE_VERSION', 'UNKNOWN_TOPIC_OR_PARTITION', 'INVALID_REQUEST', 'NEW_LEADER_ELECTED', 'NOT_LEADER_OR_FOLLOWER'];

/** Applies the controller's answer to the pending change (Partition.handleAlterPartitionUpdate / handleAlterPartitionError). */
export function applyAlterPartitionAnswer(state: LeaderIsrState, answer: AlterPartitionAnswer): { state: LeaderIsrState; outcome: AlterPartitionOutcome } {
  if (state.pendingIsrChange === undefined) return { state, outcome: 'ignored' };
  if (answer.error === 'NONE') {
    if (answer.leaderEpoch !== state.leaderEpoch || answer.partitionEpoch < state.partitionEpoch) return { state, outcome: 'awaiting-metadata' };
    return { state: { ...state, isr: answer.isr, partitionEpoch: answer.partitionEpoch, pendingIsrChange: undefined }, outcome: 'committed' };
  }
  if (REVERTING_ERRORS.includes(answer.error)) return { state: { ...state, pendingIsrChange: undefined }, outcome: 'reverted' };
  if (STALE_VIEW_ERRORS.includes(answer.error)) return { state, outcome: 'awaiting-metadata' };
  return { state, outcome: 'retry' };
}

/**
 * A metadata image for this partition: older partition epochs are ignored (KRaft's propagation rule); a current or
 * newer one replaces the committed ISR and ends any pending change, since the controller's records are the truth.
 */
export function applyPartitionMetadata(state: LeaderIsrState, image: { isr: readonly number[]; leaderEpoch: number; partitionEpoch: number }): LeaderIsrState {
  if (image.partitionEpoch < state.partitionEpoch) return state;
  assertLeaderEpochMove(state.leaderEpoch, image.leaderEpoch);
  return { ...state, isr: image.isr, leaderEpoch: image.leaderEpoch, partitionEpoch: image.partitionEpoch, pendingIsrChange: undefined };
}
