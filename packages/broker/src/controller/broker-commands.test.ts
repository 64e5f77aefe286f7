import { describe, expect, it } from 'vitest';
import { brokerHeartbeat, heartbeatStatus, registerBroker, sessionExpired } from './broker-commands.js';
import { uncleanElectionPolicyOf } from './elections.js';
import { append, clusterOf, stateFrom } from './test-fixtures.js';
import { createTopics } from './topic-commands.js';

const registration = (brokerId: number, incarnationId: string, clusterId: string | null = 'cluster-1') => ({
  brokerId,
  clusterId,
  incarnationId,
  listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 9100 + brokerId, url: `ws://127.0.0.1:${9100 + brokerId}` }],
  rack: null,
});

const heartbeat = (brokerId: number, brokerEpoch: number, currentMetadataOffset: number, wantShutDown = false) => ({
  brokerId,
  brokerEpoch,
  currentMetadataOffset,
  wantFence: false,
  wantShutDown,
});

function withTopic(brokerIds: number[], partitions: number) {
  const state = clusterOf(brokerIds);
  const outcome = createTopics(
    state,
    { topics: [{ name: 'orders', numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 0, validateOnly: false },
    { defaultNumPartitions: 1, defaultReplicationFactor: 1, newTopicId: () => 'orders-id', randomInt: () => 0, topicConfigProblem: () => undefined },
  );
  return append(state, outcome.records);
}

describe('registerBroker', () => {
  it('registers a new broker fenced', () => {
    const outcome = registerBroker(stateFrom([]), {}, registration(1, 'a'), 0);
    expect(outcome.ok && outcome.records).toEqual([expect.objectContaining({ type: 'RegisterBroker', brokerId: 1, incarnationId: 'a' })]);
    if (!outcome.ok) return;
    expect(append(stateFrom([]), outcome.records).brokers[1]).toMatchObject({ fenced: true, brokerEpoch: 0 });
  });

  it('refuses a broker of another cluster with INCONSISTENT_CLUSTER_ID', () => {
    expect(registerBroker(stateFrom([]), {}, registration(1, 'a', 'other'), 0)).toMatchObject({ ok: false, errorName: 'INCONSISTENT_CLUSTER_ID' });
  });

  it('is idempotent for the same incarnation', () => {
    const state = clusterOf([1]);
    expect(registerBroker(state, {}, registration(1, 'incarnation-1'), 0)).toEqual({ ok: true, records: [] });
  });

  it('refuses a new incarnation while the old session is alive with DUPLICATE_BROKER_REGISTRATION', () => {
    const state = clusterOf([1]);
    const sessions = { 1: { incarnationId: 'incarnation-1', expiresAtMs: 9_000 } };
    expect(registerBroker(state, sessions, registration(1, 'b'), 5_000)).toMatchObject({ ok: false, errorName: 'DUPLICATE_BROKER_REGISTRATION' });
  });

  it('replaces an expired incarnation, fencing the old one first so its partitions lose their leader', () => {
    const state = withTopic([1], 2);
    const outcome = registerBroker(state, { 1: { incarnationId: 'incarnation-1', expiresAtMs: 9_000 } }, registration(1, 'b'), 9_001);
    if (!outcome.ok) throw new Error(outcome.errorMessage);
    expect(outcome.records.map((record) => record.type)).toEqual(['FenceBroker', 'PartitionChange', 'PartitionChange', 'RegisterBroker']);
    const after = append(state, outcome.records);
    expect(after.topics.orders?.partitions.map((partition) => [partition.leader, partition.isr, partition.leaderEpoch])).toEqual([
      [-1, [1], 1],
      [-1, [1], 1],
    ]);
  });
});

describe('brokerHeartbeat', () => {
  it('refuses an unknown epoch with STALE_BROKER_EPOCH', () => {
    expect(brokerHeartbeat(clusterOf([0]), heartbeat(0, 7, 0))).toMatchObject({ ok: false, errorName: 'STALE_BROKER_EPOCH' });
  });

  it('unfences a broker once it has caught up to its registration, and it leads its leaderless partitions again', () => {
    const state = withTopic([1], 2);
    const reregistered = registerBroker(state, {}, registration(1, 'b'), 0);
    if (!reregistered.ok) throw new Error('registration failed');
    const fenced = append(state, reregistered.records);
    const epoch = fenced.brokers[1]?.brokerEpoch ?? -1;
    expect(brokerHeartbeat(fenced, heartbeat(1, epoch, epoch - 1))).toEqual({ ok: true, records: [], isCaughtUp: false });
    const outcome = brokerHeartbeat(fenced, heartbeat(1, epoch, epoch));
    if (!outcome.ok) throw new Error(outcome.errorMessage);
    const after = append(fenced, outcome.records);
    expect(after.brokers[1]?.fenced).toBe(false);
    expect(after.topics.orders?.partitions.map((partition) => [partition.leader, partition.leaderEpoch])).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('moves leadership away on wantShutDown (CONTROLLED_SHUTDOWN) and fences the broker only once every active broker has the new image (SHUTDOWN_NOW)', () => {
    const state = withTopic([0], 2);
    const first = brokerHeartbeat(state, heartbeat(0, 0, state.metadataOffset, true));
    if (!first.ok) throw new Error(first.errorMessage);
    const moving = append(state, first.records);
    expect(moving.brokers[0]).toMatchObject({ inControlledShutdown: true, fenced: false });
    expect(heartbeatStatus(moving, 0, true)).toEqual({ isFenced: false, shouldShutDown: false });
    // The brokers have not all applied the change yet: nothing more happens.
    const waiting = brokerHeartbeat(moving, heartbeat(0, 0, moving.metadataOffset, true), undefined, false);
    expect(waiting.ok && waiting.records).toEqual([]);
    const ready = brokerHeartbeat(moving, heartbeat(0, 0, moving.metadataOffset, true), undefined, true);
    if (!ready.ok) throw new Error(ready.errorMessage);
    const after = append(moving, ready.records);
    expect(after.brokers[0]).toMatchObject({ inControlledShutdown: true, fenced: true });
    expect(heartbeatStatus(after, 0, true)).toEqual({ isFenced: true, shouldShutDown: true });
  });
});

describe('controlled shutdown at replication factor 3 (handleBrokerInControlledShutdown)', () => {
  it('leaves every ISR, hands each partition it led to the next in-sync replica under a new leader epoch, and may stop once the brokers have the change', () => {
    const state = append(clusterOf([0, 1, 2]), [
      { type: 'Topic', name: 'orders', topicId: 'orders-id' },
      { type: 'Partition', topicId: 'orders-id', partitionId: 0, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 0, leaderEpoch: 2, partitionEpoch: 4 },
      { type: 'Partition', topicId: 'orders-id', partitionId: 1, replicas: [1, 0, 2], isr: [1, 0, 2], leader: 1, leaderEpoch: 0, partitionEpoch: 0 },
    ]);
    const outcome = brokerHeartbeat(state, heartbeat(0, 0, state.metadataOffset, true));
    if (!outcome.ok) throw new Error(outcome.errorMessage);
    const after = append(state, outcome.records);
    expect(after.topics.orders?.partitions.map(({ leader, isr, leaderEpoch, partitionEpoch }) => ({ leader, isr, leaderEpoch, partitionEpoch }))).toEqual([
      { leader: 1, isr: [1, 2], leaderEpoch: 3, partitionEpoch: 5 },
      { leader: 1, isr: [1, 2], leaderEpoch: 0, partitionEpoch: 1 },
    ]);
    expect(heartbeatStatus(after, 0, true)).toEqual({ isFenced: false, shouldShutDown: false });
    const ready = brokerHeartbeat(after, heartbeat(0, 0, after.metadataOffset, true), undefined, true);
    if (!ready.ok) throw new Error(ready.errorMessage);
    expect(heartbeatStatus(append(after, ready.records), 0, true)).toEqual({ isFenced: true, shouldShutDown: true });
  });
});

describe('sessionExpired', () => {
  it('fences the broker and takes leadership from it (broker loss after broker.session.timeout.ms)', () => {
    const state = withTopic([0, 1], 4);
    const after = append(state, sessionExpired(state, 1));
    expect(after.brokers[1]?.fenced).toBe(true);
    const ledByOne = after.topics.orders?.partitions.filter((partition) => partition.replicas.includes(1)) ?? [];
    expect(ledByOne.length).toBeGreaterThan(0);
    for (const partition of ledByOne) expect(partition.leader).toBe(-1);
    expect(sessionExpired(after, 1)).toEqual([]);
  });
});

/**
 * UncleanLeaderElectionTest's shape: orders-0 on brokers [0, 1], broker 0 fell out of the ISR, then the last ISR member
 * (1) is lost. Unclean election off leaves the partition offline keeping ISR [1]; on (the topic's setting, or the
 * broker default), broker 0 leads with ISR [0] and the record is flagged RECOVERING so the loss is counted.
 */
describe('unclean.leader.election.enable at fencing and unfencing', () => {
  function laggingFollower(topicConfigs: Record<string, string> = {}) {
    return append(clusterOf([0, 1]), [
      { type: 'Topic', name: 'orders', topicId: 'orders-id' },
      ...Object.entries(topicConfigs).map(([name, value]) => ({ type: 'Config' as const, resourceType: 'topic' as const, resourceName: 'orders', name, value })),
      { type: 'Partition', topicId: 'orders-id', partitionId: 0, replicas: [0, 1], isr: [1], leader: 1, leaderEpoch: 3, partitionEpoch: 5 },
    ]);
  }
  const partitionOf = (state: ReturnType<typeof laggingFollower>) => state.topics.orders?.partitions[0];

  it('off (Kafka\'s default): the partition goes offline, the ISR keeps its last member, nothing is lost', () => {
    const state = laggingFollower();
    const records = sessionExpired(state, 1, uncleanElectionPolicyOf(state, false));
    expect(records.some((record) => record.type === 'PartitionChange' && record.leaderRecoveryState !== undefined)).toBe(false);
    expect(partitionOf(append(state, records))).toMatchObject({ leader: -1, isr: [1], leaderEpoch: 4 });
  });

  it('on for the topic: the live out-of-sync replica leads with ISR [it], flagged RECOVERING', () => {
    const state = laggingFollower({ 'unclean.leader.election.enable': 'true' });
    const records = sessionExpired(state, 1, uncleanElectionPolicyOf(state, false));
    expect(records).toContainEqual({ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, leader: 0, isr: [0], leaderRecoveryState: 'RECOVERING' });
    expect(partitionOf(append(state, records))).toMatchObject({ leader: 0, isr: [0], leaderEpoch: 4 });
  });

  it('on as the broker default, off for the topic: the topic\'s setting wins', () => {
    const state = laggingFollower({ 'unclean.leader.election.enable': 'false' });
    expect(partitionOf(append(state, sessionExpired(state, 1, uncleanElectionPolicyOf(state, true))))).toMatchObject({ leader: -1 });
    const inherits = laggingFollower();
    expect(partitionOf(append(inherits, sessionExpired(inherits, 1, uncleanElectionPolicyOf(inherits, true))))).toMatchObject({ leader: 0, isr: [0] });
  });

  it('an offline partition is elected uncleanly when an out-of-sync replica is unfenced, only if enabled', () => {
    const offline = (configs: Record<string, string>) => {
      const state = laggingFollower(configs);
      return append(state, [
        { type: 'FenceBroker', brokerId: 0, brokerEpoch: 0 },
        ...sessionExpired(state, 1),
      ]);
    };
    for (const [enabled, leader] of [['true', 0], ['false', -1]] as const) {
      const state = offline({ 'unclean.leader.election.enable': enabled });
      expect(partitionOf(state)).toMatchObject({ leader: -1, isr: [1] });
      const outcome = brokerHeartbeat(state, heartbeat(0, 0, state.metadataOffset), uncleanElectionPolicyOf(state, false));
      if (!outcome.ok) throw new Error(outcome.errorMessage);
      expect(partitionOf(append(state, outcome.records))?.leader).toBe(leader);
    }
  });
});
