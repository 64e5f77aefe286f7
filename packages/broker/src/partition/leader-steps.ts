/**
 * What a partition leader does on each event, as steps: each takes the context and the time and returns the
 * context changes, the events to emit and the produce timers to start or cancel. The chart's named actions apply a
 * step; the decisions themselves come from the pure replication core (../replication), so each is tested once.
 */
import { validateRecordBatches } from '@kactor/protocol';
import {
  alterPartitionRequestFor,
  applyAlterPartitionAnswer,
  applyPartitionMetadata,
  checkBeforeAppend,
  effectiveMinInsyncReplicas,
  handleFollowerFetch,
  maximalIsr,
  nextHighWatermark,
  outOfSyncReplicas,
  produceCompletion,
  proposeIsrExpand,
  proposeIsrShrink,
  type AlterPartitionAnswer,
  type IsrProposal,
  type LeaderReplicationState,
} from '../replication/index.js';
import type { ErrorName } from '@kactor/protocol';
import type { AwaitingReplication, PartitionContext, PartitionEmitted, PartitionEvent, PartitionLeadership, ProduceCompleted } from './partition-types.js';
import { storedBatchesFromHeaders } from './producer-state-log.js';
import { checkProducerBatches, recordProducerBatches, snapshotIfRolled } from './producer-steps.js';

export interface Step {
  context: Partial<PartitionContext>;
  emits: PartitionEmitted[];
  startProduceTimers: Array<{ produceId: string; delayMs: number }>;
  cancelProduceTimers: string[];
  /** The controller could not take the ISR change now: send it again after a pause. */
  retryAlterPartition?: boolean;
}

export const emptyStep = (): Step => ({ context: {}, emits: [], startProduceTimers: [], cancelProduceTimers: [] });

/** What a produce's answer says beyond its error: each part left out takes Kafka's "none" (-1, or no message). */
type ProduceOutcome = Pick<ProduceCompleted, 'errorName'> & Partial<Pick<ProduceCompleted, 'errorMessage' | 'baseOffset' | 'logAppendTimeMs' | 'logStartOffset'>>;

// Field by field rather than defaults overridden by a spread of `outcome`: one of these is built per produced batch.
export function completed(context: PartitionContext, produceId: string, outcome: ProduceOutcome): ProduceCompleted {
  return {
    type: 'produce.completed',
    produceId,
    topic: context.topic,
    partition: context.partition,
    errorName: outcome.errorName,
    errorMessage: outcome.errorMessage ?? null,
    baseOffset: outcome.baseOffset ?? -1,
    logAppendTimeMs: outcome.logAppendTimeMs ?? -1,
    logStartOffset: outcome.logStartOffset ?? context.ports.log.logStartOffset,
  };
}

/** The answer to a write that waited for the high watermark: a produce's, or a transaction marker's. */
export function answerWaiting(context: PartitionContext, waiting: AwaitingReplication, errorName: ErrorName, errorMessage: string | null, baseOffset: number): PartitionEmitted {
  if (waiting.markerId !== undefined) {
    return { type: 'txn.markerWritten', markerId: waiting.markerId, topic: context.topic, partition: context.partition, errorName, errorMessage };
  }
  return completed(context, waiting.produceId, { errorName, errorMessage, baseOffset });
}

export function requireLeaderState(context: PartitionContext): LeaderReplicationState {
  if (context.leaderState === undefined) throw new Error(`${context.topic}-${context.partition}: a leader step ran without leader state`);
  return context.leaderState;
}

/** Whether a follower may count towards the high watermark: registered, unfenced, with the broker epoch it fetched with. */
function isrEligibility(context: PartitionContext, leaderState: LeaderReplicationState): (brokerId: number) => boolean {
  return (brokerId) => context.ports.isReplicaIsrEligible(brokerId, leaderState.followers.find((candidate) => candidate.brokerId === brokerId)?.brokerEpoch);
}

function minIsr(context: PartitionContext): number {
  return effectiveMinInsyncReplicas(context.config.minInsyncReplicas, context.replicas.length);
}

/**
 * Recomputes the HW over the given leader state and answers every waiting acks=all produce whose fate is now known
 * (Kafka's tryCompleteDelayedRequests after maybeIncrementLeaderHW).
 */
