/**
 * What a follower does with its share of a Fetch response from the leader (Kafka's ReplicaFetcherThread
 * processPartitionData and truncation handling): append the leader's batches as they are, learn the HW, or truncate
 * a divergent tail by leader epoch (KIP-101, KIP-279: the follower never truncates to its own HW). Every change of
 * the log happens here, inside the partition actor's transition, so the actor is the one writer of its log.
 */
import { validateRecordBatches } from '@kactor/protocol';
import { KafkaStorageError, UnexpectedAppendOffsetError } from '@kactor/storage';
import { actionOnOffsetOutOfRange, truncationForDivergingEpoch } from '../replication/index.js';
import type { Step } from './leader-steps.js';
import type { FollowerFetchResponse, PartitionContext } from './partition-types.js';
import { applyStoredBatches, loadProducerState, storedBatchesFromHeaders } from './producer-state-log.js';
import { snapshotIfRolled } from './producer-steps.js';

/**
 * A follower checks its leader's batches as Kafka's does (framing, header, CRC) without walking their records, which the
 * leader parsed and the CRC covers; it takes any size the leader took.
 */
const followerMaxBatchBytes = Number.MAX_SAFE_INTEGER;

function truncate(context: PartitionContext, offset: number, reason: string, step: Step): void {
  const { log } = context.ports;
  const before = log.logEndOffset;
  // Called even with nothing to cut: the log then drops an epoch starting at its end (one this replica began as
  // leader before it appended anything), or the next fetch would carry that epoch again and diverge again, forever.
  if (!log.truncateTo(offset)) return;
  // The producer state of the cut batches goes with them: rebuilt from the log as it now ends (Kafka's truncateTo
  // reloads it the same way), snapshots above the new end deleted.
  step.context.producerState = loadProducerState(log, context.ports.clock.now(), context.ports.logger);
  context.ports.logger.warn({ truncatedTo: log.logEndOffset, logEndOffsetBefore: before, reason }, 'truncated the log to match the leader');
  step.emits.push({ type: 'replica.truncated', topic: context.topic, partition: context.partition, truncatedTo: log.logEndOffset, reason });
}

/** The follower's HW is the leader's, bounded by what it holds itself (Kafka: min(leader HW, local LEO)). */
function followerHighWatermark(context: PartitionContext, leaderHighWatermark: number, step: Step): void {
  const highWatermark = Math.min(Math.max(leaderHighWatermark, 0), context.ports.log.logEndOffset);
  if (highWatermark !== context.highWatermark) step.context.highWatermark = highWatermark;
}

function failed(context: PartitionContext, step: Step, reason: string): Step {
  step.emits.push({ type: 'replica.fetchFailed', topic: context.topic, partition: context.partition, reason });
  return step;
}

export function applyFollowerFetchResponse(context: PartitionContext, response: FollowerFetchResponse): Step {
  const step: Step = { context: {}, emits: [], startProduceTimers: [], cancelProduceTimers: [] };
  const { log } = context.ports;
  if (response.errorName === 'OFFSET_OUT_OF_RANGE') {
    // Only after an unclean election can the leader's log end before the follower's (with leader epochs a clean
    // divergence comes back as DivergingEpoch); the leader's HW is a point both logs are known to reach, so the
    // follower cuts there and fetches the rest again. Kafka asks the leader for its LEO with ListOffsets instead.
    const action = actionOnOffsetOutOfRange(log.logEndOffset, response.logStartOffset, response.highWatermark);
    if (action.action === 'truncate') truncate(context, action.truncateTo, 'the leader\'s log ends before this replica\'s (unclean leader election?)', step);
    else if (action.action === 'restart-at') context.ports.logger.error({ leaderLogStartOffset: response.logStartOffset, logEndOffset: log.logEndOffset }, 'the leader no longer has the records this replica needs next');
    followerHighWatermark({ ...context, ...step.context }, response.highWatermark, step);
    return step;
  }
  if (response.errorName !== 'NONE') return step;
  if (response.divergingEpoch !== undefined) {
    const decision = truncationForDivergingEpoch(response.divergingEpoch, log.logEndOffset, log.leaderEpochCache);
    truncate(context, decision.truncateTo, `diverging at leader epoch ${response.divergingEpoch.epoch} (the leader's log ends at ${response.divergingEpoch.endOffset} for it)`, step);
    followerHighWatermark(context, Math.min(response.highWatermark, context.highWatermark), step);
    return step;
  }
  if (response.records.byteLength > 0) {
    const validation = validateRecordBatches(response.records, { maxBatchBytes: followerMaxBatchBytes, fromClient: false, parseRecords: false });
    if (!validation.ok) {
      context.ports.logger.error({ errorName: validation.error, message: validation.message }, 'the leader sent a corrupt batch: fetching it again');
      return failed(context, step, `corrupt batch from the leader: ${validation.message}`);
    }
    const segmentsBefore = log.segmentCount;
    try {
      log.appendAsFollower(response.records, { recordCount: validation.recordCount });
      // The leader's producer state, copied with its batches (AppendOrigin.REPLICATION), so a new leader after a
      // failover answers a producer's retry as a duplicate instead of writing it twice.
      const producerState = applyStoredBatches(context.producerState, storedBatchesFromHeaders(response.records, validation.batches), context.ports.clock.now(), context.highWatermark);
      step.context.producerState = producerState;
      snapshotIfRolled(context, segmentsBefore, producerState);
    } catch (error) {
      if (error instanceof KafkaStorageError) {
        context.ports.logger.error({ err: error }, 'cannot append the leader\'s batches (a full disk?): fetching them again later');
        return failed(context, step, error.message);
      }
      if (!(error instanceof UnexpectedAppendOffsetError)) throw error;
      context.ports.logger.warn({ err: error }, 'the leader\'s batches do not continue this log: fetching again from its end');
      return failed(context, step, error.message);
    }
  }
  followerHighWatermark(context, response.highWatermark, step);
  return step;
}
