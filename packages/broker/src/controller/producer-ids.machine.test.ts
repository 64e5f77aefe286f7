/**
 * AllocateProducerIds at the controller actor (KIP-730), in both modes: the block is answered once its
 * ProducerIdsRecord is in the log (single) or committed (quorum), a controller that replays the log after a restart
 * or takes over after a failover continues after the last block, and a standby answers NOT_CONTROLLER.
 */
import { errorByName, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { startQuorumController } from './controller-quorum-test-support.js';
import { startController } from './controller-test-support.js';
import type { MetadataRecord } from './metadata-records.js';
import { snapshotRecordsOf } from './metadata-snapshot.js';
import { stateFromSnapshot } from './metadata-state.js';
import { append, clusterOf, registerRecords } from './test-fixtures.js';

type Answer = ResponseBody<'allocateProducerIds'>;

const STALE_BROKER_EPOCH = errorByName('STALE_BROKER_EPOCH').code;
const NOT_CONTROLLER = errorByName('NOT_CONTROLLER').code;

/** Brokers 0-2 registered (epochs 0-2) and unfenced. */
const threeBrokers: MetadataRecord[] = [...registerRecords([0, 1, 2]), ...[0, 1, 2].map((brokerId): MetadataRecord => ({ type: 'UnfenceBroker', brokerId, brokerEpoch: brokerId }))];

describe('controller machine, single mode: AllocateProducerIds', () => {
  it('Active on request.allocateProducerIds: answers blocks of 1000 in order, each after its ProducerIdsRecord is written', () => {
    const controller = startController(threeBrokers);
    for (const brokerId of [0, 1, 2]) controller.actor.send({ type: 'request.allocateProducerIds', ref: controller.ref('allocateProducerIds'), body: { brokerId, brokerEpoch: brokerId } });
    expect(controller.answers).toEqual([0, 1000, 2000].map((producerIdStart): Answer => ({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, producerIdStart, producerIdLen: 1000 })));
    expect(controller.written().filter((record) => record.type === 'ProducerIds')).toEqual([
      { type: 'ProducerIds', brokerId: 0, brokerEpoch: 0, nextProducerId: 1000 },
      { type: 'ProducerIds', brokerId: 1, brokerEpoch: 1, nextProducerId: 2000 },
      { type: 'ProducerIds', brokerId: 2, brokerEpoch: 2, nextProducerId: 3000 },
    ]);
  });

  it('Active on request.allocateProducerIds with a stale broker epoch: STALE_BROKER_EPOCH, nothing written', () => {
    const controller = startController(threeBrokers);
    const logEnd = controller.written().length;
    controller.actor.send({ type: 'request.allocateProducerIds', ref: controller.ref('allocateProducerIds'), body: { brokerId: 1, brokerEpoch: 0 } });
    expect(controller.answers).toEqual([{ throttleTimeMs: 0, errorCode: STALE_BROKER_EPOCH, errorMessage: 'broker 1 epoch 0 is not the registered one', producerIdStart: -1, producerIdLen: -1 }]);
    expect(controller.written()).toHaveLength(logEnd);
  });

  it('Loading -> Active after a restart: the replayed ProducerIdsRecords decide the next block', () => {
    const controller = startController([...threeBrokers, { type: 'ProducerIds', brokerId: 2, brokerEpoch: 2, nextProducerId: 5000 }]);
    controller.actor.send({ type: 'request.allocateProducerIds', ref: controller.ref('allocateProducerIds'), body: { brokerId: 0, brokerEpoch: 0 } });
    expect(controller.answers).toEqual([{ throttleTimeMs: 0, errorCode: 0, errorMessage: null, producerIdStart: 5000, producerIdLen: 1000 }]);
  });
});

describe('controller machine, quorum mode: AllocateProducerIds', () => {
  it('Active on request.allocateProducerIds: the block is answered only once its record is committed', () => {
    const controller = startQuorumController();
    controller.replicateCommitted(threeBrokers);
    controller.claim();
    const request = controller.send('allocateProducerIds', { brokerId: 1, brokerEpoch: 1 });
    expect(controller.answerTo(request)).toBeUndefined();
    expect(controller.log.records.at(-1)?.record).toEqual({ type: 'ProducerIds', brokerId: 1, brokerEpoch: 1, nextProducerId: 1000 });
    controller.commit();
    expect(controller.answerTo(request)).toEqual({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, producerIdStart: 0, producerIdLen: 1000 });
  });

  it('Inactive on request.allocateProducerIds: NOT_CONTROLLER naming the active controller, nothing written', () => {
    const controller = startQuorumController();
    controller.replicateCommitted(threeBrokers);
    controller.actor.send({ type: 'quorum.renounced', leaderId: 2 });
    const request = controller.send('allocateProducerIds', { brokerId: 1, brokerEpoch: 1 });
    expect(controller.answerTo(request)).toEqual({ throttleTimeMs: 0, errorCode: NOT_CONTROLLER, errorMessage: 'The active controller appears to be node 2', producerIdStart: -1, producerIdLen: -1 });
    expect(controller.log.records.every(({ record }) => record.type !== 'ProducerIds')).toBe(true);
  });

  it('Active -> Inactive on quorum.renounced before the commit: the block is answered NOT_CONTROLLER; the next leader, replaying what committed, never repeats an answered block', () => {
    const old = startQuorumController({ controllerId: 0 });
    old.replicateCommitted(threeBrokers);
    old.claim();
    const answered = old.send('allocateProducerIds', { brokerId: 0, brokerEpoch: 0 });
    old.commit();
    const pending = old.send('allocateProducerIds', { brokerId: 1, brokerEpoch: 1 });
    old.actor.send({ type: 'quorum.renounced', leaderId: 1 });
    expect(old.answerTo(answered)).toMatchObject({ errorCode: 0, producerIdStart: 0 });
    expect(old.answerTo(pending)).toMatchObject({ errorCode: NOT_CONTROLLER, producerIdStart: -1 });
    // The old leader's log up to its commit, as the new leader's replica received it: the uncommitted record was lost.
    const committed = old.log.records.filter(({ offset }) => offset < old.context().highWatermark).map(({ record }) => record);
    const next = startQuorumController({ controllerId: 1 });
    next.replicateCommitted(committed);
    next.claim(2);
    const retried = next.send('allocateProducerIds', { brokerId: 1, brokerEpoch: 1 });
    next.commit();
    expect(next.answerTo(retried)).toEqual({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, producerIdStart: 1000, producerIdLen: 1000 });
    expect(next.context().state.producerIds).toEqual({ nextProducerId: 2000, brokerId: 1, brokerEpoch: 1 });
  });

  it('Active -> Inactive on quorum.notLeader: an append refused by the Raft replica answers NOT_CONTROLLER and renounces', () => {
    const controller = startQuorumController();
    controller.replicateCommitted(threeBrokers);
    controller.claim();
    controller.log.leading = false;
    controller.log.leaderId = 2;
    const request = controller.send('allocateProducerIds', { brokerId: 0, brokerEpoch: 0 });
    expect(controller.answerTo(request)).toMatchObject({ errorCode: NOT_CONTROLLER, errorMessage: 'The active controller appears to be node 2' });
    expect(controller.actor.getSnapshot().value).toBe('Inactive');
    expect(controller.context().state.producerIds).toBeNull();
  });

  it('Inactive -> Active after quorum.snapshotLoaded: a controller whose state came from a metadata snapshot continues after the last block', () => {
    const before = append(clusterOf([0, 1, 2]), [{ type: 'ProducerIds', brokerId: 2, brokerEpoch: 2, nextProducerId: 7000 }]);
    const state = stateFromSnapshot(before.clusterId, snapshotRecordsOf(before), 50);
    const controller = startQuorumController();
    controller.log.logEndOffset = 50;
    controller.actor.send({ type: 'quorum.snapshotLoaded', state, highWatermark: 50 });
    controller.claim();
    const request = controller.send('allocateProducerIds', { brokerId: 0, brokerEpoch: 0 });
    controller.commit();
    expect(controller.answerTo(request)).toMatchObject({ errorCode: 0, producerIdStart: 7000, producerIdLen: 1000 });
  });
});
