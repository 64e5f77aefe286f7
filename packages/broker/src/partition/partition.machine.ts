/**
 * One hosted replica of a partition (Kafka's `Partition` on a broker). Its role comes from the controller's
 * metadata: as **Leader** it validates and appends produced batches with its leader epoch, records each follower's
 * position from their fetches, proposes ISR changes to the controller (AlterPartition, KIP-497), moves the high
 * watermark over the ISR and answers acks=all produces once the HW passes them; as **Follower** it appends what the
 * replica fetcher brings from the leader with the leader's offsets and epochs, learns the HW, and truncates a
 * divergent tail by leader epoch (KIP-101, KIP-279). Consumers read up to the HW straight from the log
 * (partition-reader.ts): reads change no state. A follower's fetch does, so it comes here as `replica.fetch`.
 *
 * The decisions live in the pure replication core (../replication); leader-steps.ts and follower-steps.ts apply
 * them to this actor's context, and the named actions below apply those steps.
 * Each partition is its own root actor: XState's cost grows quadratically with the children of one parent.
 */
import { KafkaStorageError } from '@kactor/storage';
import { assign, enqueueActions, setup } from 'xstate';
import { becomeLeader } from '../replication/index.js';
import { applyFollowerFetchResponse } from './follower-steps.js';
import {
  alterPartitionAnswered,
  appendAsLeader,
  completed,
  expireLaggingFollowers,
  expireProduce,
  followerFetchAtLeader,
  highWatermarkOnElection,
  answerWaiting,
  leaderMetadataChanged,
  resendAlterPartition,
  type Step,
} from './leader-steps.js';
import { markerNotLeader, writeMarkerAsLeader } from './marker-steps.js';
import { emptyProducerState, removeExpiredProducers } from './producer-state.js';
import { loadProducerState, writeProducerSnapshot } from './producer-state-log.js';
import type { PartitionContext, PartitionEmitted, PartitionEvent, PartitionInput, PartitionRole } from './partition-types.js';

export type {
  AwaitingReplication,
  FollowerFetchResponse,
  FollowerFetchVerdict,
  PartitionConfig,
  PartitionContext,
  PartitionEmitted,
  PartitionEvent,
  PartitionInput,
  PartitionLeadership,
  PartitionPorts,
  PartitionRole,
  ProduceCompleted,
  ProduceOrigin,
  TxnMarkerRequest,
  TxnMarkerWritten,
} from './partition-types.js';

const produceTimerId = (produceId: string) => `produce-${produceId}`;
const isrExpirationTimerId = 'isr-expiration';
const alterPartitionRetryTimerId = 'alter-partition-retry';
const producerExpirationTimerId = 'producer-expiration-check';
const highWatermarkCheckpointTimerId = 'high-watermark-checkpoint';

/** Kafka's AlterPartitionManager retries a failed send after a short fixed pause (no config). */
const alterPartitionRetryBackoffMs = 50;

/** The part of XState's `enqueue` a step needs. */
interface StepEnqueuer {
  assign(values: Partial<PartitionContext>): void;
  cancel(id: string): void;
  raise(event: PartitionEvent, options: { delay: number; id: string }): void;
  emit(event: PartitionEmitted): void;
}

/** Applies a step: its context changes, its emitted events and its produce timers. */
function applyStep(step: Step, enqueue: StepEnqueuer): void {
  if (Object.keys(step.context).length > 0) enqueue.assign(step.context);
  for (const produceId of step.cancelProduceTimers) enqueue.cancel(produceTimerId(produceId));
  for (const timer of step.startProduceTimers) {
    enqueue.raise({ type: 'timer.produceExpired', produceId: timer.produceId }, { delay: timer.delayMs, id: produceTimerId(timer.produceId) });
  }
  for (const event of step.emits) enqueue.emit(event);
}

/**
 * The high watermark a replica opens with: the last checkpointed one, within the log (a truncation or a retention may
 * have moved the log past it), or the log start when none was written. Never the log end: a leader restarted before
 * its controller noticed would otherwise answer writes, and show records, that its followers never got.
 */
function openingHighWatermark(log: PartitionContext['ports']['log']): number {
  const checkpointed = log.checkpointedHighWatermark ?? log.logStartOffset;
  return Math.min(Math.max(checkpointed, log.logStartOffset), log.logEndOffset);
}

