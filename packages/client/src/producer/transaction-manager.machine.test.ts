/**
 * The TransactionManager statechart on a simulated clock, one test per transition (Kafka's
 * TransactionManager.State.isTransitionValid), with what it emits for its host.
 */
import { isKafkaError } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor, type Actor } from 'xstate';
import { MAX_PRODUCER_EPOCH } from './partition-sequences.js';
import { transactionManagerMachine, type TransactionManagerEmitted } from './transaction-manager.machine.js';

type Machine = Actor<typeof transactionManagerMachine>;

function setUp(transactionalId: string | null = null) {
  const clock = new SimulatedClock({ startMs: 0 });
  const actor: Machine = createActor(transactionManagerMachine, { clock, input: { transactionalId, retryBackoffMs: 100 } });
  const emitted: TransactionManagerEmitted[] = [];
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  return { clock, actor, emitted };
}

const state = (actor: Machine) => actor.getSnapshot().value;
const types = (emitted: TransactionManagerEmitted[]) => emitted.map((event) => event.type);

function ready(transactionalId: string | null = null) {
  const setup = setUp(transactionalId);
  setup.actor.send(transactionalId === null ? { type: 'producerId.needed' } : { type: 'initTransactions.requested' });
  setup.actor.send({ type: 'initProducerId.succeeded', producerId: 42, producerEpoch: 3 });
  setup.emitted.length = 0;
  return setup;
}

function inTransaction() {
  const setup = ready('tx-1');
  setup.actor.send({ type: 'transaction.begin' });
  return setup;
}

