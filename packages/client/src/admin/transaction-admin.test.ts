import { coordinatorKeyTypes } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TransactionalIdNotFoundError } from '../errors.js';
import { FakeCluster } from '../test-support/fake-cluster.js';
import { Admin } from './admin.js';

let cluster: FakeCluster;
let admin: Admin;

async function setUp(): Promise<void> {
  cluster = await FakeCluster.start({ brokers: 3 });
  admin = Admin.create({ 'bootstrap.servers': cluster.bootstrapServers }, cluster.clientRuntime(7, 'admin'));
  const coordinators = cluster.transactionCoordinators;
  coordinators.put({ transactionalId: 'copier-2', coordinatorId: 2, producerId: 4001, producerEpoch: 3, state: 'Ongoing', transactionStartTimeMs: 1_700_000_000_500, partitions: [{ topic: 'output', partition: 2 }, { topic: 'input-offsets', partition: 0 }, { topic: 'output', partition: 0 }] });
  coordinators.put({ transactionalId: 'copier-1', coordinatorId: 1, producerId: 4000, producerEpoch: 0, state: 'CompleteCommit' });
  coordinators.put({ transactionalId: 'audit', coordinatorId: 2, producerId: 4002, producerEpoch: 7, state: 'Empty' });
}

afterEach(async () => {
  admin.close();
  await cluster.close();
});