function settle(context: PartitionContext, leaderState: LeaderReplicationState, nowMs: number, step: Step): Step {
  const { log } = context.ports;
  const maximal = maximalIsr(leaderState.isrState);
  const minInsyncReplicas = minIsr(context);
  const highWatermark = nextHighWatermark({
    leaderId: context.brokerId,
    leaderLogEndOffset: log.logEndOffset,
    highWatermark: context.highWatermark,
    isr: leaderState.isrState.isr,
    maximalIsr: maximal,
    followers: leaderState.followers,
    minInsyncReplicas,
    nowMs,
    replicaLagTimeMaxMs: context.config.replicaLagTimeMaxMs,
    isReplicaIsrEligible: isrEligibility(context, leaderState),
  });
  if (leaderState !== context.leaderState) step.context.leaderState = leaderState;
  if (highWatermark !== context.highWatermark) step.context.highWatermark = highWatermark;
  if (highWatermark > context.highWatermark) {
    step.emits.push({ type: 'partition.highWatermarkAdvanced', topic: context.topic, partition: context.partition, highWatermark });
  }
  const awaiting = step.context.awaitingReplication ?? context.awaitingReplication;
  // Most writes (acks 0 and 1) leave nothing waiting: the context keeps its list rather than a new empty one per append.
  if (awaiting.length === 0) return step;
  const view = { isLeader: true, highWatermark, maximalIsrSize: maximal.length, minInsyncReplicas, nowMs };
  const stillWaiting: AwaitingReplication[] = [];
  for (const waiting of awaiting) {
    const outcome = produceCompletion(waiting, view);
    if (!outcome.done) {
      stillWaiting.push(waiting);
      continue;
    }
    step.cancelProduceTimers.push(waiting.produceId);
    step.emits.push(
      answerWaiting(
        context,
        waiting,
        outcome.error,
        outcome.error === 'NONE' ? null : `the in-sync replicas fell below min.insync.replicas ${minIsr(context)} before the batch was committed`,
        outcome.error === 'NONE' || outcome.error === 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' ? waiting.baseOffset : -1,
      ),
    );
  }
  step.context.awaitingReplication = stillWaiting;
  return step;
}

function requestIsrChange(context: PartitionContext, proposal: IsrProposal | undefined, leaderState: LeaderReplicationState, step: Step): LeaderReplicationState {
  if (proposal === undefined) return leaderState;
  step.emits.push({ type: 'isr.alterPartitionRequested', topic: context.topic, partition: context.partition, topicId: context.topicId, request: proposal.request });
  context.ports.logger.info(
    { isr: leaderState.isrState.isr, proposedIsr: proposal.state.pendingIsrChange?.proposedIsr, leaderEpoch: context.leaderEpoch },
    proposal.state.pendingIsrChange?.kind === 'expand' ? 'proposing an ISR expansion' : 'proposing an ISR shrink',
  );
  return { ...leaderState, isrState: proposal.state };
}

/** The broker epoch each proposed ISR member fetched with (KIP-903); the leader's own from its registration. */
function brokerEpochOf(context: PartitionContext, leaderState: LeaderReplicationState) {
  return (brokerId: number) =>
    brokerId === context.brokerId ? context.ports.ownBrokerEpoch() : (leaderState.followers.find((follower) => follower.brokerId === brokerId)?.brokerEpoch ?? -1);
}

/**
 * The high watermark a new leader can already tell (Kafka's makeLeader, then maybeIncrementLeaderHW): with no other
 * in-sync replica it is the log end at once; otherwise it waits for the followers' fetches.
 */
export function highWatermarkOnElection(context: PartitionContext, leaderState: LeaderReplicationState, nowMs: number): Step {
  return settle({ ...context, leaderState }, leaderState, nowMs, emptyStep());
}

