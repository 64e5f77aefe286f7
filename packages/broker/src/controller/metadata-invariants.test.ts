import { createSeededRandom } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { alterPartitionRequest } from './alter-partition-request.js';
import { brokerHeartbeat, sessionExpired } from './broker-commands.js';
import { electLeaders } from './elect-leaders.js';
import { uncleanElectionPolicyOf } from './elections.js';
import { leaderImbalanceChanges } from './leader-imbalance.js';
import { assertPartitionChange, MetadataInvariantError } from './metadata-invariants.js';
import type { MetadataRecord } from './metadata-records.js';
import type { ControllerState, PartitionRegistration } from './metadata-state.js';
import { append, clusterOf } from './test-fixtures.js';
import { createTopics } from './topic-commands.js';

const orders: MetadataRecord[] = [
  { type: 'Topic', name: 'orders', topicId: 'orders-id' },
  { type: 'Partition', topicId: 'orders-id', partitionId: 0, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 0, leaderEpoch: 0, partitionEpoch: 0 },
];

function violation(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof MetadataInvariantError) return error.invariant;
    throw error;
  }
  return undefined;
}

describe('metadata replay asserts what every partition registration must satisfy', () => {
  const state = append(clusterOf([0, 1, 2, 3]), orders);
  const change = (fields: Partial<Extract<MetadataRecord, { type: 'PartitionChange' }>>) => () =>
    append(state, [{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, ...fields }]);

  it.each([
    ['a partition created twice (its epochs would restart)', () => append(state, [orders[1] as MetadataRecord]), 'partition-recreated'],
    [
      'a new partition led from outside its ISR',
      () => append(state, [{ type: 'Partition', topicId: 'orders-id', partitionId: 1, replicas: [0, 1], isr: [1], leader: 0, leaderEpoch: 0, partitionEpoch: 0 }]),
      'leader-not-in-isr',
    ],
    ['a leader that is not a replica', change({ leader: 3 }), 'leader-not-a-replica'],
    ['an ISR change that drops the leader but keeps it leading', change({ isr: [1, 2] }), 'leader-not-in-isr'],
    ['an ISR naming a member twice', change({ isr: [0, 1, 1] }), 'isr-not-distinct-replicas'],
    ['an ISR with a broker that is not a replica', change({ isr: [0, 3] }), 'isr-not-distinct-replicas'],
  ])('throws MetadataInvariantError for %s', (_name, action, invariant) => {
    expect(violation(action)).toBe(invariant);
  });

  it('accepts the changes elections make: a new leader from the ISR, leaderless with the last ISR member kept', () => {
    expect(violation(change({ leader: 1, isr: [1, 2] }))).toBeUndefined();
    expect(violation(change({ leader: -1, isr: [0] }))).toBeUndefined();
  });

  it('a change never moves the leader epoch back, always moves the partition epoch forward, and a new leader gets a new leader epoch', () => {
    const before: PartitionRegistration = { partitionIndex: 0, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 0, leaderEpoch: 5, partitionEpoch: 7 };
    expect(violation(() => assertPartitionChange('orders-0', before, { ...before, leaderEpoch: 4, partitionEpoch: 8 }))).toBe('leader-epoch-decreased');
    expect(violation(() => assertPartitionChange('orders-0', before, { ...before, isr: [0, 1] }))).toBe('partition-epoch-not-increased');
    expect(violation(() => assertPartitionChange('orders-0', before, { ...before, leader: 1, partitionEpoch: 8 }))).toBe('leader-changed-without-new-epoch');
    expect(violation(() => assertPartitionChange('orders-0', before, { ...before, leader: 1, leaderEpoch: 6, partitionEpoch: 8 }))).toBeUndefined();
  });
});

/**
 * The controller's own commands keep the invariants: seeded runs of fencing, unfencing, controlled shutdown, leaders'
 * ISR changes (AlterPartition), preferred, unclean and imbalance elections over RF 3 topics (one with unclean election
 * on). Replay throws on any violation; on top, each leader epoch of a partition has had exactly one leader.
 */
