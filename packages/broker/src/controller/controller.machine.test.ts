import { describe, expect, it } from 'vitest';
import { startController } from './controller-test-support.js';
import type { MetadataRecord } from './metadata-records.js';
import { registerRecords } from './test-fixtures.js';

/** Brokers 0-2 registered and unfenced (epochs 0-2), then `topics`; replayed by the controller on start. */
function cluster(topics: MetadataRecord[]): MetadataRecord[] {
  return [...registerRecords([0, 1, 2]), ...[0, 1, 2].map((brokerId): MetadataRecord => ({ type: 'UnfenceBroker', brokerId, brokerEpoch: brokerId })), ...topics];
}

/**
 * orders: four partitions preferring broker 0 ([0, 1, 2], all in sync), two of them led by broker 1 after a failover
 * (leader epoch 1): broker 0's imbalance is 50%, above the default 10%.
 */
const afterFailover: MetadataRecord[] = [
  { type: 'Topic', name: 'orders', topicId: 'orders-id' },
  ...[0, 1, 2, 3].map((partitionId): MetadataRecord => ({
    type: 'Partition',
    topicId: 'orders-id',
    partitionId,
    replicas: [0, 1, 2],
    isr: [0, 1, 2],
    leader: partitionId < 2 ? 1 : 0,
    leaderEpoch: partitionId < 2 ? 1 : 0,
    partitionEpoch: partitionId < 2 ? 2 : 0,
  })),
];

const leaders = (controller: ReturnType<typeof startController>) => [0, 1, 2, 3].map((index) => controller.partition('orders', index)?.leader);
const sessionMs = 3_600_000;

describe('controller machine: preferred leader rebalance (auto.leader.rebalance.enable)', () => {
  it('Active: leader imbalance check moves leadership back to the preferred replica after leader.imbalance.check.interval.seconds', async () => {
    const controller = startController(cluster(afterFailover), { brokerSessionTimeoutMs: sessionMs });
    for (const brokerId of [0, 1, 2]) controller.heartbeat(brokerId);
    const offsetBefore = controller.actor.getSnapshot().context.state.metadataOffset;
    await controller.clock.advanceByAsync(299_999);
    expect(leaders(controller)).toEqual([1, 1, 0, 0]);
    await controller.clock.advanceByAsync(1);
    expect(leaders(controller)).toEqual([0, 0, 0, 0]);
    expect(controller.partition('orders', 0)).toMatchObject({ leaderEpoch: 2, partitionEpoch: 3, isr: [0, 1, 2] });
    const state = controller.actor.getSnapshot().context.state;
    expect(controller.written().slice(-2)).toEqual([
      { type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, leader: 0 },
      { type: 'PartitionChange', topicId: 'orders-id', partitionId: 1, leader: 0 },
    ]);
    expect(state.metadataOffset).toBe(offsetBefore + 2);
    // Every broker is sent the new image.
    expect(new Set(controller.pushes.filter((push) => push.metadataOffset === state.metadataOffset).map((push) => push.url)).size).toBe(3);
    expect(controller.lines.some((line) => line.msg.startsWith('leader imbalance'))).toBe(true);
  });

  it('Active: the check repeats every interval: a broker that failed over, came back and rejoined the ISR leads again at the next check', async () => {
    const controller = startController(cluster(afterFailover), { brokerSessionTimeoutMs: sessionMs, leaderImbalanceCheckIntervalSeconds: 30 });
    await controller.clock.advanceByAsync(30_000);
    expect(leaders(controller)).toEqual([0, 0, 0, 0]);
    controller.heartbeat(0, { wantFence: true });
    expect(leaders(controller)).toEqual([1, 1, 1, 1]);
    controller.heartbeat(0);
    // Broker 1, now leading, adds the caught-up broker 0 back to each ISR.
    const state = controller.actor.getSnapshot().context.state;
    const partitions = state.topics.orders?.partitions ?? [];
    controller.actor.send({
      type: 'request.alterPartition',
      ref: controller.ref('alterPartition'),
      body: {
        brokerId: 1,
        brokerEpoch: 1,
        topics: [
          {
            topicId: 'orders-id',
            partitions: partitions.map((partition) => ({
              partitionIndex: partition.partitionIndex,
              leaderEpoch: partition.leaderEpoch,
              newIsrWithEpochs: [...partition.isr, 0].map((brokerId) => ({ brokerId, brokerEpoch: -1 })),
              leaderRecoveryState: 0,
              partitionEpoch: partition.partitionEpoch,
            })),
          },
        ],
      },
    });
    expect(controller.partition('orders', 0)?.isr).toEqual([1, 2, 0]);
    await controller.clock.advanceByAsync(29_999);
    expect(leaders(controller)).toEqual([1, 1, 1, 1]);
    await controller.clock.advanceByAsync(1);
    expect(leaders(controller)).toEqual([0, 0, 0, 0]);
  });

  it('Active: no check with auto.leader.rebalance.enable=false, and none at or below leader.imbalance.per.broker.percentage', async () => {
    const disabled = startController(cluster(afterFailover), { brokerSessionTimeoutMs: sessionMs, autoLeaderRebalanceEnable: false });
    await disabled.clock.advanceByAsync(900_000);
    expect(leaders(disabled)).toEqual([1, 1, 0, 0]);
    const tolerant = startController(cluster(afterFailover), { brokerSessionTimeoutMs: sessionMs, leaderImbalancePerBrokerPercentage: 50 });
    await tolerant.clock.advanceByAsync(900_000);
    expect(leaders(tolerant)).toEqual([1, 1, 0, 0]);
  });
});

