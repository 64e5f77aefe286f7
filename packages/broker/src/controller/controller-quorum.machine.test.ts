/**
 * The controller in quorum mode (KRaft, issue 12 contract C3): Kafka's QuorumController on a voter, Inactive as a
 * standby, Active while its node leads the metadata quorum, answering only what is committed.
 */
import { errorByName, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { startQuorumController } from './controller-quorum-test-support.js';
import type { MetadataRecord } from './metadata-records.js';
import { registerRecords } from './test-fixtures.js';

const NOT_CONTROLLER = errorByName('NOT_CONTROLLER').code;

/** Brokers 0-2 registered (epochs 0-2, the offsets of their records) and unfenced, by an earlier leader. */
const threeBrokers: MetadataRecord[] = [...registerRecords([0, 1, 2]), ...[0, 1, 2].map((brokerId): MetadataRecord => ({ type: 'UnfenceBroker', brokerId, brokerEpoch: brokerId }))];

/** An active controller over three unfenced brokers that all report having applied everything committed so far. */
/** Active, with each of the three brokers heard from once since (a heartbeat reporting the committed offset). */
function activeOverThreeBrokers() {
  const controller = startQuorumController();
  controller.replicateCommitted(threeBrokers);
  controller.claim();
  for (const brokerId of [0, 1, 2]) controller.heartbeat(brokerId, controller.context().highWatermark - 1);
  return controller;
}

const lastOffset = (controller: ReturnType<typeof startQuorumController>) => controller.log.logEndOffset - 1;
const topicNames = (state: { topics: Record<string, unknown> }) => Object.keys(state.topics).sort();

describe('controller machine, quorum mode: Inactive (standby)', () => {
  it('Loading -> Inactive in quorum mode: the log is not read; quorum.committed is replayed into the state', () => {
    const controller = startQuorumController();
    expect(controller.actor.getSnapshot().value).toBe('Inactive');
    controller.replicateCommitted(threeBrokers);
    const { state, committedState, highWatermark } = controller.context();
    expect(Object.values(state.brokers).map((broker) => [broker.brokerId, broker.brokerEpoch, broker.fenced])).toEqual([
      [0, 0, false],
      [1, 1, false],
      [2, 2, false],
    ]);
    expect(state).toEqual(committedState);
    expect(highWatermark).toBe(6);
  });

  it('Inactive: createTopics answered NOT_CONTROLLER naming the leader (and no controller before one is known)', () => {
    const controller = startQuorumController();
    const before = controller.createTopic('orders');
    expect(controller.answerTo(before)).toMatchObject({ topics: [{ name: 'orders', errorCode: NOT_CONTROLLER, errorMessage: 'No controller appears to be active' }] });
    controller.actor.send({ type: 'quorum.renounced', leaderId: 2 });
    const after = controller.createTopic('orders');
    expect(controller.answerTo(after)).toMatchObject({ topics: [{ name: 'orders', errorCode: NOT_CONTROLLER, errorMessage: 'The active controller appears to be node 2' }] });
    expect(controller.log.records).toEqual([]);
  });

  it('Inactive: every controller API is answered NOT_CONTROLLER in its own shape, nothing written', () => {
    const controller = startQuorumController();
    controller.replicateCommitted(threeBrokers);
    controller.actor.send({ type: 'quorum.renounced', leaderId: 1 });
    const message = 'The active controller appears to be node 1';
    const refs = [
      controller.send('deleteTopics', { topicNames: ['orders'], timeoutMs: 1_000 }),
      controller.send('createPartitions', { topics: [{ name: 'orders', count: 3, assignments: null }], timeoutMs: 1_000, validateOnly: false }),
      controller.send('electLeaders', { electionType: 0, topicPartitions: [{ topic: 'orders', partitions: [0] }], timeoutMs: 1_000 }),
      controller.send('alterPartition', { brokerId: 0, brokerEpoch: 0, topics: [] }),
      controller.send('brokerRegistration', { brokerId: 3, clusterId: 'cluster-1', incarnationId: 'i-3', listeners: [{ name: 'PLAINTEXT', host: 'h', port: 1, url: 'ws://h:1' }], rack: null }),
      controller.heartbeat(0, 5),
    ];
    expect(refs.map((ref) => controller.answerTo(ref))).toEqual([
      { throttleTimeMs: 0, responses: [{ name: 'orders', topicId: null, errorCode: NOT_CONTROLLER, errorMessage: message }] },
      { throttleTimeMs: 0, results: [{ name: 'orders', errorCode: NOT_CONTROLLER, errorMessage: message }] },
      { throttleTimeMs: 0, errorCode: NOT_CONTROLLER, replicaElectionResults: [{ topic: 'orders', partitionResult: [{ partitionId: 0, errorCode: NOT_CONTROLLER, errorMessage: message }] }] },
      { throttleTimeMs: 0, errorCode: NOT_CONTROLLER, topics: [] },
      { throttleTimeMs: 0, errorCode: NOT_CONTROLLER, errorMessage: message, brokerEpoch: -1, clusterId: null },
      { throttleTimeMs: 0, errorCode: NOT_CONTROLLER, errorMessage: message, isCaughtUp: false, isFenced: true, shouldShutDown: false },
    ]);
    expect(controller.log.logEndOffset).toBe(6);
  });

  it("Inactive: the standby's replay of the committed records equals the leader's committed state", () => {
    const leader = activeOverThreeBrokers();
    const standby = startQuorumController({ controllerId: 1 });
    standby.replicateCommitted(threeBrokers);
    standby.log.appendControlRecord();
    const follow = () => standby.actor.send({ type: 'quorum.committed', records: leader.commit(), highWatermark: leader.log.logEndOffset });
    follow();
    leader.createTopic('orders');
    leader.send('brokerRegistration', { brokerId: 3, clusterId: 'cluster-1', incarnationId: 'i-3', listeners: [{ name: 'PLAINTEXT', host: 'h', port: 1, url: 'ws://h:1' }], rack: null });
    follow();
    leader.heartbeat(3, lastOffset(leader));
    leader.createTopic('payments');
    leader.send('deleteTopics', { topicNames: ['orders'], timeoutMs: 0 });
    follow();
    expect(topicNames(standby.context().state)).toEqual(['payments']);
    expect(standby.context().state.brokers[3]?.fenced).toBe(false);
    expect(standby.context().state).toEqual(leader.context().committedState);
    expect(leader.context().committedState).toEqual(leader.context().state);
    expect(standby.actor.getSnapshot().value).toBe('Inactive');
  });
});

describe('controller machine, quorum mode: claim and Active', () => {
  it('Inactive -> Active on quorum.claimed, starting from the committed state', () => {
    const controller = activeOverThreeBrokers();
    expect(controller.actor.getSnapshot().value).toBe('Active');
    const { state, committedState, activeControllerId } = controller.context();
    expect(state).toEqual(committedState);
    expect(activeControllerId).toBe(0);
    expect(controller.lines.some((line) => line.msg === 'became the active controller' && line['epoch'] === 1)).toBe(true);
  });

  it('Active: claimed controller does not fence registered brokers for one session timeout', async () => {
    const controller = startQuorumController();
    controller.replicateCommitted(threeBrokers);
    // Long after the brokers were last heard of by the previous leader, this node takes over.
    await controller.clock.advanceByAsync(60_000);
    controller.claim();
    await controller.clock.advanceByAsync(5_000);
    controller.heartbeat(0, 6);
    controller.heartbeat(1, 6);
    await controller.clock.advanceByAsync(3_999);
    expect(Object.values(controller.context().state.brokers).map((broker) => broker.fenced)).toEqual([false, false, false]);
    expect(controller.log.records.length).toBe(6);
    await controller.clock.advanceByAsync(1);
    expect(Object.values(controller.context().state.brokers).map((broker) => broker.fenced)).toEqual([false, false, true]);
    expect(controller.log.records.at(-1)?.record).toEqual({ type: 'FenceBroker', brokerId: 2, brokerEpoch: 2 });
  });

  it('Active: a new incarnation of a broker registered before the failover waits out the session the claim gave it', async () => {
    const controller = activeOverThreeBrokers();
    const registration = { brokerId: 2, clusterId: 'cluster-1', incarnationId: 'restarted', listeners: [{ name: 'PLAINTEXT', host: 'h', port: 1, url: 'ws://h:1' }], rack: null };
    expect(controller.answerTo(controller.send('brokerRegistration', registration))).toMatchObject({ errorCode: errorByName('DUPLICATE_BROKER_REGISTRATION').code });
    await controller.clock.advanceByAsync(9_000);
    expect(controller.answerTo(controller.send('brokerRegistration', registration))).toMatchObject({ errorCode: 0 });
  });

  it('Active: brokerRegistration answered at once, before commit, with the offset of its RegisterBroker record as broker epoch', () => {
    const controller = activeOverThreeBrokers();
    const offset = controller.log.logEndOffset;
    const ref = controller.send('brokerRegistration', { brokerId: 3, clusterId: 'cluster-1', incarnationId: 'i-3', listeners: [{ name: 'PLAINTEXT', host: 'h', port: 1, url: 'ws://h:1' }], rack: null });
    expect(offset).toBe(7);
    expect(controller.answerTo(ref)).toEqual({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, brokerEpoch: offset, clusterId: 'cluster-1' });
    expect(controller.log.records.at(-1)).toMatchObject({ offset, record: { type: 'RegisterBroker', brokerId: 3 } });
    expect(controller.context().highWatermark).toBe(offset);
  });

  it('Active: a caught-up registered broker is unfenced by its heartbeat, answered at once; no UpdateMetadata is pushed', () => {
    const controller = activeOverThreeBrokers();
    const registered = controller.send('brokerRegistration', { brokerId: 3, clusterId: 'cluster-1', incarnationId: 'i-3', listeners: [{ name: 'PLAINTEXT', host: 'h', port: 1, url: 'ws://h:1' }], rack: null });
    const brokerEpoch = (controller.answerTo(registered) as ResponseBody<'brokerRegistration'>).brokerEpoch;
    controller.commit();
    const ref = controller.heartbeat(3, brokerEpoch);
    expect(controller.answerTo(ref)).toEqual({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, isCaughtUp: true, isFenced: false, shouldShutDown: false });
    expect(controller.log.records.at(-1)?.record).toEqual({ type: 'UnfenceBroker', brokerId: 3, brokerEpoch });
    expect(controller.context().committedState.brokers[3]?.fenced).toBe(true);
    expect(controller.pushes).toEqual([]);
  });

  it('Active: createTopics answered only after quorum.committed passes its offset and every unfenced broker applied it', () => {
    const controller = activeOverThreeBrokers();
    const ref = controller.createTopic('orders');
    const last = lastOffset(controller);
    expect(controller.context().state.topics['orders']).toBeDefined();
    expect(controller.context().committedState.topics['orders']).toBeUndefined();
    controller.commit(last);
    expect(controller.answerTo(ref)).toBeUndefined();
    controller.commit(last + 1);
    expect(controller.context().committedState.topics['orders']).toBeDefined();
    expect(controller.answerTo(ref)).toBeUndefined();
    controller.actor.send({ type: 'quorum.replicaProgress', brokerId: 0, appliedOffset: last });
    controller.actor.send({ type: 'quorum.replicaProgress', brokerId: 1, appliedOffset: last });
    expect(controller.answerTo(ref)).toBeUndefined();
    controller.heartbeat(2, last);
    expect(controller.answerTo(ref)).toMatchObject({ topics: [{ name: 'orders', errorCode: 0, numPartitions: 1, replicationFactor: 3 }] });
    expect(controller.pushes).toEqual([]);
  });

  it('Active: a request that changes nothing waits for the uncommitted records it was decided on (TOPIC_ALREADY_EXISTS only once committed)', () => {
    const controller = activeOverThreeBrokers();
    controller.createTopic('orders', 0);
    const again = controller.createTopic('orders', 0);
    expect(controller.log.records.filter(({ record }) => record.type === 'Topic')).toHaveLength(1);
    expect(controller.answerTo(again)).toBeUndefined();
    controller.commit();
    expect(controller.answerTo(again)).toMatchObject({ topics: [{ name: 'orders', errorCode: errorByName('TOPIC_ALREADY_EXISTS').code }] });
    // With nothing pending it is answered at once.
    const third = controller.createTopic('orders', 0);
    expect(controller.answerTo(third)).toMatchObject({ topics: [{ name: 'orders', errorCode: errorByName('TOPIC_ALREADY_EXISTS').code }] });
  });

  it('Active: a broker not heard from since the controller took over is not waited for (one that died with the old controller would hold every answer a session timeout)', () => {
    const controller = startQuorumController();
    controller.replicateCommitted(threeBrokers);
    controller.claim();
    controller.heartbeat(0, controller.context().highWatermark - 1);
    const ref = controller.createTopic('orders');
    const last = lastOffset(controller);
    controller.commit(last + 1);
    expect(controller.answerTo(ref)).toBeUndefined();
    // Broker 1 shows up through its Fetch of the metadata log; broker 2 stays silent.
    controller.actor.send({ type: 'quorum.replicaProgress', brokerId: 1, appliedOffset: last - 1 });
    controller.actor.send({ type: 'quorum.replicaProgress', brokerId: 0, appliedOffset: last });
    expect(controller.answerTo(ref)).toBeUndefined();
    controller.actor.send({ type: 'quorum.replicaProgress', brokerId: 1, appliedOffset: last });
    expect(controller.answerTo(ref)).toMatchObject({ topics: [{ name: 'orders', errorCode: 0 }] });
  });

  it('Active: createTopics answered at its timeoutMs without waiting for the brokers, but never before quorum.committed', async () => {
    const controller = activeOverThreeBrokers();
    const early = controller.createTopic('orders', 1_000);
    await controller.clock.advanceByAsync(5_000);
    expect(controller.answerTo(early)).toBeUndefined();
    controller.commit();
    expect(controller.answerTo(early)).toMatchObject({ topics: [{ name: 'orders', errorCode: 0 }] });
    const late = controller.createTopic('payments', 1_000);
    controller.commit();
    await controller.clock.advanceByAsync(999);
    expect(controller.answerTo(late)).toBeUndefined();
    await controller.clock.advanceByAsync(1);
    expect(controller.answerTo(late)).toMatchObject({ topics: [{ name: 'payments', errorCode: 0 }] });
  });

  it('Active: alterPartition answered once committed, without waiting for the brokers', () => {
    const controller = activeOverThreeBrokers();
    controller.createTopic('orders');
    controller.commit();
    const partition = controller.context().state.topics['orders']?.partitions[0];
    if (partition === undefined) throw new Error('orders-0 missing');
    const ref = controller.send('alterPartition', {
      brokerId: partition.leader,
      brokerEpoch: partition.leader,
      topics: [{ topicId: controller.context().state.topics['orders']?.topicId ?? '', partitions: [{ partitionIndex: 0, leaderEpoch: partition.leaderEpoch, newIsrWithEpochs: [{ brokerId: partition.leader, brokerEpoch: -1 }], leaderRecoveryState: 0, partitionEpoch: partition.partitionEpoch }] }],
    });
    expect(controller.answerTo(ref)).toBeUndefined();
    controller.commit();
    const answer = controller.answerTo(ref) as ResponseBody<'alterPartition'>;
    expect(answer.errorCode).toBe(0);
    expect(answer.topics[0]?.partitions[0]).toMatchObject({ errorCode: 0, isr: [partition.leader] });
  });

  it('Active -> Inactive on quorum.renounced (pending createTopics answered NOT_CONTROLLER, state rolled back)', async () => {
    const controller = activeOverThreeBrokers();
    const ref = controller.createTopic('orders');
    expect(controller.context().state.topics['orders']).toBeDefined();
    controller.actor.send({ type: 'quorum.renounced', leaderId: 2 });
    expect(controller.actor.getSnapshot().value).toBe('Inactive');
    expect(controller.answerTo(ref)).toMatchObject({ topics: [{ name: 'orders', errorCode: NOT_CONTROLLER, errorMessage: 'The active controller appears to be node 2' }] });
    expect(controller.context().state).toEqual(controller.context().committedState);
    expect(controller.context().state.topics['orders']).toBeUndefined();
    // Timers are cancelled: no session expires, no imbalance check runs, the pending request is not answered again.
    const written = controller.log.logEndOffset;
    await controller.clock.advanceByAsync(600_000);
    expect(controller.log.logEndOffset).toBe(written);
    expect(controller.answers.filter((answer) => answer.ref === ref)).toHaveLength(1);
    // The records may still commit under the next leader (Kafka's note on renounce): the standby then replays them.
    controller.commit();
    expect(controller.context().state.topics['orders']).toBeDefined();
  });

  it('Active -> Inactive when an append throws NotLeaderError: the request answered NOT_CONTROLLER, state rolled back', () => {
    const controller = activeOverThreeBrokers();
    const pending = controller.createTopic('orders');
    controller.log.leading = false;
    controller.log.leaderId = 1;
    const refused = controller.createTopic('payments');
    expect(controller.actor.getSnapshot().value).toBe('Inactive');
    const message = 'The active controller appears to be node 1';
    expect(controller.answerTo(refused)).toMatchObject({ topics: [{ name: 'payments', errorCode: NOT_CONTROLLER, errorMessage: message }] });
    expect(controller.answerTo(pending)).toMatchObject({ topics: [{ name: 'orders', errorCode: NOT_CONTROLLER, errorMessage: message }] });
    expect(topicNames(controller.context().state)).toEqual([]);
  });

  it('Active -> Inactive -> Active: re-elected, the controller starts again from the committed state', async () => {
    const controller = activeOverThreeBrokers();
    controller.createTopic('orders');
    controller.actor.send({ type: 'quorum.renounced', leaderId: undefined });
    // The next leader truncated the uncommitted topic away and committed its own records; this node is elected again.
    const highWatermark = controller.context().highWatermark;
    controller.log.records.splice(controller.log.records.findIndex(({ offset }) => offset >= highWatermark));
    controller.log.logEndOffset = highWatermark;
    controller.replicateCommitted([{ type: 'Topic', name: 'payments', topicId: 'payments-id' }]);
    controller.claim(3);
    expect(controller.actor.getSnapshot().value).toBe('Active');
    expect(topicNames(controller.context().state)).toEqual(['payments']);
    const ref = controller.createTopic('orders', 0);
    controller.commit();
    await controller.clock.advanceByAsync(0);
    expect(controller.answerTo(ref)).toMatchObject({ topics: [{ name: 'orders', errorCode: 0 }] });
  });

  it('Active -> Stopped on controller.stop: committed requests answered as done, uncommitted ones NOT_CONTROLLER', () => {
    const controller = activeOverThreeBrokers();
    const committed = controller.createTopic('orders');
    controller.commit();
    const uncommitted = controller.createTopic('payments');
    controller.actor.send({ type: 'controller.stop' });
    expect(controller.answerTo(committed)).toMatchObject({ topics: [{ name: 'orders', errorCode: 0 }] });
    expect(controller.answerTo(uncommitted)).toMatchObject({ topics: [{ name: 'payments', errorCode: NOT_CONTROLLER }] });
  });
});