describe('controller commands under seeded sequences', () => {
  const brokerIds = [0, 1, 2, 3];

  function initialState(): ControllerState {
    const state = clusterOf(brokerIds);
    let nextTopicId = 0;
    const topic = (name: string, configs: Array<{ name: string; value: string }>) => ({ name, numPartitions: 6, replicationFactor: 3, assignments: [], configs });
    const outcome = createTopics(
      state,
      { topics: [topic('orders', []), topic('risky', [{ name: 'unclean.leader.election.enable', value: 'true' }])], timeoutMs: 0, validateOnly: false },
      { defaultNumPartitions: 1, defaultReplicationFactor: 1, newTopicId: () => `topic-id-${(nextTopicId += 1)}`, randomInt: () => 1, topicConfigProblem: () => undefined },
    );
    return append(state, outcome.records);
  }

  function step(state: ControllerState, random: ReturnType<typeof createSeededRandom>): MetadataRecord[] {
    const policy = uncleanElectionPolicyOf(state, false);
    const brokerId = brokerIds[random.nextInt(brokerIds.length)] as number;
    const broker = state.brokers[brokerId];
    if (broker === undefined) return [];
    const heartbeat = (wants: { wantFence?: boolean; wantShutDown?: boolean }) => {
      const outcome = brokerHeartbeat(
        state,
        { brokerId, brokerEpoch: broker.brokerEpoch, currentMetadataOffset: state.metadataOffset, wantFence: wants.wantFence ?? false, wantShutDown: wants.wantShutDown ?? false },
        policy,
      );
      return outcome.ok ? outcome.records : [];
    };
    const partitions = Object.values(state.topics).flatMap((topic) => topic.partitions.map((partition) => ({ topic, partition })));
    switch (random.nextInt(8)) {
      case 0:
        return sessionExpired(state, brokerId, policy);
      case 1:
        return heartbeat({});
      case 2:
        return heartbeat({ wantShutDown: true });
      case 3:
      case 4: {
        const picked = partitions[random.nextInt(partitions.length)];
        if (picked === undefined || picked.partition.leader === -1) return [];
        const { topic, partition } = picked;
        const candidate = partition.replicas[random.nextInt(partition.replicas.length)] as number;
        const isr = partition.isr.includes(candidate) ? partition.isr.filter((id) => id !== candidate || id === partition.leader) : [...partition.isr, candidate];
        const leader = state.brokers[partition.leader];
        return alterPartitionRequest(state, {
          brokerId: partition.leader,
          brokerEpoch: leader?.brokerEpoch ?? -1,
          topics: [
            {
              topicId: topic.topicId,
              partitions: [
                {
                  partitionIndex: partition.partitionIndex,
                  leaderEpoch: partition.leaderEpoch,
                  newIsrWithEpochs: isr.map((id) => ({ brokerId: id, brokerEpoch: -1 })),
                  leaderRecoveryState: 0,
                  partitionEpoch: partition.partitionEpoch,
                },
              ],
            },
          ],
        }).records;
      }
      case 5:
        return electLeaders(state, { electionType: 0, topicPartitions: null, timeoutMs: 0 }).records;
      case 6:
        return electLeaders(state, { electionType: 1, topicPartitions: null, timeoutMs: 0 }).records;
      default:
        return leaderImbalanceChanges(state, 10).records;
    }
  }

  it.each(Array.from({ length: 20 }, (_, index) => index + 1))('seed %i: 300 commands, one leader per leader epoch, epochs never back', (seed) => {
    const random = createSeededRandom(seed);
    let state = initialState();
    const leaderOfEpoch = new Map<string, number>();
    const lastLeaderEpoch = new Map<string, number>();
    for (let index = 0; index < 300; index += 1) {
      state = append(state, step(state, random));
      for (const topic of Object.values(state.topics)) {
        for (const partition of topic.partitions) {
          const name = `${topic.name}-${partition.partitionIndex}`;
          const key = `${name}@${partition.leaderEpoch}`;
          expect(leaderOfEpoch.get(key) ?? partition.leader, `seed ${seed}, command ${index}: ${key}`).toBe(partition.leader);
          leaderOfEpoch.set(key, partition.leader);
          expect(partition.leaderEpoch, `seed ${seed}, command ${index}: ${name}`).toBeGreaterThanOrEqual(lastLeaderEpoch.get(name) ?? 0);
          lastLeaderEpoch.set(name, partition.leaderEpoch);
        }
      }
    }
    // The runs do exercise elections: some leader epochs moved.
    expect(Math.max(...lastLeaderEpoch.values())).toBeGreaterThan(0);
  });
});