/** orders-0 on [0, 1] with broker 0 out of the ISR; broker 1, the last in-sync replica, goes silent. */
function laggingFollower(uncleanTopicSetting?: string): MetadataRecord[] {
  return cluster([
    { type: 'Topic', name: 'orders', topicId: 'orders-id' },
    ...(uncleanTopicSetting === undefined
      ? []
      : [{ type: 'Config' as const, resourceType: 'topic' as const, resourceName: 'orders', name: 'unclean.leader.election.enable', value: uncleanTopicSetting }]),
    { type: 'Partition', topicId: 'orders-id', partitionId: 0, replicas: [0, 1], isr: [1], leader: 1, leaderEpoch: 3, partitionEpoch: 5 },
  ]);
}

describe('controller machine: unclean leader election at fencing', () => {
  async function loseBrokerOne(controller: ReturnType<typeof startController>) {
    await controller.clock.advanceByAsync(5_000);
    controller.heartbeat(0);
    controller.heartbeat(2);
    await controller.clock.advanceByAsync(4_000);
    expect(controller.actor.getSnapshot().context.state.brokers[1]?.fenced).toBe(true);
  }

  it('Active: timer.brokerSessionExpired with unclean.leader.election.enable=true on the topic elects the out-of-sync replica, warns and counts it', async () => {
    const controller = startController(laggingFollower('true'));
    await loseBrokerOne(controller);
    expect(controller.partition('orders', 0)).toMatchObject({ leader: 0, isr: [0], leaderEpoch: 4 });
    expect(controller.actor.getSnapshot().context.uncleanLeaderElections).toBe(1);
    const warning = controller.lines.find((line) => line.msg.startsWith('unclean leader election'));
    expect(warning).toMatchObject({ topic: 'orders', partition: 0, leader: 0 });
    expect(warning?.msg).toContain('may be lost');
  });

  it('Active: timer.brokerSessionExpired with the broker default unclean.leader.election.enable=true and no topic setting elects uncleanly too', async () => {
    const controller = startController(laggingFollower(), { uncleanLeaderElectionEnable: true });
    await loseBrokerOne(controller);
    expect(controller.partition('orders', 0)).toMatchObject({ leader: 0, isr: [0] });
  });

  it("Active: timer.brokerSessionExpired with Kafka's default (false) leaves the partition offline, nothing counted", async () => {
    const controller = startController(laggingFollower(), { uncleanLeaderElectionEnable: false });
    await loseBrokerOne(controller);
    expect(controller.partition('orders', 0)).toMatchObject({ leader: -1, isr: [1] });
    expect(controller.actor.getSnapshot().context.uncleanLeaderElections).toBe(0);
  });

  it('Active: request.electLeaders UNCLEAN elects the out-of-sync replica of an offline partition and counts it', async () => {
    const controller = startController(laggingFollower());
    await loseBrokerOne(controller);
    controller.actor.send({
      type: 'request.electLeaders',
      ref: controller.ref('electLeaders'),
      body: { electionType: 1, topicPartitions: [{ topic: 'orders', partitions: [0] }], timeoutMs: 0 },
    });
    expect(controller.partition('orders', 0)).toMatchObject({ leader: 0, isr: [0] });
    expect(controller.actor.getSnapshot().context.uncleanLeaderElections).toBe(1);
  });
});

describe('controller machine: AlterPartition', () => {
  it('Active: request.alterPartition replays the ISR change at the offset it was written at, so the next change follows it', () => {
    const controller = startController(cluster(afterFailover), { brokerSessionTimeoutMs: sessionMs });
    controller.actor.send({
      type: 'request.alterPartition',
      ref: controller.ref('alterPartition'),
      body: {
        brokerId: 0,
        brokerEpoch: 0,
        topics: [{ topicId: 'orders-id', partitions: [{ partitionIndex: 2, leaderEpoch: 0, newIsrWithEpochs: [0, 1].map((brokerId) => ({ brokerId, brokerEpoch: -1 })), leaderRecoveryState: 0, partitionEpoch: 0 }] }],
      },
    });
    const written = controller.written();
    expect(written.at(-1)).toEqual({ type: 'PartitionChange', topicId: 'orders-id', partitionId: 2, isr: [0, 1] });
    expect(controller.actor.getSnapshot().context.state.metadataOffset).toBe(written.length - 1);
    controller.heartbeat(2, { wantFence: true });
    expect(controller.actor.getSnapshot().status).toBe('active');
    expect(controller.actor.getSnapshot().context.state.brokers[2]?.fenced).toBe(true);
  });
});