describe('TransactionManager statechart', () => {
  it('UNINITIALIZED -> INITIALIZING on producerId.needed (idempotent), which sends InitProducerId without an id', () => {
    const { actor, emitted } = setUp();
    expect(state(actor)).toBe('UNINITIALIZED');
    actor.send({ type: 'producerId.needed' });
    expect(state(actor)).toEqual({ INITIALIZING: 'requesting' });
    expect(emitted).toEqual([{ type: 'initProducerId.send', transactionalId: null, producerId: -1, producerEpoch: -1 }]);
  });

  it('UNINITIALIZED ignores producerId.needed for a transactional producer, which waits for initTransactions()', () => {
    const { actor } = setUp('tx-1');
    actor.send({ type: 'producerId.needed' });
    expect(state(actor)).toBe('UNINITIALIZED');
    actor.send({ type: 'initTransactions.requested' });
    expect(state(actor)).toEqual({ INITIALIZING: 'requesting' });
  });

  it('INITIALIZING -> READY on initProducerId.succeeded, announcing the id and epoch', () => {
    const { actor, emitted } = setUp();
    actor.send({ type: 'producerId.needed' });
    actor.send({ type: 'initProducerId.succeeded', producerId: 42, producerEpoch: 0 });
    expect(state(actor)).toBe('READY');
    expect(emitted.at(-1)).toEqual({ type: 'producerId.assigned', producerIdAndEpoch: { producerId: 42, epoch: 0 }, bumped: false });
  });

  it('INITIALIZING.requesting -> backingOff on a retriable failure, and sends InitProducerId again after retryBackoff', () => {
    const { actor, emitted, clock } = setUp();
    actor.send({ type: 'producerId.needed' });
    actor.send({ type: 'initProducerId.failed', failure: { errorName: 'COORDINATOR_LOAD_IN_PROGRESS', retriable: true, message: 'loading' } });
    expect(state(actor)).toEqual({ INITIALIZING: 'backingOff' });
    clock.advanceBy(99);
    expect(types(emitted)).toEqual(['initProducerId.send']);
    clock.advanceBy(1);
    expect(state(actor)).toEqual({ INITIALIZING: 'requesting' });
    expect(types(emitted)).toEqual(['initProducerId.send', 'initProducerId.send']);
  });

  it('INITIALIZING -> FATAL_ERROR on INVALID_PRODUCER_EPOCH, as PRODUCER_FENCED, and every record fails', () => {
    const { actor, emitted } = setUp();
    actor.send({ type: 'producerId.needed' });
    actor.send({ type: 'initProducerId.failed', failure: { errorName: 'INVALID_PRODUCER_EPOCH', retriable: false, message: 'old epoch' } });
    expect(state(actor)).toBe('FATAL_ERROR');
    const fatal = emitted.at(-1);
    expect(fatal?.type).toBe('fatalError');
    expect(isKafkaError(fatal?.type === 'fatalError' ? fatal.error : undefined, 'PRODUCER_FENCED')).toBe(true);
    expect(isKafkaError(actor.getSnapshot().context.lastError, 'PRODUCER_FENCED')).toBe(true);
  });

  it('INITIALIZING -> FATAL_ERROR on an unexpected InitProducerId error', () => {
    const { actor } = setUp();
    actor.send({ type: 'producerId.needed' });
    actor.send({ type: 'initProducerId.failed', failure: { errorName: 'INVALID_REQUEST', retriable: false, message: 'not served' } });
    expect(state(actor)).toBe('FATAL_ERROR');
    expect(actor.getSnapshot().context.lastError?.message).toMatch(/unexpected error in the InitProducerId answer/);
  });

  it('INITIALIZING -> ABORTABLE_ERROR on CLUSTER_AUTHORIZATION_FAILED, then UNINITIALIZED on abortableError.handled (idempotent)', () => {
    const { actor, emitted } = setUp();
    actor.send({ type: 'producerId.needed' });
    actor.send({ type: 'initProducerId.failed', failure: { errorName: 'CLUSTER_AUTHORIZATION_FAILED', retriable: false, message: 'no' } });
    expect(state(actor)).toBe('ABORTABLE_ERROR');
    expect(types(emitted).at(-1)).toBe('abortableError');
    actor.send({ type: 'abortableError.handled' });
    expect(state(actor)).toBe('UNINITIALIZED');
    expect(actor.getSnapshot().context.lastError).toBeNull();
  });

  it('READY bumps the epoch on epochBump.required (KIP-360), staying READY and announcing the bump', () => {
    const { actor, emitted } = ready();
    actor.send({ type: 'epochBump.required' });
    expect(state(actor)).toBe('READY');
    expect(emitted).toEqual([{ type: 'producerId.assigned', producerIdAndEpoch: { producerId: 42, epoch: 4 }, bumped: true }]);
  });

  it('READY -> UNINITIALIZED on epochBump.required at the last epoch, forgetting the id so a new one is asked for', () => {
    const { actor } = setUp();
    actor.send({ type: 'producerId.needed' });
    actor.send({ type: 'initProducerId.succeeded', producerId: 42, producerEpoch: MAX_PRODUCER_EPOCH });
    actor.send({ type: 'epochBump.required' });
    expect(state(actor)).toBe('UNINITIALIZED');
    expect(actor.getSnapshot().context.producerIdAndEpoch).toEqual({ producerId: -1, epoch: -1 });
  });

  it('READY -> FATAL_ERROR on a fatal batch error (PRODUCER_FENCED); other batch errors change nothing', () => {
    const { actor } = ready();
    actor.send({ type: 'batch.failed', errorName: 'CORRUPT_MESSAGE', error: new Error('corrupt') });
    expect(state(actor)).toBe('READY');
    actor.send({ type: 'batch.failed', errorName: 'PRODUCER_FENCED', error: new Error('fenced') });
    expect(state(actor)).toBe('FATAL_ERROR');
  });

  it('FATAL_ERROR is never left and keeps its first error', () => {
    const { actor } = ready();
    actor.send({ type: 'error.fatal', error: new Error('first') });
    actor.send({ type: 'batch.failed', errorName: 'PRODUCER_FENCED', error: new Error('second') });
    actor.send({ type: 'producerId.needed' });
    actor.send({ type: 'transaction.begin' });
    expect(state(actor)).toBe('FATAL_ERROR');
    expect(actor.getSnapshot().context.lastError?.message).toBe('first');
  });

  it('allows send() (can send.requested) while an idempotent producer gets its id, and for a transactional one only IN_TRANSACTION', () => {
    const idempotent = setUp();
    expect(idempotent.actor.getSnapshot().can({ type: 'send.requested' })).toBe(true);
    idempotent.actor.send({ type: 'producerId.needed' });
    expect(idempotent.actor.getSnapshot().can({ type: 'send.requested' })).toBe(true);
    const transactional = ready('tx-1');
    expect(transactional.actor.getSnapshot().can({ type: 'send.requested' })).toBe(false);
    expect(transactional.actor.getSnapshot().can({ type: 'offsets.requested' })).toBe(false);
    transactional.actor.send({ type: 'transaction.begin' });
    expect(transactional.actor.getSnapshot().can({ type: 'send.requested' })).toBe(true);
    expect(transactional.actor.getSnapshot().can({ type: 'offsets.requested' })).toBe(true);
    transactional.actor.send({ type: 'transaction.commit' });
    expect(transactional.actor.getSnapshot().can({ type: 'send.requested' })).toBe(false);
  });

  it('READY refuses transaction.begin for an idempotent producer and READY -> IN_TRANSACTION for a transactional one', () => {
    expect(ready().actor.getSnapshot().can({ type: 'transaction.begin' })).toBe(false);
    const { actor } = ready('tx-1');
    actor.send({ type: 'transaction.begin' });
    expect(state(actor)).toBe('IN_TRANSACTION');
  });

  it('IN_TRANSACTION -> COMMITTING_TRANSACTION on transaction.commit -> READY on transaction.completed', () => {
    const { actor } = inTransaction();
    actor.send({ type: 'transaction.commit' });
    expect(state(actor)).toBe('COMMITTING_TRANSACTION');
    expect(actor.getSnapshot().can({ type: 'transaction.begin' })).toBe(false);
    actor.send({ type: 'transaction.completed' });
    expect(state(actor)).toBe('READY');
  });

  it('IN_TRANSACTION -> ABORTING_TRANSACTION on transaction.abort -> READY on transaction.completed', () => {
    const { actor } = inTransaction();
    actor.send({ type: 'transaction.abort' });
    expect(state(actor)).toBe('ABORTING_TRANSACTION');
    actor.send({ type: 'transaction.completed' });
    expect(state(actor)).toBe('READY');
  });

  it('IN_TRANSACTION -> ABORTABLE_ERROR on a batch error -> ABORTING_TRANSACTION on transaction.abort; commit is refused meanwhile', () => {
    const { actor } = inTransaction();
    actor.send({ type: 'batch.failed', errorName: 'CORRUPT_MESSAGE', error: new Error('corrupt') });
    expect(state(actor)).toBe('ABORTABLE_ERROR');
    expect(actor.getSnapshot().can({ type: 'transaction.commit' })).toBe(false);
    actor.send({ type: 'transaction.abort' });
    expect(state(actor)).toBe('ABORTING_TRANSACTION');
  });

  it('ABORTING_TRANSACTION -> INITIALIZING on transaction.completed when the transaction lost the producer id (KIP-360), sending InitProducerId with the current id and epoch', () => {
    const { actor, emitted } = inTransaction();
    actor.send({ type: 'transaction.failed', error: new Error('unknown producer'), bumpEpoch: true });
    actor.send({ type: 'transaction.abort' });
    emitted.length = 0;
    actor.send({ type: 'transaction.completed' });
    expect(state(actor)).toEqual({ INITIALIZING: 'requesting' });
    expect(emitted).toEqual([{ type: 'initProducerId.send', transactionalId: 'tx-1', producerId: 42, producerEpoch: 3 }]);
    actor.send({ type: 'initProducerId.succeeded', producerId: 42, producerEpoch: 4 });
    expect(state(actor)).toBe('READY');
    expect(actor.getSnapshot().context.epochBumpRequired).toBe(false);
  });

  it('COMMITTING_TRANSACTION -> ABORTABLE_ERROR on transaction.failed', () => {
    const { actor } = inTransaction();
    actor.send({ type: 'transaction.commit' });
    actor.send({ type: 'transaction.failed', error: new Error('EndTxn failed') });
    expect(state(actor)).toBe('ABORTABLE_ERROR');
    expect(actor.getSnapshot().context.lastError?.message).toBe('EndTxn failed');
  });
});
