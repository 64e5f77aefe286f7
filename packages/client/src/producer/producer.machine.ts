/**
 * The producer's statechart: what a producer is doing, as a viewer of the cluster wants to see it. Two
 * regions run side by side while the producer is open. `admission` says whether send() calls go straight
 * into their partition's batch or wait (for the topic's metadata, or for buffer.memory to be freed), and
 * owns the max.block.ms timer that fails the oldest waiting send. `delivery` says whether records are
 * queued or in flight, and whether flush() is making everything go at once. close() leads to `closing`
 * (no more sends; what was sent is delivered) and `closed`.
 *
 * The Producer class (producer.ts) does the work — the accumulator, the sender, the partitioner — and
 * tells this machine what happened, only when something changed (a burst of sends is one
 * `records.pending`, not one event per record), so an uninspected producer pays a few events per batch
 * at most. The machine decides two things: whether send() is still accepted (only in `ready`), and when
 * waiting sends have run out of max.block.ms.
 *
 * The max.block.ms timer is the chart's alone: the class keeps each waiting send's deadline only to tell the
 * chart, and fails a waiting send only when the chart's timer says so (`expireBlockedSends`).
 *
 * Idempotence and transactions are the TransactionManager statechart's (transaction-manager.machine.ts): its
 * states say whether the producer has an id and epoch, and whether send() is refused after a fatal error.
 */
import { assign, setup } from 'xstate';
import type { Clock } from '@kactor/runtime';

/** What the oldest waiting send() waits for. */
export type BlockedReason = 'metadata' | 'memory';

export interface ProducerMachineInput {
  clientId: string;
  ports: {
    clock: Clock;
    /**
     * Admits the waiting sends that can now be appended and fails those whose max.block.ms passed, then
     * tells the machine (send.blocked or send.admitted) where that leaves the queue.
     */
    expireBlockedSends(): void;
  };
}

export interface ProducerMachineContext extends ProducerMachineInput {
  /** When the oldest waiting send() runs out of max.block.ms; null while no send waits. */
  blockedDeadlineMs: number | null;
  /** True while a batch is queued or in flight (kept while flushing, to know where to go after). */
  recordsPending: boolean;
}

export type ProducerMachineEvent =
  /** The oldest waiting send() changed, or now waits for something else. */
  | { type: 'send.blocked'; waitingFor: BlockedReason; deadlineMs: number }
  /** No send() waits any more: each was appended or failed. */
  | { type: 'send.admitted' }
  /** A batch is now queued where none was. */
  | { type: 'records.pending' }
  /** Every batch is done, delivered or failed. */
  | { type: 'records.delivered' }
  | { type: 'flush.started' }
  | { type: 'flush.completed' }
  | { type: 'close.requested' }
  | { type: 'close.completed' };

