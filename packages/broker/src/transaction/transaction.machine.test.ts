import { groupCoordinatorPartition } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { MAX_PRODUCER_EPOCH, metadataFromRecord, newTransactionMetadata } from './transaction-metadata.js';
import { START_MS, startTransaction, testLimits } from './transaction-test-support.js';

const out0 = { topic: 'out', partition: 0 };
const out1 = { topic: 'out', partition: 1 };

describe('transaction machine', () => {
  it('Empty -> Empty on InitProducerId: a new transactional id gets a producer id and epoch 0 once the record is written', () => {
    const t = startTransaction({ holdProducerIds: true });
    const init = t.initProducerId();
    expect(t.state()).toBe('Empty.AwaitingProducerId');
    expect(t.answer(t.initProducerId())).toEqual({ errorName: 'CONCURRENT_TRANSACTIONS', producerId: -1, producerEpoch: -1 });
    t.actor.send({ type: 'producerId.generated', result: { ok: true, producerId: 77 } });
    expect(t.state()).toBe('Empty.Ready');
    expect(t.answer(init)).toEqual({ errorName: 'NONE', producerId: 77, producerEpoch: 0 });
    expect(t.appended).toEqual([{ transactionalId: 'copier-1', value: expect.objectContaining({ producerId: 77, producerEpoch: 0, transactionStatus: 'Empty', transactionTimeoutMs: 60_000 }) }]);
  });

  it('InitProducerId over transaction.max.timeout.ms is refused with INVALID_TRANSACTION_TIMEOUT and writes nothing', () => {
    const t = startTransaction();
    expect(t.answer(t.initProducerId(900_001))?.errorName).toBe('INVALID_TRANSACTION_TIMEOUT');
    expect(t.appended).toEqual([]);
  });

  it('Empty -> Ongoing on AddPartitionsToTxn, only once its record is appended; requests meanwhile get CONCURRENT_TRANSACTIONS', () => {
    const t = startTransaction({ holdAppends: true });
    const init = t.initProducerId();
    t.heldAppends.shift()?.({ ok: true });
    const { producerId, producerEpoch } = t.answer(init) as { producerId: number; producerEpoch: number };
    const add = t.addPartitions(producerId, producerEpoch, [out0]);
    expect(t.state()).toBe('Empty.Ready');
    expect(t.answer(add)).toBeUndefined();
    expect(t.answer(t.endTxn(producerId, producerEpoch, true))?.errorName).toBe('CONCURRENT_TRANSACTIONS');
    t.heldAppends.shift()?.({ ok: true });
    expect(t.state()).toBe('Ongoing');
    expect(t.answer(add)?.errorName).toBe('NONE');
    expect(t.metadata()).toMatchObject({ state: 'Ongoing', partitions: [out0], txnStartTimestampMs: START_MS });
  });

  it('Empty stays Empty when AddPartitionsToTxn cannot be written; the producer gets NOT_COORDINATOR', () => {
    let failWith: 'NOT_LEADER_OR_FOLLOWER' | null = null;
    const t = startTransaction({ failAppendsWith: () => failWith });
    const producer = t.answer(t.initProducerId()) as { producerId: number; producerEpoch: number };
    failWith = 'NOT_LEADER_OR_FOLLOWER';
    expect(t.answer(t.addPartitions(producer.producerId, producer.producerEpoch, [out0]))?.errorName).toBe('NOT_COORDINATOR');
    expect(t.state()).toBe('Empty.Ready');
    expect(t.metadata()).toMatchObject({ state: 'Empty', partitions: [], pendingState: null });
  });

  it("AddOffsetsToTxn adds the group's __consumer_offsets partition to the transaction", () => {
    const t = startTransaction();
    const producer = t.ongoing();
    expect(t.answer(t.addOffsets(producer.producerId, producer.producerEpoch, 'copier'))?.errorName).toBe('NONE');
    expect(t.metadata().partitions).toContainEqual({ topic: '__consumer_offsets', partition: groupCoordinatorPartition('copier', testLimits.offsetsTopicNumPartitions) });
  });

  it('Ongoing -> PrepareCommit on EndTxn: COMMIT markers with the coordinator epoch for every partition', () => {
    const t = startTransaction({ coordinatorEpoch: 7 });
    const producer = t.ongoing([out0, out1]);
    const end = t.endTxn(producer.producerId, producer.producerEpoch, true);
    expect(t.state()).toBe('PrepareCommit');
    expect(t.answer(end)?.errorName).toBe('NONE');
    expect(t.markers).toEqual([{ transactionalId: 'copier-1', ...producer, coordinatorEpoch: 7, result: 'COMMIT', partitions: [out0, out1] }]);
    expect(t.answer(t.endTxn(producer.producerId, producer.producerEpoch, true))?.errorName).toBe('CONCURRENT_TRANSACTIONS');
    expect(t.answer(t.endTxn(producer.producerId, producer.producerEpoch, false))?.errorName).toBe('INVALID_TXN_STATE');
  });

  it('PrepareCommit -> CompleteCommit on markers.written; a retried EndTxn(commit) is answered NONE', () => {
    const t = startTransaction();
    const producer = t.ongoing([out0, out1]);
    t.endTxn(producer.producerId, producer.producerEpoch, true);
    t.answerMarkers('written');
    expect(t.state()).toBe('CompleteCommit.Ready');
    expect(t.completed).toEqual(['CompleteCommit']);
    expect(t.appended.at(-1)?.value).toMatchObject({ transactionStatus: 'CompleteCommit', transactionPartitions: [] });
    expect(t.answer(t.endTxn(producer.producerId, producer.producerEpoch, true))?.errorName).toBe('NONE');
    // The next transaction starts from CompleteCommit.
    expect(t.answer(t.addPartitions(producer.producerId, producer.producerEpoch, [out1]))?.errorName).toBe('NONE');
    expect(t.state()).toBe('Ongoing');
  });

  it('PrepareCommit stays until every marker is acknowledged: failed ones are resent after the backoff; deleted partitions count as done', async () => {
    const t = startTransaction();
    const producer = t.ongoing([out0, out1, { topic: 'deleted', partition: 0 }]);
    t.endTxn(producer.producerId, producer.producerEpoch, true);
    t.answerMarkers('written', { 'out-1': 'retry', 'deleted-0': 'gone' });
    expect(t.state()).toBe('PrepareCommit');
    expect(t.markers).toHaveLength(1);
    await t.clock.advanceByAsync(testLimits.retryBackoffMs);
    expect(t.markers.at(-1)?.partitions).toEqual([out1]);
    expect(t.state()).toBe('PrepareCommit');
    t.answerMarkers('written');
    expect(t.state()).toBe('CompleteCommit.Ready');
  });

  it('PrepareCommit stops sending markers once a partition reports a newer coordinator epoch', async () => {
    const t = startTransaction();
    const producer = t.ongoing([out0]);
    t.endTxn(producer.producerId, producer.producerEpoch, true);
    t.answerMarkers('fenced');
    await t.clock.advanceByAsync(10 * testLimits.retryBackoffMs);
    expect(t.markers).toHaveLength(1);
    expect(t.state()).toBe('PrepareCommit');
  });

  it('PrepareAbort -> CompleteAbort: a failed CompleteAbort append is retried after the backoff', async () => {
    let failures = 0;
    const t = startTransaction({ failAppendsWith: () => (failures > 0 ? ((failures -= 1), 'NOT_ENOUGH_REPLICAS') : null) });
    const producer = t.ongoing([out0]);
    t.endTxn(producer.producerId, producer.producerEpoch, false);
    expect(t.markers.at(-1)?.result).toBe('ABORT');
    failures = 1;
    t.answerMarkers('written');
    expect(t.state()).toBe('PrepareAbort');
    await t.clock.advanceByAsync(testLimits.retryBackoffMs);
    expect(t.state()).toBe('CompleteAbort.Ready');
    expect(t.answer(t.endTxn(producer.producerId, producer.producerEpoch, false))?.errorName).toBe('NONE');
  });

  it('Ongoing -> PrepareAbort on transaction.timeout: aborted under the next epoch, so the producer that let it expire is fenced', async () => {
    const t = startTransaction();
    const producer = t.ongoing([out0]);
    await t.clock.advanceByAsync(60_000);
    expect(t.state()).toBe('Ongoing');
    await t.clock.advanceByAsync(1);
    expect(t.state()).toBe('PrepareAbort');
    expect(t.metadata()).toMatchObject({ producerEpoch: producer.producerEpoch + 1, lastProducerEpoch: -1 });
    expect(t.markers.at(-1)).toMatchObject({ result: 'ABORT', producerEpoch: producer.producerEpoch + 1, partitions: [out0] });
    expect(t.answer(t.endTxn(producer.producerId, producer.producerEpoch, true))?.errorName).toBe('PRODUCER_FENCED');
    t.answerMarkers('written');
    expect(t.state()).toBe('CompleteAbort.Ready');
  });

  it('Ongoing -> PrepareEpochFence -> PrepareAbort on InitProducerId of a new instance (zombie fencing): CONCURRENT_TRANSACTIONS, then the next epoch', () => {
    const t = startTransaction({ holdAppends: true });
    const init = t.initProducerId();
    t.heldAppends.shift()?.({ ok: true });
    const zombie = t.answer(init) as { producerId: number; producerEpoch: number };
    t.addPartitions(zombie.producerId, zombie.producerEpoch, [out0]);
    t.heldAppends.shift()?.({ ok: true });
    const newInstance = t.initProducerId();
    expect(t.state()).toBe('PrepareEpochFence');
    expect(t.answer(t.endTxn(zombie.producerId, zombie.producerEpoch, true))?.errorName).toBe('PRODUCER_FENCED');
    t.heldAppends.shift()?.({ ok: true });
    expect(t.state()).toBe('PrepareAbort');
    expect(t.answer(newInstance)).toEqual({ errorName: 'CONCURRENT_TRANSACTIONS', producerId: -1, producerEpoch: -1 });
    t.answerMarkers('written');
    t.heldAppends.shift()?.({ ok: true });
    expect(t.state()).toBe('CompleteAbort.Ready');
    const retry = t.initProducerId();
    t.heldAppends.shift()?.({ ok: true });
    expect(t.answer(retry)).toEqual({ errorName: 'NONE', producerId: zombie.producerId, producerEpoch: zombie.producerEpoch + 2 });
    expect(t.answer(t.addPartitions(zombie.producerId, zombie.producerEpoch, [out0]))?.errorName).toBe('PRODUCER_FENCED');
  });

  it('PrepareEpochFence -> Ongoing when the fence cannot be written; the next fence reuses its epoch', () => {
    let failWith: 'NOT_ENOUGH_REPLICAS' | null = null;
    const t = startTransaction({ failAppendsWith: () => failWith });
    const producer = t.ongoing([out0]);
    failWith = 'NOT_ENOUGH_REPLICAS';
    expect(t.answer(t.initProducerId())?.errorName).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(t.state()).toBe('Ongoing');
    expect(t.metadata()).toMatchObject({ producerEpoch: producer.producerEpoch + 1, hasFailedEpochFence: true });
    failWith = null;
    expect(t.answer(t.initProducerId())?.errorName).toBe('CONCURRENT_TRANSACTIONS');
    expect(t.metadata()).toMatchObject({ state: 'PrepareAbort', producerEpoch: producer.producerEpoch + 1 });
  });

  it('Loaded -> PrepareCommit from a replayed record: the new coordinator sends the markers the old one began, then CompleteCommit', () => {
    const before = startTransaction();
    const producer = before.ongoing([out0, out1]);
    before.endTxn(producer.producerId, producer.producerEpoch, true);
    const lastRecord = before.appended.at(-1);
    before.actor.stop();
    // A new coordinator (the partition's next leader epoch) loads the record the old one wrote.
    const after = startTransaction({ metadata: metadataFromRecord(lastRecord!.transactionalId, lastRecord!.value!), coordinatorEpoch: 4 });
    expect(after.state()).toBe('PrepareCommit');
    expect(after.markers).toEqual([{ transactionalId: 'copier-1', ...producer, coordinatorEpoch: 4, result: 'COMMIT', partitions: [out0, out1] }]);
    after.answerMarkers('written');
    expect(after.state()).toBe('CompleteCommit.Ready');
  });

  it('Empty -> Empty on InitProducerId with exhausted epochs: a new producer id at epoch 0', () => {
    const exhausted = { ...newTransactionMetadata('copier-1', 5, 60_000, START_MS), producerEpoch: MAX_PRODUCER_EPOCH - 1, state: 'CompleteCommit' as const, txnStartTimestampMs: 1 };
    const t = startTransaction({ metadata: exhausted });
    expect(t.state()).toBe('CompleteCommit.Ready');
    expect(t.answer(t.initProducerId())).toEqual({ errorName: 'NONE', producerId: 1_000, producerEpoch: 0 });
    expect(t.producerIdRequests()).toBe(1);
    expect(t.state()).toBe('Empty.Ready');
  });

  it('CompleteCommit -> Dead after transactional.id.expiration.ms without a transaction: a tombstone is written', async () => {
    const t = startTransaction();
    const producer = t.ongoing([out0]);
    t.endTxn(producer.producerId, producer.producerEpoch, true);
    t.answerMarkers('written');
    await t.clock.advanceByAsync(testLimits.transactionalIdExpirationMs - 1);
    expect(t.state()).toBe('CompleteCommit.Ready');
    await t.clock.advanceByAsync(1);
    expect(t.state()).toBe('Dead');
    expect(t.appended.at(-1)).toEqual({ transactionalId: 'copier-1', value: null });
    expect(t.actor.getSnapshot().status).toBe('done');
  });

  it('CompleteCommit stays when the tombstone cannot be written: the expiry is tried again after transaction.remove.expired.transaction.cleanup.interval.ms', async () => {
    let failWith: 'NOT_ENOUGH_REPLICAS' | null = null;
    const t = startTransaction({ failAppendsWith: () => failWith });
    const producer = t.ongoing([out0]);
    t.endTxn(producer.producerId, producer.producerEpoch, true);
    t.answerMarkers('written');
    failWith = 'NOT_ENOUGH_REPLICAS';
    await t.clock.advanceByAsync(testLimits.transactionalIdExpirationMs);
    expect(t.state()).toBe('CompleteCommit.Ready');
    expect(t.appended.at(-1)).toEqual({ transactionalId: 'copier-1', value: null });
    failWith = null;
    await t.clock.advanceByAsync(testLimits.transactionRemoveExpiredTransactionCleanupIntervalMs);
    expect(t.state()).toBe('Dead');
  });

  it('PrepareCommit resends once for several markers answered retry within the backoff', async () => {
    const t = startTransaction();
    const producer = t.ongoing([out0, out1]);
    t.endTxn(producer.producerId, producer.producerEpoch, true);
    t.actor.send({ type: 'markers.answered', answers: [{ ...out0, outcome: 'retry' }] });
    t.actor.send({ type: 'markers.answered', answers: [{ ...out1, outcome: 'retry' }] });
    await t.clock.advanceByAsync(testLimits.retryBackoffMs);
    expect(t.markers.map((sent) => sent.partitions)).toEqual([[out0, out1], [out0, out1]]);
  });
});