/** A produce on the leader (Partition.appendRecordsToLeader, then DelayedProduce for acks=all). */
export function appendAsLeader(context: PartitionContext, event: Extract<PartitionEvent, { type: 'produce.append' }>, nowMs: number): Step {
  const step = emptyStep();
  const origin = event.origin ?? 'client';
  // A coordinator may write control batches (its transaction markers); a client never (Kafka's AppendOrigin checks).
  const validation = validateRecordBatches(event.records, { maxBatchBytes: context.config.maxMessageBytes, fromClient: origin === 'client' });
  if (!validation.ok) {
    step.emits.push(completed(context, event.produceId, { errorName: validation.error, errorMessage: validation.message }));
    return step;
  }
  const leaderState = requireLeaderState(context);
  const isrSize = leaderState.isrState.isr.length;
  if (checkBeforeAppend(event.acks, isrSize, minIsr(context)) !== 'NONE') {
    step.emits.push(
      completed(context, event.produceId, {
        errorName: 'NOT_ENOUGH_REPLICAS',
        errorMessage: `${isrSize} in-sync replica(s) [${leaderState.isrState.isr.join(',')}], min.insync.replicas is ${minIsr(context)}`,
      }),
    );
    return step;
  }
  const batches = storedBatchesFromHeaders(event.records, validation.batches);
  const producerCheck = checkProducerBatches(context, batches, origin);
  if (producerCheck.kind === 'error') {
    step.emits.push(completed(context, event.produceId, { errorName: producerCheck.errorName, errorMessage: producerCheck.message }));
    return step;
  }
  if (producerCheck.kind === 'duplicate') {
    // A retry of a batch already in the log (KIP-98): nothing is written, and the producer hears the offsets it was first
    // written at, once they are committed like any write (acks=all waits for the high watermark to pass them).
    context.ports.logger.debug({ firstOffset: producerCheck.firstOffset, lastOffset: producerCheck.lastOffset }, 'a duplicate of a retained batch: answering with its original offsets');
    if (event.acks !== -1) {
      step.emits.push(completed(context, event.produceId, { errorName: 'NONE', baseOffset: producerCheck.firstOffset }));
      return step;
    }
    return awaitCommit(context, leaderState, step, { produceId: event.produceId, baseOffset: producerCheck.firstOffset, requiredOffset: producerCheck.lastOffset + 1, deadlineMs: nowMs + event.timeoutMs }, nowMs, event.timeoutMs);
  }
  let appended;
  const { log } = context.ports;
  const segmentsBefore = log.segmentCount;
  try {
    // Normally recorded on becoming leader; a full disk then may have kept it out of the epoch cache.
    if ((log.leaderEpochCache.latestEpoch ?? -1) < context.leaderEpoch) log.leaderEpochCache.assign(context.leaderEpoch, log.logEndOffset);
    appended = log.append(event.records, { leaderEpoch: context.leaderEpoch, recordCount: validation.recordCount });
  } catch (error) {
    context.ports.logger.error({ err: error }, 'append failed');
    step.emits.push(completed(context, event.produceId, { errorName: 'KAFKA_STORAGE_ERROR', errorMessage: String(error) }));
    return step;
  }
  const producerState = recordProducerBatches(context.producerState, batches, appended.baseOffset, nowMs, context.highWatermark);
  if (producerState !== context.producerState) step.context.producerState = producerState;
  snapshotIfRolled(context, segmentsBefore, producerState);
  if (event.acks !== -1) {
    step.emits.push(completed(context, event.produceId, { errorName: 'NONE', baseOffset: appended.baseOffset }));
    return announceAppended(context, settle(context, leaderState, nowMs, step));
  }
  const waiting = { produceId: event.produceId, baseOffset: appended.baseOffset, requiredOffset: appended.lastOffset + 1, deadlineMs: nowMs + event.timeoutMs };
  return announceAppended(context, awaitCommit(context, leaderState, step, waiting, nowMs, event.timeoutMs));
}

/**
 * Tells the host once that an append changed what waiting fetches may read, as Kafka's addCompletePurgatoryAction checks
 * the fetch purgatory once per appended partition: the high watermark's move (already in the step) says it when the
 * append moved the HW, else the log end's. Two events for one append would check every waiting fetch twice.
 */
export function announceAppended(context: PartitionContext, step: Step): Step {
  if (step.emits.some((emitted) => emitted.type === 'partition.highWatermarkAdvanced')) return step;
  step.emits.push({ type: 'partition.logEndOffsetAdvanced', topic: context.topic, partition: context.partition, logEndOffset: context.ports.log.logEndOffset });
  return step;
}

/**
 * An acks=all write (a produce, a duplicate's original offsets, a transaction marker) waits until the high watermark
 * passes `waiting.requiredOffset` (Kafka's DelayedProduce), answered at once when it already has.
 */
export function awaitCommit(context: PartitionContext, leaderState: LeaderReplicationState, step: Step, waiting: AwaitingReplication, nowMs: number, timeoutMs: number): Step {
  step.context.awaitingReplication = [...(step.context.awaitingReplication ?? context.awaitingReplication), waiting];
  settle(context, leaderState, nowMs, step);
  const stillWaiting = step.context.awaitingReplication?.some((entry) => entry.produceId === waiting.produceId) ?? false;
  if (stillWaiting) step.startProduceTimers.push({ produceId: waiting.produceId, delayMs: timeoutMs });
  else step.cancelProduceTimers = step.cancelProduceTimers.filter((id) => id !== waiting.produceId);
  return step;
}

/** The produce's TimeoutMs ran out before the HW reached it: the data stays and may still commit. */
export function expireProduce(context: PartitionContext, produceId: string): Step {
  const step = emptyStep();
  const waiting = context.awaitingReplication.find((entry) => entry.produceId === produceId);
  if (waiting === undefined) return step;
  step.context.awaitingReplication = context.awaitingReplication.filter((entry) => entry !== waiting);
  step.emits.push(answerWaiting(context, waiting, 'REQUEST_TIMED_OUT', 'the high watermark did not reach the batch in time (the in-sync replicas did not all fetch it)', -1));
  return step;
}

/**
 * A follower's fetch at the leader (Partition.fetchRecords for a replica): the verdict is emitted for the replica
 * manager, which reads the records; a valid fetch records the follower's position, may propose adding it to the ISR,
 * and moves the HW.
 */