function roleChanged(context: PartitionContext, role: PartitionRole): PartitionEmitted {
  return { type: 'partition.roleChanged', topic: context.topic, partition: context.partition, role, leader: context.leader, leaderEpoch: context.leaderEpoch };
}

export const partitionMachine = setup({
  types: {
    context: {} as PartitionContext,
    events: {} as PartitionEvent,
    input: {} as PartitionInput,
    emitted: {} as PartitionEmitted,
  },
  delays: {
    /** Kafka checks the ISR for lagging followers every replica.lag.time.max.ms / 2 (ReplicaManager's isr-expiration task). */
    isrExpirationIntervalMs: ({ context }) => Math.max(1, Math.floor(context.config.replicaLagTimeMaxMs / 2)),
    producerIdExpirationCheckIntervalMs: ({ context }) => context.config.producerIdExpirationCheckIntervalMs,
    replicaHighWatermarkCheckpointIntervalMs: ({ context }) => context.config.replicaHighWatermarkCheckpointIntervalMs,
  },
  actions: {
    /**
     * The producer state as the log holds it (UnifiedLog.rebuildProducerState): the newest snapshot at or below the log
     * end, then the batch headers after it. Kafka does this while loading the log; here the partition owns the state.
     */
    loadProducerState: assign(({ context }) => ({ producerState: loadProducerState(context.ports.log, context.ports.clock.now(), context.ports.logger) })),
    scheduleHighWatermarkCheckpoint: enqueueActions(({ enqueue }) => {
      enqueue.cancel(highWatermarkCheckpointTimerId);
      enqueue.raise({ type: 'timer.highWatermarkCheckpoint' }, { delay: 'replicaHighWatermarkCheckpointIntervalMs', id: highWatermarkCheckpointTimerId });
    }),
    /**
     * Kafka's ReplicaManager checkpoints every replica's high watermark (replication-offset-checkpoint), and a replica
     * opens with it: never with its log end, whose tail may not be committed. A full disk skips one checkpoint.
     */
    checkpointHighWatermark: ({ context }) => {
      const { log } = context.ports;
      if (log.checkpointedHighWatermark === context.highWatermark) return;
      try {
        log.checkpointHighWatermark(context.highWatermark);
      } catch (error) {
        if (!(error instanceof KafkaStorageError)) throw error;
        context.ports.logger.warn({ err: error }, 'could not checkpoint the high watermark (a full disk?): a restart starts from an older one');
      }
    },
    scheduleProducerExpirationCheck: enqueueActions(({ enqueue }) => {
      enqueue.cancel(producerExpirationTimerId);
      enqueue.raise({ type: 'timer.producerExpirationCheck' }, { delay: 'producerIdExpirationCheckIntervalMs', id: producerExpirationTimerId });
    }),
    /** Kafka's removeExpiredProducers, on every replica: producers idle for producer.id.expiration.ms, without an open transaction. */
    expireProducers: assign(({ context }) => ({
      producerState: removeExpiredProducers(context.producerState, context.ports.clock.now(), context.config.producerIdExpirationMs),
    })),
    writeTxnMarker: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'txn.writeMarker') return;
      applyStep(writeMarkerAsLeader(context, event, context.ports.clock.now()), enqueue);
    }),
    rejectMarkerNotLeader: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'txn.writeMarker') return;
      enqueue.emit(markerNotLeader(context, event.markerId));
    }),
    updateLeadership: assign(({ event }) => {
      if (event.type !== 'partition.leadershipChanged') return {};
      return { leader: event.leader, leaderEpoch: event.leaderEpoch, partitionEpoch: event.partitionEpoch, replicas: event.replicas, isr: event.isr };
    }),
    /**
     * Partition.makeLeader: the epoch starts at the log end in the epoch cache (KIP-101), follower positions from any
     * earlier epoch are forgotten, and the HW stays where this replica knew it until every ISR member has fetched.
     */
    becomeLeader: enqueueActions(({ context, enqueue }) => {
      const { log, clock } = context.ports;
      try {
        log.leaderEpochCache.assign(context.leaderEpoch, log.logEndOffset);
      } catch (error) {
        // A full disk: the partition still leads (it serves reads and refuses writes with KAFKA_STORAGE_ERROR), and the
        // epoch is recorded by the first append that can be written, as a follower's append records it.
        if (!(error instanceof KafkaStorageError)) throw error;
        context.ports.logger.error({ err: error }, 'cannot record the new leader epoch in the epoch cache');
      }
      const leaderState = becomeLeader(
        { leaderId: context.brokerId, replicas: context.replicas, isr: context.isr, leaderEpoch: context.leaderEpoch, partitionEpoch: context.partitionEpoch },
        log.logEndOffset,
        clock.now(),
      );
      context.ports.logger.info({ leaderEpoch: context.leaderEpoch, isr: context.isr, logEndOffset: log.logEndOffset, highWatermark: context.highWatermark }, 'became leader');
      const highWatermark = Math.min(context.highWatermark, log.logEndOffset);
      enqueue.assign({ leaderState, highWatermark });
      enqueue.emit(roleChanged(context, 'Leader'));
      applyStep(highWatermarkOnElection({ ...context, highWatermark }, leaderState, clock.now()), enqueue);
    }),
    becomeFollower: enqueueActions(({ context, enqueue }) => {
      context.ports.logger.info({ leader: context.leader, leaderEpoch: context.leaderEpoch }, 'following the leader');
      enqueue.assign({ leaderState: undefined });
      enqueue.emit(roleChanged(context, 'Follower'));
    }),
    announceOffline: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ leaderState: undefined });
      enqueue.emit(roleChanged(context, 'Offline'));
    }),
    scheduleIsrExpiration: enqueueActions(({ enqueue }) => {
      enqueue.cancel(isrExpirationTimerId);
      enqueue.raise({ type: 'timer.isrExpiration' }, { delay: 'isrExpirationIntervalMs', id: isrExpirationTimerId });
    }),
    cancelLeaderTimers: enqueueActions(({ enqueue }) => {
      enqueue.cancel(isrExpirationTimerId);
      enqueue.cancel(alterPartitionRetryTimerId);
    }),
    appendBatches: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'produce.append') return;
      applyStep(appendAsLeader(context, event, context.ports.clock.now()), enqueue);
    }),
    /** The data stays in the log and may still be committed; the producer learns only that it did not hear in time. */
    expireAwaitingProduce: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'timer.produceExpired') return;
      applyStep(expireProduce(context, event.produceId), enqueue);
    }),
    recordFollowerFetch: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'replica.fetch') return;
      applyStep(followerFetchAtLeader(context, event, context.ports.clock.now()), enqueue);
    }),
    shrinkIsrOfLaggingFollowers: enqueueActions(({ context, enqueue }) => {
      applyStep(expireLaggingFollowers(context, context.ports.clock.now()), enqueue);
    }),
    applyAlterPartitionAnswer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'isr.alterPartitionAnswered') return;
      const step = alterPartitionAnswered(context, event.answer, context.ports.clock.now());
      applyStep(step, enqueue);
      if (step.retryAlterPartition === true) enqueue.raise({ type: 'timer.alterPartitionRetry' }, { delay: alterPartitionRetryBackoffMs, id: alterPartitionRetryTimerId });
    }),
    resendAlterPartition: enqueueActions(({ context, enqueue }) => {
      applyStep(resendAlterPartition(context), enqueue);
    }),
    applyLeaderMetadata: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'partition.leadershipChanged') return;
      applyStep(leaderMetadataChanged(context, event, context.ports.clock.now()), enqueue);
    }),
    applyFetchedFromLeader: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'follower.fetchResponse') return;
      applyStep(applyFollowerFetchResponse(context, event), enqueue);
    }),
    rejectNotLeader: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'produce.append') return;
      enqueue.emit(
        completed(context, event.produceId, {
          errorName: 'NOT_LEADER_OR_FOLLOWER',
          errorMessage: `broker ${context.brokerId} does not lead ${context.topic}-${context.partition} (leader ${context.leader})`,
        }),
      );
    }),
    rejectFollowerFetch: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'replica.fetch') return;
      enqueue.emit({ type: 'replica.fetchChecked', fetchId: event.fetchId, verdict: { kind: 'error', error: 'NOT_LEADER_OR_FOLLOWER' } });
    }),
    /** Produces still waiting when leadership moves fail as in Kafka (testDeltaToFollowerCompletesProduce). */
    failAwaitingProduces: enqueueActions(({ context, enqueue }) => {
      for (const waiting of context.awaitingReplication) {
        enqueue.cancel(produceTimerId(waiting.produceId));
        enqueue.emit(answerWaiting(context, waiting, 'NOT_LEADER_OR_FOLLOWER', 'leadership moved before the batch was committed', -1));
      }
      enqueue.assign({ awaitingReplication: [] });
    }),
    announceStopped: enqueueActions(({ context, enqueue }) => {
      enqueue.emit(roleChanged(context, 'Stopped'));
    }),
    releaseLog: ({ context, event }) => {
      if (event.type === 'partition.stop' && event.deleteLog) {
        context.ports.log.delete();
        return;
      }
      // A clean close checkpoints the high watermark and snapshots the producer state at the log end, so the next open
      // starts from both as they are now (Kafka does so too).
      try {
        context.ports.log.checkpointHighWatermark(context.highWatermark);
      } catch (error) {
        context.ports.logger.warn({ err: error }, 'could not checkpoint the high watermark at close: the next open starts from an older one');
      }
      try {
        writeProducerSnapshot(context.ports.log, context.producerState);
      } catch (error) {
        context.ports.logger.warn({ err: error }, 'could not write the producer snapshot at close: the next open replays the log from an older one');
      }
      context.ports.log.close();
    },
  },
  guards: {
    leadsHere: ({ context }) => context.leader === context.brokerId,
    hasLeaderElsewhere: ({ context }) => context.leader !== -1 && context.leader !== context.brokerId,
    newLeaderIsThisBroker: ({ context, event }) => event.type === 'partition.leadershipChanged' && event.leader === context.brokerId,
    /** The same leader epoch led here: only the ISR or replicas changed (the controller's records are the truth). */
    stillLeaderInSameEpoch: ({ context, event }) =>
      event.type === 'partition.leadershipChanged' && event.leader === context.brokerId && event.leaderEpoch === context.leaderEpoch,
    newLeaderIsAnotherBroker: ({ context, event }) => event.type === 'partition.leadershipChanged' && event.leader !== -1 && event.leader !== context.brokerId,
    /** Following the same leader in the same epoch: nothing for the fetcher to change. */
    sameLeaderAndEpoch: ({ context, event }) =>
      event.type === 'partition.leadershipChanged' && event.leader === context.leader && event.leaderEpoch === context.leaderEpoch,
    /** An answer to a request sent in another leader epoch, or from another position, says nothing about the log now. */
    isStaleFetchResponse: ({ context, event }) =>
      event.type === 'follower.fetchResponse' && (event.requestLeaderEpoch !== context.leaderEpoch || event.fetchOffset !== context.ports.log.logEndOffset),
  },
}).createMachine({
  id: 'partition',
  context: ({ input }) => ({ ...input, highWatermark: openingHighWatermark(input.ports.log), leaderState: undefined, awaitingReplication: [], producerState: emptyProducerState() }),
  initial: 'Initializing',
  states: {
    Initializing: {
      description:
        'Opened the log and rebuilt the producer state from it (the newest producer snapshot at or below the log end, then the batch ' +
        'headers after it); becomes Leader or Follower as the metadata names this broker, or Offline when the partition has no leader.',
      entry: ['loadProducerState', 'scheduleProducerExpirationCheck', 'scheduleHighWatermarkCheckpoint'],
      always: [{ guard: 'leadsHere', target: 'Leader' }, { guard: 'hasLeaderElsewhere', target: 'Follower' }, { target: 'Offline' }],
    },
    Leader: {
      description:
        'Leads the partition: validates produced batches (CRC, size) and appends them with its leader epoch; checks an idempotent ' +
        'batch against its producer\'s state (a retry of one of its last 5 batches is answered with its original offsets, a gap is ' +
        'OUT_OF_ORDER_SEQUENCE_NUMBER, an old epoch INVALID_PRODUCER_EPOCH) and writes transaction markers (WriteTxnMarkers, acks=all); records each follower\'s ' +
        'log end offset from its fetches and answers divergent ones with DivergingEpoch; proposes ISR changes to the controller ' +
        '(AlterPartition: a follower caught up joins, one not caught up for replica.lag.time.max.ms leaves; one change in flight); ' +
        'advances the high watermark to the lowest log end offset of the ISR (frozen below min.insync.replicas) and answers acks=all ' +
        'produces once it passes them. Consumers read up to the high watermark.',
      entry: ['becomeLeader', 'scheduleIsrExpiration'],
      exit: 'cancelLeaderTimers',
      on: {
        'produce.append': { actions: 'appendBatches' },
        'txn.writeMarker': { actions: 'writeTxnMarker' },
        'timer.produceExpired': { actions: 'expireAwaitingProduce' },
        'replica.fetch': { actions: 'recordFollowerFetch' },
        'timer.isrExpiration': { actions: ['shrinkIsrOfLaggingFollowers', 'scheduleIsrExpiration'] },
        'isr.alterPartitionAnswered': { actions: 'applyAlterPartitionAnswer' },
        'timer.alterPartitionRetry': { actions: 'resendAlterPartition' },
        'partition.leadershipChanged': [
          { guard: 'stillLeaderInSameEpoch', actions: ['updateLeadership', 'applyLeaderMetadata'] },
          { guard: 'newLeaderIsThisBroker', target: 'Leader', reenter: true, actions: ['failAwaitingProduces', 'updateLeadership'] },
          { guard: 'newLeaderIsAnotherBroker', target: 'Follower', actions: ['failAwaitingProduces', 'updateLeadership'] },
          { target: 'Offline', actions: ['failAwaitingProduces', 'updateLeadership'] },
        ],
      },
    },
    Follower: {
      description:
        'Follows the leader: the replica fetcher fetches from it with this replica\'s log end offset and last epoch, and this replica ' +
        'appends the leader\'s batches with their offsets and epochs (and their producers\' state, so it can lead without forgetting a retry), takes the leader\'s high watermark (up to its own log end), ' +
        'and truncates its log by leader epoch where the leader says it diverges. Produces and fetches get NOT_LEADER_OR_FOLLOWER.',
      entry: 'becomeFollower',
      on: {
        'follower.fetchResponse': [{ guard: 'isStaleFetchResponse' }, { actions: 'applyFetchedFromLeader' }],
        'produce.append': { actions: 'rejectNotLeader' },
        'txn.writeMarker': { actions: 'rejectMarkerNotLeader' },
        'replica.fetch': { actions: 'rejectFollowerFetch' },
        'partition.leadershipChanged': [
          { guard: 'newLeaderIsThisBroker', target: 'Leader', actions: 'updateLeadership' },
          { guard: 'sameLeaderAndEpoch', actions: 'updateLeadership' },
          { guard: 'newLeaderIsAnotherBroker', target: 'Follower', reenter: true, actions: 'updateLeadership' },
          { target: 'Offline', actions: 'updateLeadership' },
        ],
      },
    },
    Offline: {
      description: 'Hosted here but the partition has no leader (its in-sync replicas are all down): produce and fetch get NOT_LEADER_OR_FOLLOWER.',
      entry: 'announceOffline',
      on: {
        'produce.append': { actions: 'rejectNotLeader' },
        'txn.writeMarker': { actions: 'rejectMarkerNotLeader' },
        'replica.fetch': { actions: 'rejectFollowerFetch' },
        'partition.leadershipChanged': [
          { guard: 'newLeaderIsThisBroker', target: 'Leader', actions: 'updateLeadership' },
          { guard: 'newLeaderIsAnotherBroker', target: 'Follower', actions: 'updateLeadership' },
          { actions: 'updateLeadership' },
        ],
      },
    },
    Stopped: {
      description: 'The topic was deleted (log removed) or the broker is shutting down (log closed).',
      type: 'final',
    },
  },
  on: {
    'timer.producerExpirationCheck': { actions: ['expireProducers', 'scheduleProducerExpirationCheck'] },
    'timer.highWatermarkCheckpoint': { actions: ['checkpointHighWatermark', 'scheduleHighWatermarkCheckpoint'] },
    'partition.stop': { target: '.Stopped', actions: ['failAwaitingProduces', 'releaseLog', 'announceStopped'] },
  },
});