describe('Admin transaction calls (KIP-664)', () => {
  it('lists the transactional ids of every broker, merged and sorted, with the broker that coordinates each', async () => {
    await setUp();
    expect(await cluster.settle(admin.listTransactions())).toEqual([
      { transactionalId: 'audit', producerId: 4002, state: 'Empty', coordinatorId: 2 },
      { transactionalId: 'copier-1', producerId: 4000, state: 'CompleteCommit', coordinatorId: 1 },
      { transactionalId: 'copier-2', producerId: 4001, state: 'Ongoing', coordinatorId: 2 },
    ]);
    expect(cluster.requestsOf('listTransactions').map((request) => request.brokerId).sort()).toEqual([0, 1, 2]);
  });

  it('sends the state and producer id filters to every broker', async () => {
    await setUp();
    expect(await cluster.settle(admin.listTransactions({ states: ['Ongoing', 'Empty'] }))).toEqual([
      { transactionalId: 'audit', producerId: 4002, state: 'Empty', coordinatorId: 2 },
      { transactionalId: 'copier-2', producerId: 4001, state: 'Ongoing', coordinatorId: 2 },
    ]);
    expect(await cluster.settle(admin.listTransactions({ producerIds: [4000] }))).toEqual([{ transactionalId: 'copier-1', producerId: 4000, state: 'CompleteCommit', coordinatorId: 1 }]);
    expect(cluster.requestsOf('listTransactions').at(-1)?.body).toEqual({ stateFilters: [], producerIdFilters: [4000] });
  });

  it('refuses an unknown state, a negative producer id and more filters than the wire carries before sending anything', async () => {
    await setUp();
    await expect(admin.listTransactions({ states: ['Committed' as never] })).rejects.toThrow(RangeError);
    await expect(admin.listTransactions({ producerIds: [-1] })).rejects.toThrow(RangeError);
    await expect(admin.listTransactions({ producerIds: Array.from({ length: 10_001 }, (_, index) => index) })).rejects.toThrow(/at most 10000/);
    await expect(admin.describeTransactions([''])).rejects.toThrow(TypeError);
    expect(cluster.requestsOf('listTransactions')).toHaveLength(0);
  });

  it('asks a broker whose coordinator is still loading again, and rejects when a broker cannot list within the timeout', async () => {
    await setUp();
    cluster.transactionCoordinators.inject('listTransactions', 1, 'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_LOAD_IN_PROGRESS');
    const listed = await cluster.settle(admin.listTransactions());
    expect(listed.map((listing) => listing.transactionalId)).toEqual(['audit', 'copier-1', 'copier-2']);
    expect(cluster.requestsOf('listTransactions').filter((request) => request.brokerId === 1)).toHaveLength(3);

    cluster.transactionCoordinators.inject('listTransactions', 0, ...Array<'COORDINATOR_LOAD_IN_PROGRESS'>(1_000).fill('COORDINATOR_LOAD_IN_PROGRESS'));
    await expect(cluster.settle(admin.listTransactions({ timeoutMs: 2_000 }))).rejects.toMatchObject({ errorName: expect.stringMatching(/COORDINATOR_LOAD_IN_PROGRESS|REQUEST_TIMED_OUT/) });
  });

  it("describes a transactional id at its coordinator, found with FindCoordinator key type 1", async () => {
    await setUp();
    const [description] = await cluster.settle(admin.describeTransactions(['copier-2']));
    expect(description).toEqual({
      transactionalId: 'copier-2',
      coordinatorId: 2,
      state: 'Ongoing',
      producerId: 4001,
      producerEpoch: 3,
      transactionTimeoutMs: 60_000,
      transactionStartTimeMs: 1_700_000_000_500,
      topicPartitions: [
        { topic: 'input-offsets', partition: 0 },
        { topic: 'output', partition: 0 },
        { topic: 'output', partition: 2 },
      ],
      error: null,
    });
    expect(cluster.requestsOf('findCoordinator').map((request) => request.body)).toEqual([{ key: 'copier-2', keyType: coordinatorKeyTypes.transaction }]);
    expect(cluster.requestsOf('describeTransactions').map((request) => request.brokerId)).toEqual([2]);
  });

  it('describes an id with no start time as null, and each id of one call on its own', async () => {
    await setUp();
    const descriptions = await cluster.settle(admin.describeTransactions(['copier-1', 'audit']));
    expect(descriptions.map((each) => [each.transactionalId, each.coordinatorId, each.state, each.transactionStartTimeMs, each.topicPartitions])).toEqual([
      ['copier-1', 1, 'CompleteCommit', null, []],
      ['audit', 2, 'Empty', null, []],
    ]);
  });

  it('answers an unknown transactional id with TransactionalIdNotFoundError, without retrying', async () => {
    await setUp();
    const [description] = await cluster.settle(admin.describeTransactions(['nobody']));
    expect(description?.error).toBeInstanceOf(TransactionalIdNotFoundError);
    expect(description).toMatchObject({ transactionalId: 'nobody', coordinatorId: 0, state: null, error: { errorName: 'TRANSACTIONAL_ID_NOT_FOUND', code: 105 } });
    expect(cluster.requestsOf('describeTransactions')).toHaveLength(1);
  });

  it('asks a loading coordinator again without looking it up again (COORDINATOR_LOAD_IN_PROGRESS)', async () => {
    await setUp();
    cluster.transactionCoordinators.inject('describeTransactions', 2, 'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_LOAD_IN_PROGRESS');
    const [description] = await cluster.settle(admin.describeTransactions(['copier-2']));
    expect(description).toMatchObject({ state: 'Ongoing', error: null });
    expect(cluster.requestsOf('describeTransactions').map((request) => request.brokerId)).toEqual([2, 2, 2]);
    expect(cluster.requestsOf('findCoordinator')).toHaveLength(1);
  });

  it('looks the coordinator up again after NOT_COORDINATOR from a broker that no longer holds the id', async () => {
    await setUp();
    cluster.transactionCoordinators.answerFindCoordinatorWith('copier-2', 0);
    const [description] = await cluster.settle(admin.describeTransactions(['copier-2']));
    expect(description).toMatchObject({ coordinatorId: 2, state: 'Ongoing', error: null });
    expect(cluster.requestsOf('describeTransactions').map((request) => request.brokerId)).toEqual([0, 2]);
    expect(cluster.requestsOf('findCoordinator')).toHaveLength(2);
  });

  it('looks a coordinator that is not available up again until the timeout, then reports the id failed', async () => {
    await setUp();
    await cluster.stopBroker(1);
    const pending = admin.describeTransactions(['copier-1'], { timeoutMs: 3_000 });
    const [description] = await cluster.settle(pending);
    expect(description).toMatchObject({ transactionalId: 'copier-1', coordinatorId: -1, state: null, error: { errorName: expect.stringMatching(/COORDINATOR_NOT_AVAILABLE|REQUEST_TIMED_OUT/) } });
    expect(cluster.requestsOf('findCoordinator').length).toBeGreaterThan(1);
  });
});