export function followerFetchAtLeader(context: PartitionContext, event: Extract<PartitionEvent, { type: 'replica.fetch' }>, nowMs: number): Step {
  const step = emptyStep();
  const leaderState = requireLeaderState(context);
  const { log } = context.ports;
  const outcome = handleFollowerFetch(
    {
      leaderEpoch: context.leaderEpoch,
      replicas: context.replicas,
      logStartOffset: log.logStartOffset,
      logEndOffset: log.logEndOffset,
      epochs: log.leaderEpochCache,
      followers: leaderState.followers,
      nowMs,
    },
    event,
  );
  if (outcome.kind !== 'read') {
    step.emits.push({ type: 'replica.fetchChecked', fetchId: event.fetchId, verdict: outcome });
    return step;
  }
  step.emits.push({ type: 'replica.fetchChecked', fetchId: event.fetchId, verdict: { kind: 'read' } });
  const followers = [...leaderState.followers.filter((follower) => follower.brokerId !== event.replicaId), outcome.follower];
  let next: LeaderReplicationState = { ...leaderState, followers };
  const expand = proposeIsrExpand(
    {
      state: next.isrState,
      follower: outcome.follower,
      highWatermark: context.highWatermark,
      leaderEpochStartOffset: next.leaderEpochStartOffset,
      isrEligible: context.ports.isReplicaIsrEligible(event.replicaId, outcome.follower.brokerEpoch),
    },
    brokerEpochOf(context, next),
  );
  next = requestIsrChange(context, expand, next, step);
  return settle(context, next, nowMs, step);
}

/** The periodic ISR check (Kafka's isr-expiration task): followers not caught up for replica.lag.time.max.ms leave. */
export function expireLaggingFollowers(context: PartitionContext, nowMs: number): Step {
  const step = emptyStep();
  const leaderState = requireLeaderState(context);
  const outOfSync = outOfSyncReplicas({
    state: leaderState.isrState,
    followers: leaderState.followers,
    leaderLogEndOffset: context.ports.log.logEndOffset,
    nowMs,
    replicaLagTimeMaxMs: context.config.replicaLagTimeMaxMs,
  });
  const next = requestIsrChange(context, proposeIsrShrink(leaderState.isrState, outOfSync, brokerEpochOf(context, leaderState)), leaderState, step);
  // A shrink only counts once committed, but an expansion proposal or time passing can still move the HW.
  return settle(context, next, nowMs, step);
}

/** The controller's answer to this leader's AlterPartition (Partition.handleAlterPartitionUpdate). */
export function alterPartitionAnswered(context: PartitionContext, answer: AlterPartitionAnswer, nowMs: number): Step {
  const step = emptyStep();
  const leaderState = requireLeaderState(context);
  const applied = applyAlterPartitionAnswer(leaderState.isrState, answer);
  if (applied.outcome === 'committed') {
    context.ports.logger.info({ isr: applied.state.isr, partitionEpoch: applied.state.partitionEpoch }, 'ISR change committed by the controller');
    step.context.isr = [...applied.state.isr];
    step.context.partitionEpoch = applied.state.partitionEpoch;
  } else if (applied.outcome !== 'ignored') {
    context.ports.logger.info({ outcome: applied.outcome, answer }, 'ISR change not committed');
  }
  step.retryAlterPartition = applied.outcome === 'retry';
  return settle({ ...context, ...step.context }, { ...leaderState, isrState: applied.state }, nowMs, step);
}

/** The same proposal again, after the controller asked for a retry. */
export function resendAlterPartition(context: PartitionContext): Step {
  const step = emptyStep();
  const leaderState = requireLeaderState(context);
  const pending = leaderState.isrState.pendingIsrChange;
  if (pending === undefined) return step;
  step.emits.push({
    type: 'isr.alterPartitionRequested',
    topic: context.topic,
    partition: context.partition,
    topicId: context.topicId,
    request: alterPartitionRequestFor(leaderState.isrState, pending, brokerEpochOf(context, leaderState)),
  });
  return step;
}

/** A metadata image for the leader's own epoch (an ISR change, perhaps made by a fencing): the controller's truth. */
export function leaderMetadataChanged(context: PartitionContext, leadership: PartitionLeadership, nowMs: number): Step {
  const step = emptyStep();
  const leaderState = requireLeaderState(context);
  const isrState = applyPartitionMetadata(leaderState.isrState, leadership);
  step.context.isr = [...isrState.isr];
  step.context.partitionEpoch = isrState.partitionEpoch;
  step.context.replicas = leadership.replicas;
  return settle({ ...context, ...step.context }, { ...leaderState, isrState }, nowMs, step);
}
