/**
 * Transactional offsets through the broker's coordinators on three simulated brokers (issue 13, KIP-98, KIP-447),
 * driven with raw requests as a transactional producer sends them: FindCoordinator (key type 1) creates
 * `__transaction_state` and names the transaction coordinator, InitProducerId, AddOffsetsToTxn, TxnOffsetCommit to the
 * group coordinator (pending: UNSTABLE_OFFSET_COMMIT with requireStable), EndTxn; the coordinator's WriteTxnMarkers
 * reach the group's `__consumer_offsets` partition, where COMMIT applies the offsets and ABORT drops them; when the
 * group coordinator's broker dies, the new one replays the transactional records and their markers from the log.
 */
import { Admin, TransactionalIdNotFoundError } from '@kactor/client';
import { encodeRecordBatch, errorForCode, groupCoordinatorPartition, type RequestBody } from '@kactor/protocol';
import { createIdGenerator, createLogger, createSeededRandom } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '@kactor/simulation';

const brokerConfig = {
  'offsets.topic.num.partitions': '3',
  'offsets.topic.replication.factor': '3',
  'transaction.state.log.num.partitions': '3',
  'transaction.state.log.replication.factor': '3',
};

let cluster: SimulatedCluster | undefined;
afterEach(async () => {
  for (const node of cluster?.nodes ?? []) await node.halt();
  cluster = undefined;
});

/** The admin client of `kactor transactions list|describe` (KIP-664) on the simulated network. */
function adminOf(sim: SimulatedCluster): Admin {
  const random = createSeededRandom('admin');
  return Admin.create(
    { 'bootstrap.servers': sim.bootstrapServers },
    { clock: sim.clock, random, ids: createIdGenerator(createSeededRandom('admin-ids')), transport: sim.network.forHost('admin'), logger: createLogger({ clock: sim.clock }), urlScheme: 'memory' },
  );
}

/** Runs the simulation until `promise` settles (bounded), then returns its outcome. */
async function settle<T>(sim: SimulatedCluster, promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await sim.until(() => settled, 'the admin call settles');
  return promise;
}

/** Asks FindCoordinator until it names a coordinator (the first ask creates the internal topic). */
async function coordinatorOf(sim: SimulatedCluster, key: string, keyType: 0 | 1): Promise<number> {
  const client = sim.client();
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const answer = await client.call('findCoordinator', { key, keyType });
    if (answer.errorCode === 0) return answer.nodeId;
    expect(errorForCode(answer.errorCode).name).toBe('COORDINATOR_NOT_AVAILABLE');
    await sim.advance(100);
  }
  throw new Error(`no coordinator for ${key}`);
}

/** A key whose coordinator (the leader of its partition of `topic`) is none of `avoid`. */
function keyLedOutside(sim: SimulatedCluster, topic: string, prefix: string, avoid: readonly number[]): string {
  const image = sim.node(sim.controllerId).broker.getSnapshot().context.image;
  const partitions = image?.topics.find((candidate) => candidate.name === topic)?.partitions ?? [];
  for (let n = 0; n < 100; n += 1) {
    const key = `${prefix}-${n}`;
    const leader = partitions[groupCoordinatorPartition(key, partitions.length)]?.leader;
    if (leader !== undefined && leader >= 0 && !avoid.includes(leader)) return key;
  }
  throw new Error(`every partition of ${topic} is led by one of ${avoid.join(', ')}`);
}

/** A group id whose coordinator is not the controller's broker (the broker the failover kills). */
function groupOutsideController(sim: SimulatedCluster): string {
  const image = sim.node(sim.controllerId).broker.getSnapshot().context.image;
  const partitions = image?.topics.find((topic) => topic.name === '__consumer_offsets')?.partitions ?? [];
  for (let n = 0; n < 100; n += 1) {
    const groupId = `copier-${n}`;
    const leader = partitions[groupCoordinatorPartition(groupId, 3)]?.leader;
    if (leader !== undefined && leader >= 0 && leader !== sim.controllerId) return groupId;
  }
  throw new Error('every __consumer_offsets partition is led by the controller');
}

