/**
 * One transactional id on its transaction coordinator (Kafka's TransactionMetadata as TransactionCoordinator drives it,
 * KIP-98). States are Kafka's: Empty → Ongoing (partitions added) → PrepareCommit/PrepareAbort (EndTxn, or a fence) →
 * CompleteCommit/CompleteAbort (every marker acknowledged) → Ongoing again with the next transaction; Dead once the id
 * expires. PrepareEpochFence is Kafka's pending state while an open transaction's producer is fenced.
 *
 * The chart decides; its host executes: records to write, producer ids to fetch and markers to send are emitted, and
 * their outcomes come back as events. A state changes only when its record was appended (`records.appended`), and a
 * chart built from replayed records starts in the state they wrote, so a coordinator after failover finishes what the
 * old one began (a replayed PrepareCommit sends its markers at once). The named actions, guards and delays are in
 * transaction.setup.ts; the decisions themselves in the pure core (transaction-coordinator.ts).
 */
import { transactionSetup } from './transaction.setup.js';

export type {
  AppendResult,
  ProducerIdResult,
  TransactionContext,
  TransactionEmitted,
  TransactionEvent,
  TransactionInput,
  TransactionLimits,
  TransactionPorts,
} from './transaction.setup.js';

/** Requests and answers shared by the states that hold no open transaction (Empty, CompleteCommit, CompleteAbort). */
function idleState(description: string) {
  return {
    description,
    initial: 'Ready' as const,
    states: {
      Ready: {
        description: 'Serving requests: InitProducerId bumps the epoch, AddPartitionsToTxn/AddOffsetsToTxn begin a transaction.',
        on: {
          'request.initProducerId': [
            { guard: 'initIsAnswered' as const, actions: 'answerInit' as const },
            { guard: 'initNeedsProducerId' as const, target: 'AwaitingProducerId' as const, actions: 'requestProducerId' as const },
            { actions: 'writeInit' as const },
          ],
        },
        // Re-armed either way: should the tombstone not be written, the expiry is tried again after the cleanup interval.
        after: {
          transactionalIdExpiration: [
            { guard: 'mayExpire' as const, target: 'Ready' as const, reenter: true, actions: 'writeExpiry' as const },
            { target: 'Ready' as const, reenter: true },
          ],
        },
      },
      AwaitingProducerId: {
        description:
          'InitProducerId waits for a producer id from the broker’s producer id manager (a transactional id seen for the first time, or one ' +
          'whose epochs ran out). Other requests meanwhile are answered CONCURRENT_TRANSACTIONS.',
        on: {
          'producerId.generated': { target: 'Ready' as const, actions: 'useProducerId' as const },
          'request.initProducerId': { actions: 'answerConcurrent' as const },
          'request.addPartitions': { actions: 'answerConcurrent' as const },
          'request.addOffsets': { actions: 'answerConcurrent' as const },
          'request.endTxn': { actions: 'answerConcurrent' as const },
        },
      },
    },
    on: {
      'request.addPartitions': [{ guard: 'requestIsAnswered' as const, actions: 'answerRequest' as const }, { actions: 'writeRequest' as const }],
      'request.addOffsets': [{ guard: 'requestIsAnswered' as const, actions: 'answerRequest' as const }, { actions: 'writeRequest' as const }],
      'request.endTxn': { actions: 'answerRequest' as const },
      'records.appended': [
        { guard: 'appendFailed' as const, actions: 'abandonAppend' as const },
        { guard: 'appendedOngoing' as const, target: '#transaction.Ongoing', actions: 'applyAppend' as const },
        { guard: 'appendedDead' as const, target: '#transaction.Dead', actions: 'applyAppend' as const },
        { guard: 'appendedEmpty' as const, target: '#transaction.Empty', actions: 'applyAppend' as const },
      ],
    },
  };
}

/** Requests while a transaction is being prepared or fenced: answered from the metadata (CONCURRENT_TRANSACTIONS, PRODUCER_FENCED, ...). */
const answeredRequests = {
  'request.initProducerId': { actions: 'answerInit' as const },
  'request.addPartitions': { actions: 'answerRequest' as const },
  'request.addOffsets': { actions: 'answerRequest' as const },
  'request.endTxn': { actions: 'answerRequest' as const },
};

/** PrepareCommit and PrepareAbort: markers until every partition acknowledged, then Complete*. */
function preparedState(description: string, completion: { guard: 'appendedCompleteCommit' | 'appendedCompleteAbort'; target: '#transaction.CompleteCommit' | '#transaction.CompleteAbort' }) {
  return {
    description,
    entry: 'startMarkers' as const,
    always: { guard: 'markersDone' as const, actions: 'writeComplete' as const },
    on: {
      ...answeredRequests,
      'markers.answered': [
        { guard: 'markersFenced' as const, actions: ['noteMarkerAnswers' as const, 'stopMarkers' as const] },
        { guard: 'markersToRetry' as const, actions: ['noteMarkerAnswers' as const, 'scheduleMarkerRetry' as const] },
        { actions: 'noteMarkerAnswers' as const },
      ],
      'markers.retry': { actions: 'resendMarkers' as const },
      'complete.retry': { actions: 'allowCompleteRetry' as const },
      'records.appended': [
        { guard: 'appendFailed' as const, actions: ['abandonAppend' as const, 'scheduleCompleteRetry' as const] },
        { ...completion, actions: 'applyAppend' as const },
      ],
    },
  };
}

