/**
 * One hosted partition (Kafka's `Partition` on a broker). As leader it validates produced batches, assigns
 * their offsets by appending them to its log, and advances the high watermark; consumers read up to it
 * (reads do not change state, so they go straight to the log, see partition-reader.ts). Leadership comes
 * from the controller's metadata. A follower state joins this chart with replication; the leader's model
 * (leader epoch stamped in every batch, high watermark = lowest log end offset in the ISR) already fits it.
 *
 * Each partition is its own root actor: XState's cost grows quadratically with the children of one parent.
 */
import type { ErrorName } from '@kactor/protocol';
import { validateRecordBatches } from '@kactor/protocol';
import type { Clock, Logger } from '@kactor/runtime';
import type { PartitionLog } from '@kactor/storage';
import { assign, enqueueActions, setup } from 'xstate';
import { leaderHighWatermark } from './high-watermark.js';

export interface PartitionLeadership {
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
}

export interface PartitionConfig {
  /** max.message.bytes: the largest record batch accepted. */
  maxMessageBytes: number;
  /** min.insync.replicas: acks=all writes need at least this many in-sync replicas. */
  minInsyncReplicas: number;
}

export interface PartitionInput extends PartitionLeadership {
  brokerId: number;
  topic: string;
  partition: number;
  topicId: string;
  config: PartitionConfig;
  ports: { log: PartitionLog; clock: Clock; logger: Logger };
}

/** A produce waiting for the high watermark to pass its last offset (acks=all with followers). */
interface AwaitingReplication {
  produceId: string;
  baseOffset: number;
  lastOffset: number;
  logAppendTimeMs: number;
}

export interface PartitionContext extends PartitionInput {
  highWatermark: number;
  followerLogEndOffsets: Record<number, number>;
  awaitingReplication: AwaitingReplication[];
}

export type PartitionEvent =
  | ({ type: 'partition.leadershipChanged' } & PartitionLeadership)
  | { type: 'produce.append'; produceId: string; acks: -1 | 0 | 1; timeoutMs: number; records: Uint8Array }
  | { type: 'timer.produceExpired'; produceId: string }
  | { type: 'partition.stop'; deleteLog: boolean };

export interface ProduceCompleted {
  type: 'produce.completed';
  produceId: string;
  topic: string;
  partition: number;
  errorName: ErrorName;
  errorMessage: string | null;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
}

export type PartitionEmitted = ProduceCompleted | { type: 'partition.highWatermarkAdvanced'; topic: string; partition: number; highWatermark: number };

const produceTimerId = (produceId: string) => `produce-${produceId}`;

function completed(context: PartitionContext, produceId: string, outcome: Partial<ProduceCompleted> & { errorName: ErrorName }): ProduceCompleted {
  return {
    type: 'produce.completed',
    produceId,
    topic: context.topic,
    partition: context.partition,
    errorMessage: null,
    baseOffset: -1,
    logAppendTimeMs: -1,
    logStartOffset: context.ports.log.logStartOffset,
    ...outcome,
  };
}