describe('transactional offsets across the coordinators', () => {
  it('committed with the transaction, dropped with an aborted one, and replayed with their markers after the group coordinator dies', async () => {
    cluster = new SimulatedCluster({ brokers: 3, seed: 131, latencyMs: 1, brokerConfig });
    const sim = cluster;
    await sim.startAll();
    await coordinatorOf(sim, 'probe', 0);
    const groupId = groupOutsideController(sim);
    const groupCoordinator = await coordinatorOf(sim, groupId, 0);
    const txnCoordinator = await coordinatorOf(sim, 'tx-1', 1);
    const txn = sim.client(sim.node(txnCoordinator).url);
    const group = sim.client(sim.node(groupCoordinator).url);

    const init = await txn.call('initProducerId', { transactionalId: 'tx-1', transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    expect(errorForCode(init.errorCode).name).toBe('NONE');
    const producer = { transactionalId: 'tx-1', producerId: init.producerId, producerEpoch: init.producerEpoch };

    const stableOffset = async (client = group) => {
      const answer = await client.call('offsetFetch', { groupId, topics: [{ name: 'input', partitionIndexes: [0] }], requireStable: true });
      const partition = answer.topics[0]?.partitions[0];
      return { error: errorForCode(answer.errorCode !== 0 ? answer.errorCode : (partition?.errorCode ?? -1)).name, offset: partition?.committedOffset };
    };
    const transaction = async (offset: number, committed: boolean) => {
      expect(errorForCode((await txn.call('addOffsetsToTxn', { ...producer, groupId })).errorCode).name).toBe('NONE');
      const commit: RequestBody<'txnOffsetCommit'> = {
        ...producer,
        groupId,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: 'input', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }],
      };
      const committedAnswer = await group.call('txnOffsetCommit', commit);
      expect(errorForCode(committedAnswer.topics[0]?.partitions[0]?.errorCode ?? -1).name).toBe('NONE');
      expect((await stableOffset()).error).toBe('UNSTABLE_OFFSET_COMMIT');
      expect(errorForCode((await txn.call('endTxn', { ...producer, committed })).errorCode).name).toBe('NONE');
      // The markers reach the group's partition asynchronously (WriteTxnMarkers from the transaction coordinator).
      let settled = false;
      for (let attempt = 0; attempt < 100 && !settled; attempt += 1) {
        settled = (await stableOffset()).error === 'NONE';
        if (!settled) await sim.advance(50);
      }
      expect(settled).toBe(true);
    };

    await transaction(100, true);
    expect(await stableOffset()).toEqual({ error: 'NONE', offset: 100 });
    await transaction(200, false);
    expect(await stableOffset()).toEqual({ error: 'NONE', offset: 100 });
    await transaction(300, true);
    expect(await stableOffset()).toEqual({ error: 'NONE', offset: 300 });

    // What `kactor transactions list|describe` shows through the admin client (KIP-664), once the commit's markers are all written.
    const admin = adminOf(sim);
    let described = (await settle(sim, admin.describeTransactions(['tx-1'])))[0];
    for (let attempt = 0; attempt < 100 && described?.state !== 'CompleteCommit'; attempt += 1) {
      await sim.advance(50);
      described = (await settle(sim, admin.describeTransactions(['tx-1'])))[0];
    }
    expect(described).toMatchObject({ ...producer, coordinatorId: txnCoordinator, state: 'CompleteCommit', transactionTimeoutMs: 60_000, topicPartitions: [], error: null });
    // As in Kafka, a completed transaction's start time stays until the next one begins.
    expect(described?.transactionStartTimeMs).toBeLessThanOrEqual(sim.clock.now());
    expect(await settle(sim, admin.listTransactions())).toEqual([{ transactionalId: 'tx-1', producerId: producer.producerId, state: 'CompleteCommit', coordinatorId: txnCoordinator }]);
    expect((await settle(sim, admin.describeTransactions(['nobody'])))[0]?.error).toBeInstanceOf(TransactionalIdNotFoundError);
    admin.close();

    // The group coordinator's broker dies: the new leader of the group's partition replays records and markers.
    await sim.kill(groupCoordinator);
    const next = await (async () => {
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const nodeId = await coordinatorOf(sim, groupId, 0);
        if (nodeId !== groupCoordinator) return nodeId;
        await sim.advance(200);
      }
      throw new Error('the group coordinator did not move');
    })();
    const moved = sim.client(sim.node(next).url);
    let answer = await stableOffset(moved);
    for (let attempt = 0; attempt < 100 && answer.error === 'COORDINATOR_LOAD_IN_PROGRESS'; attempt += 1) {
      await sim.advance(50);
      answer = await stableOffset(moved);
    }
    expect(answer).toEqual({ error: 'NONE', offset: 300 });
  }, 60_000);

  it('the transaction coordinator dies right after EndTxn: the new one replays PrepareCommit and finishes the commit (its markers reach the group)', async () => {
    cluster = new SimulatedCluster({ brokers: 3, seed: 132, latencyMs: 1, brokerConfig });
    const sim = cluster;
    await sim.startAll();
    await coordinatorOf(sim, 'probe', 0);
    await coordinatorOf(sim, 'probe', 1);
    const groupId = groupOutsideController(sim);
    const groupCoordinator = await coordinatorOf(sim, groupId, 0);
    const transactionalId = keyLedOutside(sim, '__transaction_state', 'tx', [sim.controllerId, groupCoordinator]);
    const txnCoordinator = await coordinatorOf(sim, transactionalId, 1);
    const txn = sim.client(sim.node(txnCoordinator).url);
    const group = sim.client(sim.node(groupCoordinator).url);
    const init = await txn.call('initProducerId', { transactionalId, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    const producer = { transactionalId, producerId: init.producerId, producerEpoch: init.producerEpoch };
    expect(errorForCode((await txn.call('addOffsetsToTxn', { ...producer, groupId })).errorCode).name).toBe('NONE');
    const commit = await group.call('txnOffsetCommit', {
      ...producer,
      groupId,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 'input', partitions: [{ partitionIndex: 0, committedOffset: 77, committedLeaderEpoch: -1, committedMetadata: null }] }],
    });
    expect(errorForCode(commit.topics[0]?.partitions[0]?.errorCode ?? -1).name).toBe('NONE');
    // The group's partition stops taking writes for a moment, so the markers cannot complete before the kill.
    sim.pause(groupCoordinator);
    expect(errorForCode((await txn.call('endTxn', { ...producer, committed: true })).errorCode).name).toBe('NONE');
    await sim.kill(txnCoordinator);
    sim.resume(groupCoordinator);

    let next = txnCoordinator;
    for (let attempt = 0; attempt < 200 && next === txnCoordinator; attempt += 1) {
      next = await coordinatorOf(sim, transactionalId, 1);
      if (next === txnCoordinator) await sim.advance(200);
    }
    expect(next).not.toBe(txnCoordinator);
    const moved = sim.client(sim.node(next).url);
    let state = '';
    for (let attempt = 0; attempt < 200 && state !== 'CompleteCommit'; attempt += 1) {
      const described = await moved.call('describeTransactions', { transactionalIds: [transactionalId] });
      state = described.transactionStates[0]?.transactionState ?? '';
      if (state !== 'CompleteCommit') await sim.advance(100);
    }
    expect(state).toBe('CompleteCommit');
    const fetched = await sim.client(sim.node(await coordinatorOf(sim, groupId, 0)).url).call('offsetFetch', { groupId, topics: [{ name: 'input', partitionIndexes: [0] }], requireStable: true });
    expect(fetched).toMatchObject({ errorCode: 0, topics: [{ partitions: [{ errorCode: 0, committedOffset: 77 }] }] });
  }, 60_000);

  it('transaction.timeout.ms: the coordinator aborts a transaction left open, and its pending offsets are dropped', async () => {
    cluster = new SimulatedCluster({ brokers: 3, seed: 133, latencyMs: 1, brokerConfig });
    const sim = cluster;
    await sim.startAll();
    await coordinatorOf(sim, 'probe', 0);
    const groupId = groupOutsideController(sim);
    const group = sim.client(sim.node(await coordinatorOf(sim, groupId, 0)).url);
    const txn = sim.client(sim.node(await coordinatorOf(sim, 'tx-slow', 1)).url);
    const init = await txn.call('initProducerId', { transactionalId: 'tx-slow', transactionTimeoutMs: 2_000, producerId: -1, producerEpoch: -1 });
    const producer = { transactionalId: 'tx-slow', producerId: init.producerId, producerEpoch: init.producerEpoch };
    await txn.call('addOffsetsToTxn', { ...producer, groupId });
    await group.call('txnOffsetCommit', {
      ...producer,
      groupId,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 'input', partitions: [{ partitionIndex: 0, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: null }] }],
    });
    const stable = async () => {
      const answer = await group.call('offsetFetch', { groupId, topics: [{ name: 'input', partitionIndexes: [0] }], requireStable: true });
      return { error: errorForCode(answer.topics[0]?.partitions[0]?.errorCode ?? -1).name, offset: answer.topics[0]?.partitions[0]?.committedOffset };
    };
    expect((await stable()).error).toBe('UNSTABLE_OFFSET_COMMIT');
    // The producer goes quiet; after transaction.timeout.ms its coordinator fences it and aborts the transaction.
    await sim.advance(15_000);
    expect(await stable()).toEqual({ error: 'NONE', offset: -1 });
    const described = await txn.call('describeTransactions', { transactionalIds: ['tx-slow'] });
    expect(described.transactionStates[0]).toMatchObject({ transactionState: 'CompleteAbort', producerEpoch: init.producerEpoch + 1 });
    expect(errorForCode((await txn.call('endTxn', { ...producer, committed: true })).errorCode).name).toBe('PRODUCER_FENCED');
  }, 60_000);

  it('markers reach a data partition’s leader too: read_committed stops at the open transaction, then reads the committed one and is told of the aborted one', async () => {
    cluster = new SimulatedCluster({ brokers: 3, seed: 134, latencyMs: 1, brokerConfig });
    const sim = cluster;
    await sim.startAll();
    const created = await sim.client().call('createTopics', {
      topics: [{ name: 'output', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }],
      timeoutMs: 5_000,
      validateOnly: false,
    });
    expect(created.topics[0]?.errorCode).toBe(0);
    await sim.until(() => sim.nodes.every((node) => node.broker.getSnapshot().context.image?.topics.some((topic) => topic.name === 'output') === true), 'every broker knows output');
    const leader = sim.node(sim.controllerId).broker.getSnapshot().context.image?.topics.find((topic) => topic.name === 'output')?.partitions[0]?.leader ?? -1;
    const data = sim.client(sim.node(leader).url);
    const txn = sim.client(sim.node(await coordinatorOf(sim, 'tx-out', 1)).url);
    const init = await txn.call('initProducerId', { transactionalId: 'tx-out', transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    const producer = { transactionalId: 'tx-out', producerId: init.producerId, producerEpoch: init.producerEpoch };
    let sequence = 0;
    const writeInTransaction = async (value: string) => {
      expect(errorForCode((await txn.call('addPartitionsToTxn', { ...producer, topics: [{ name: 'output', partitions: [0] }] })).results[0]?.resultsByPartition[0]?.partitionErrorCode ?? -1).name).toBe('NONE');
      const records = encodeRecordBatch({
        records: [{ key: null, value: new TextEncoder().encode(value), timestamp: sim.clock.now() }],
        producerId: producer.producerId,
        producerEpoch: producer.producerEpoch,
        baseSequence: sequence,
        isTransactional: true,
      });
      sequence += 1;
      const produced = await data.call('produce', { transactionalId: 'tx-out', acks: -1, timeoutMs: 30_000, topicData: [{ name: 'output', partitionData: [{ index: 0, records }] }] });
      expect(errorForCode(produced.responses[0]?.partitionResponses[0]?.errorCode ?? -1).name).toBe('NONE');
    };
    const readCommitted = async () => {
      const answer = await data.call('fetch', {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1_048_576,
        isolationLevel: 1,
        topics: [{ topic: 'output', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1_048_576 }] }],
      });
      const partition = answer.responses[0]?.partitions[0];
      return { lastStableOffset: partition?.lastStableOffset, highWatermark: partition?.highWatermark, aborted: partition?.abortedTransactions };
    };
    const end = async (committed: boolean) => {
      expect(errorForCode((await txn.call('endTxn', { ...producer, committed })).errorCode).name).toBe('NONE');
      let state = '';
      for (let attempt = 0; attempt < 100 && !state.startsWith('Complete'); attempt += 1) {
        state = (await txn.call('describeTransactions', { transactionalIds: ['tx-out'] })).transactionStates[0]?.transactionState ?? '';
        if (!state.startsWith('Complete')) await sim.advance(50);
      }
      expect(state).toBe(committed ? 'CompleteCommit' : 'CompleteAbort');
    };

    await writeInTransaction('aborted');
    expect(await readCommitted()).toMatchObject({ lastStableOffset: 0, highWatermark: 1 });
    await end(false);
    await writeInTransaction('committed');
    // The ABORT marker closed the first transaction (offset 1); the second is open from offset 2.
    expect(await readCommitted()).toMatchObject({ lastStableOffset: 2, highWatermark: 3 });
    await end(true);
    expect(await readCommitted()).toMatchObject({ lastStableOffset: 4, highWatermark: 4, aborted: [{ producerId: producer.producerId, firstOffset: 0 }] });
  }, 60_000);
});