export const producerMachine = setup({
  types: { context: {} as ProducerMachineContext, events: {} as ProducerMachineEvent, input: {} as ProducerMachineInput },
  actions: {
    recordBlockedSend: assign(({ event }) => (event.type === 'send.blocked' ? { blockedDeadlineMs: event.deadlineMs } : {})),
    forgetBlockedSend: assign({ blockedDeadlineMs: null }),
    /** Kafka's send() throws TimeoutException after max.block.ms; here the waiting promises reject. */
    expireBlockedSends: ({ context }) => context.ports.expireBlockedSends(),
    noteRecordsPending: assign({ recordsPending: true }),
    noteRecordsDelivered: assign({ recordsPending: false }),
  },
  guards: {
    waitsForMetadata: ({ event }) => event.type === 'send.blocked' && event.waitingFor === 'metadata',
    hasPendingRecords: ({ context }) => context.recordsPending,
  },
  delays: {
    /** What is left of the oldest waiting send's max.block.ms. */
    maxBlock: ({ context }) => Math.max(0, (context.blockedDeadlineMs ?? 0) - context.ports.clock.now()),
  },
}).createMachine({
  id: 'producer',
  description:
    "A producer (Kafka's KafkaProducer): send() partitions each record into its partition's batch, the sender ships batches that are full or " +
    'whose linger.ms passed to their leaders, and close() delivers what was sent before the connections close.',
  context: ({ input }) => ({ ...input, blockedDeadlineMs: null, recordsPending: false }),
  initial: 'ready',
  states: {
    ready: {
      description: 'Open: send() is accepted. Admission and delivery run side by side.',
      type: 'parallel',
      on: { 'close.requested': 'closing' },
      states: {
        admission: {
          description: 'Whether send() calls are appended at once or wait, in call order.',
          initial: 'admitting',
          states: {
            admitting: {
              description: "Each send() is appended to its partition's batch at once.",
              on: {
                'send.blocked': [
                  { guard: 'waitsForMetadata', target: 'blocked.awaitingMetadata', actions: 'recordBlockedSend' },
                  { target: 'blocked.awaitingBufferMemory', actions: 'recordBlockedSend' },
                ],
              },
            },
            blocked: {
              description:
                'The oldest send() waits; later sends queue behind it so records keep their call order. Its max.block.ms ' +
                'began when it was made; a newer oldest send (or a new reason) restarts the timer.',
              initial: 'awaitingMetadata',
              after: { maxBlock: 'timedOut' },
              on: {
                // A new oldest send (or a new reason) restarts the timer: its max.block.ms began when it was made.
                'send.blocked': [
                  { guard: 'waitsForMetadata', target: '.awaitingMetadata', reenter: true, actions: 'recordBlockedSend' },
                  { target: '.awaitingBufferMemory', reenter: true, actions: 'recordBlockedSend' },
                ],
                'send.admitted': { target: 'admitting', actions: 'forgetBlockedSend' },
              },
              states: {
                awaitingMetadata: {
                  description: "The record's topic (or its partition) is not in the producer's metadata yet: a metadata update was asked for.",
                },
                awaitingBufferMemory: {
                  description: 'buffer.memory is used up by queued and in-flight batches: the sender sends everything queued to free it.',
                },
              },
            },
            timedOut: {
              description:
                'max.block.ms passed for the oldest waiting send(): it fails with REQUEST_TIMED_OUT, and so does every send behind it whose ' +
                'time is up too; the next one that can wait is blocked in its turn, or, with none left, sends are admitted again.',
              entry: 'expireBlockedSends',
              on: {
                'send.blocked': [
                  { guard: 'waitsForMetadata', target: 'blocked.awaitingMetadata', actions: 'recordBlockedSend' },
                  { target: 'blocked.awaitingBufferMemory', actions: 'recordBlockedSend' },
                ],
                'send.admitted': { target: 'admitting', actions: 'forgetBlockedSend' },
              },
            },
          },
        },
        delivery: {
          description: 'Whether records are queued or in flight.',
          initial: 'idle',
          states: {
            idle: {
              description: 'No record queued or in flight.',
              on: {
                'records.pending': { target: 'sending', actions: 'noteRecordsPending' },
                'flush.started': 'flushing',
              },
            },
            sending: {
              description: 'Batches are queued or in flight; a batch goes when it is full or its linger.ms has passed, and is retried until delivery.timeout.ms.',
              on: {
                'records.delivered': { target: 'idle', actions: 'noteRecordsDelivered' },
                'flush.started': 'flushing',
              },
            },
            flushing: {
              description: 'flush() waits for every record sent before it; meanwhile everything queued goes at once, without waiting for linger.ms.',
              on: {
                'records.pending': { actions: 'noteRecordsPending' },
                'records.delivered': { actions: 'noteRecordsDelivered' },
                'flush.completed': [{ guard: 'hasPendingRecords', target: 'sending' }, { target: 'idle' }],
              },
            },
          },
        },
      },
    },
    closing: {
      description: 'close() was called: send() is refused, records already sent are delivered (or fail when the close timeout ends), then the connections close.',
      on: { 'close.completed': 'closed' },
    },
    closed: {
      description: 'Closed: every record sent was delivered or failed, and the connections are closed.',
      type: 'final',
    },
  },
});