export const partitionMachine = setup({
  types: {
    context: {} as PartitionContext,
    events: {} as PartitionEvent,
    input: {} as PartitionInput,
    emitted: {} as PartitionEmitted,
  },
  actions: {
    updateLeadership: assign(({ event }) => {
      if (event.type !== 'partition.leadershipChanged') return {};
      return { leader: event.leader, leaderEpoch: event.leaderEpoch, replicas: event.replicas, isr: event.isr };
    }),
    /** A new leader starts with no follower positions, so followers must fetch in its epoch before the high watermark moves. */
    becomeLeader: assign(({ context }) => ({
      followerLogEndOffsets: {},
      highWatermark: leaderHighWatermark({
        current: Math.min(context.highWatermark, context.ports.log.logEndOffset),
        leaderId: context.brokerId,
        leaderLogEndOffset: context.ports.log.logEndOffset,
        isr: context.isr,
        followerLogEndOffsets: {},
      }),
    })),
    /**
     * Validates and appends one producer request's batches. The append is this transition's side effect: the
     * log is synchronous, so the offsets it assigns and the new high watermark land in the same transition.
     */
    appendBatches: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'produce.append') return;
      const validation = validateRecordBatches(event.records, { maxBatchBytes: context.config.maxMessageBytes });
      if (!validation.ok) {
        enqueue.emit(completed(context, event.produceId, { errorName: validation.error, errorMessage: validation.message }));
        return;
      }
      const requiredIsr = Math.min(context.config.minInsyncReplicas, context.replicas.length);
      if (event.acks === -1 && context.isr.length < requiredIsr) {
        enqueue.emit(
          completed(context, event.produceId, {
            errorName: 'NOT_ENOUGH_REPLICAS',
            errorMessage: `${context.isr.length} in-sync replica(s), min.insync.replicas is ${requiredIsr}`,
          }),
        );
        return;
      }
      let appended;
      try {
        appended = context.ports.log.append(event.records, { leaderEpoch: context.leaderEpoch, recordCount: validation.recordCount });
      } catch (error) {
        context.ports.logger.error({ err: error }, 'append failed');
        enqueue.emit(completed(context, event.produceId, { errorName: 'KAFKA_STORAGE_ERROR', errorMessage: String(error) }));
        return;
      }
      const highWatermark = leaderHighWatermark({
        current: context.highWatermark,
        leaderId: context.brokerId,
        leaderLogEndOffset: context.ports.log.logEndOffset,
        isr: context.isr,
        followerLogEndOffsets: context.followerLogEndOffsets,
      });
      enqueue.assign({ highWatermark });
      if (highWatermark > context.highWatermark) {
        enqueue.emit({ type: 'partition.highWatermarkAdvanced', topic: context.topic, partition: context.partition, highWatermark });
      }
      if (event.acks !== -1 || highWatermark > appended.lastOffset) {
        enqueue.emit(completed(context, event.produceId, { errorName: 'NONE', baseOffset: appended.baseOffset, logAppendTimeMs: -1 }));
        return;
      }
      enqueue.assign({
        awaitingReplication: [
          ...context.awaitingReplication,
          { produceId: event.produceId, baseOffset: appended.baseOffset, lastOffset: appended.lastOffset, logAppendTimeMs: -1 },
        ],
      });
      enqueue.raise({ type: 'timer.produceExpired', produceId: event.produceId }, { delay: event.timeoutMs, id: produceTimerId(event.produceId) });
    }),
    /** The data stays in the log and may still be committed; the producer learns only that it did not hear in time. */
    expireAwaitingProduce: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'timer.produceExpired') return;
      const waiting = context.awaitingReplication.find((entry) => entry.produceId === event.produceId);
      if (waiting === undefined) return;
      enqueue.assign({ awaitingReplication: context.awaitingReplication.filter((entry) => entry !== waiting) });
      enqueue.emit(completed(context, event.produceId, { errorName: 'REQUEST_TIMED_OUT', errorMessage: 'the high watermark did not reach the batch in time' }));
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
    /** Produces still waiting when leadership moves fail as in Kafka (testDeltaToFollowerCompletesProduce). */
    failAwaitingProduces: enqueueActions(({ context, enqueue }) => {
      for (const waiting of context.awaitingReplication) {
        enqueue.cancel(produceTimerId(waiting.produceId));
        enqueue.emit(completed(context, waiting.produceId, { errorName: 'NOT_LEADER_OR_FOLLOWER', errorMessage: 'leadership moved before the batch was committed' }));
      }
      enqueue.assign({ awaitingReplication: [] });
    }),
    releaseLog: ({ context, event }) => {
      if (event.type === 'partition.stop' && event.deleteLog) context.ports.log.delete();
      else context.ports.log.close();
    },
  },
  guards: {
    leadsHere: ({ context }) => context.leader === context.brokerId,
    newLeaderIsThisBroker: ({ context, event }) => event.type === 'partition.leadershipChanged' && event.leader === context.brokerId,
  },
}).createMachine({
  id: 'partition',
  context: ({ input }) => ({ ...input, highWatermark: input.ports.log.logEndOffset, followerLogEndOffsets: {}, awaitingReplication: [] }),
  initial: 'Initializing',
  states: {
    Initializing: {
      description: 'Opened the log; becomes Leader if the metadata names this broker as leader, otherwise Offline.',
      always: [{ guard: 'leadsHere', target: 'Leader' }, { target: 'Offline' }],
    },
    Leader: {
      description:
        'Leads the partition: validates produced batches (CRC, size), appends them with the leader epoch, advances the high watermark and ' +
        'answers producers by their acks; consumers read up to the high watermark.',
      entry: 'becomeLeader',
      on: {
        'produce.append': { actions: 'appendBatches' },
        'timer.produceExpired': { actions: 'expireAwaitingProduce' },
        'partition.leadershipChanged': [
          { guard: 'newLeaderIsThisBroker', target: 'Leader', reenter: true, actions: 'updateLeadership' },
          { target: 'Offline', actions: ['failAwaitingProduces', 'updateLeadership'] },
        ],
      },
    },
    Offline: {
      description: 'Hosted here but not led here (no leader, or another broker leads): produce and fetch get NOT_LEADER_OR_FOLLOWER.',
      on: {
        'produce.append': { actions: 'rejectNotLeader' },
        'partition.leadershipChanged': [
          { guard: 'newLeaderIsThisBroker', target: 'Leader', actions: 'updateLeadership' },
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
    'partition.stop': { target: '.Stopped', actions: ['failAwaitingProduces', 'releaseLog'] },
  },
});