export const transactionMachine = transactionSetup.createMachine({
  id: 'transaction',
  context: ({ input }) => ({
    ...input,
    pending: null,
    nextToken: 1,
    awaitingProducerId: null,
    outstandingMarkers: [],
    markersFenced: false,
    completeRetryScheduled: false,
  }),
  initial: 'Loaded',
  states: {
    Loaded: {
      description: 'Just created, or rebuilt from __transaction_state after a restart or failover: it resumes in the state its last record wrote.',
      always: [
        { guard: 'isLoadedEmpty', target: 'Empty' },
        { guard: 'isLoadedOngoing', target: 'Ongoing' },
        { guard: 'isLoadedPrepareCommit', target: 'PrepareCommit' },
        { guard: 'isLoadedPrepareAbort', target: 'PrepareAbort' },
        { guard: 'isLoadedCompleteCommit', target: 'CompleteCommit' },
        { target: 'CompleteAbort' },
      ],
    },
    Empty: idleState('No transaction: the id has a producer id and epoch (or is about to get them from its first InitProducerId).'),
    Ongoing: {
      description:
        'A transaction is open: AddPartitionsToTxn and AddOffsetsToTxn add partitions, EndTxn prepares its commit or abort. A new producer ' +
        'instance (InitProducerId) or transaction.timeout.ms fences the producer: the transaction is aborted under the next epoch.',
      on: {
        'request.initProducerId': [
          { guard: 'initIsAnswered', actions: 'answerInit' },
          { guard: 'initFencesTransaction', target: 'PrepareEpochFence', actions: 'writeFence' },
        ],
        'request.addPartitions': [{ guard: 'requestIsAnswered', actions: 'answerRequest' }, { actions: 'writeRequest' }],
        'request.addOffsets': [{ guard: 'requestIsAnswered', actions: 'answerRequest' }, { actions: 'writeRequest' }],
        'request.endTxn': [{ guard: 'requestIsAnswered', actions: 'answerRequest' }, { actions: 'writeRequest' }],
        'records.appended': [
          { guard: 'appendFailed', actions: 'abandonAppend' },
          { guard: 'appendedPrepareCommit', target: 'PrepareCommit', actions: 'applyAppend' },
          { guard: 'appendedPrepareAbort', target: 'PrepareAbort', actions: 'applyAppend' },
          { guard: 'appendedOngoing', actions: 'applyAppend' },
        ],
      },
      after: {
        transactionTimeout: [{ guard: 'transactionTimedOut', target: 'PrepareEpochFence', actions: 'writeTimeoutFence' }, { target: 'Ongoing', reenter: true }],
      },
    },
    PrepareEpochFence: {
      description:
        'Fencing the producer of the open transaction: its abort is being written as PrepareAbort under the next epoch, so the old producer is ' +
        'refused from now on (PRODUCER_FENCED). Kafka never writes this state. If the write fails the transaction stays Ongoing, and the next ' +
        'fence reuses the epoch.',
      on: {
        ...answeredRequests,
        'records.appended': [
          { guard: 'appendFailed', target: 'Ongoing', actions: 'abandonAppend' },
          { guard: 'appendedPrepareAbort', target: 'PrepareAbort', actions: 'applyAppend' },
        ],
      },
    },
    PrepareCommit: preparedState(
      'The commit is decided and written: a COMMIT marker goes to the leader of every partition of the transaction (WriteTxnMarkers with the ' +
        'coordinator epoch), retried until acknowledged or the partition is gone; then CompleteCommit is written. EndTxn retried meanwhile gets CONCURRENT_TRANSACTIONS.',
      { guard: 'appendedCompleteCommit', target: '#transaction.CompleteCommit' },
    ),
    PrepareAbort: preparedState(
      'The abort is decided and written: an ABORT marker goes to the leader of every partition of the transaction, retried until acknowledged ' +
        'or the partition is gone; then CompleteAbort is written.',
      { guard: 'appendedCompleteAbort', target: '#transaction.CompleteAbort' },
    ),
    CompleteCommit: idleState('The last transaction committed; every partition has its COMMIT marker. A retried EndTxn(commit) is answered NONE.'),
    CompleteAbort: idleState('The last transaction aborted; every partition has its ABORT marker. A retried EndTxn(abort) is answered NONE.'),
    Dead: {
      description: 'The transactional id expired (transactional.id.expiration.ms without a transaction): its tombstone is written and the coordinator forgets it.',
      type: 'final',
    },
  },
});
