import { encodeRecordBatch } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore, type PartitionLog } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import type { FollowerFetchResponse, PartitionEmitted, PartitionLeadership, ProduceCompleted } from './partition.machine.js';
import { startPartitionActor, testTopicConfig } from './partition-test-support.js';

const batch = (count: number) => encodeRecordBatch({ records: Array.from({ length: count }, (_, index) => ({ key: null, value: new Uint8Array([index]), headers: [], timestamp: 0 })) });
const topicConfig = testTopicConfig;
const replicaLagTimeMaxMs = 30_000;

function startReplica(leadership: Partial<PartitionLeadership>, options: { minInsyncReplicas?: number; brokerId?: number } = {}) {
  const clock = new SimulatedClock({ startMs: 1_000_000 });
  const store = new MemoryLogStore({ clock });
  const log = store.open('orders', 0, 'topic-id', topicConfig);
  const brokerId = options.brokerId ?? 1;
  const { actor, emitted } = startPartitionActor({
    log,
    clock,
    brokerId,
    leadership: { leader: brokerId, replicas: [1, 2, 3], isr: [1, 2, 3], ...leadership },
    config: { minInsyncReplicas: options.minInsyncReplicas ?? 1, replicaLagTimeMaxMs },
  });
  const produced = () => emitted.filter((event): event is ProduceCompleted => event.type === 'produce.completed');
  const ofType = <T extends PartitionEmitted['type']>(type: T) => emitted.filter((event): event is Extract<PartitionEmitted, { type: T }> => event.type === type);
  let nextFetchId = 1;
  const followerFetch = (replicaId: number, fetchOffset: number, overrides: { currentLeaderEpoch?: number; lastFetchedEpoch?: number; brokerEpoch?: number } = {}) => {
    const fetchId = nextFetchId++;
    actor.send({
      type: 'replica.fetch',
      fetchId,
      replicaId,
      brokerEpoch: overrides.brokerEpoch,
      currentLeaderEpoch: overrides.currentLeaderEpoch ?? actor.getSnapshot().context.leaderEpoch,
      fetchOffset,
      lastFetchedEpoch: overrides.lastFetchedEpoch ?? -1,
      logStartOffset: 0,
    });
    return ofType('replica.fetchChecked').find((event) => event.fetchId === fetchId)?.verdict;
  };
  return { clock, actor, log, emitted, produced, ofType, followerFetch };
}

/** The bytes a leader holds from `fromOffset`, with its offsets and epochs, as a follower receives them. */
function leaderBytes(log: PartitionLog, fromOffset: number): Uint8Array {
  return log.read(fromOffset, 1 << 20, log.logEndOffset).records;
}

function fetchResponse(overrides: Partial<FollowerFetchResponse>): FollowerFetchResponse {
  return { requestLeaderEpoch: 0, fetchOffset: 0, errorName: 'NONE', highWatermark: 0, logStartOffset: 0, divergingEpoch: undefined, records: new Uint8Array(0), ...overrides };
}

describe('partition machine: Leader with followers', () => {
  it('Leader: acks=all waits until every ISR follower has fetched past the batch, then completes NONE (the HW passed it)', () => {
    const { actor, produced, followerFetch } = startReplica({});
    actor.send({ type: 'produce.append', produceId: 'p', acks: -1, timeoutMs: 30_000, records: batch(2) });
    expect(produced()).toEqual([]);
    expect(followerFetch(2, 2)).toEqual({ kind: 'read' });
    expect(actor.getSnapshot().context.highWatermark).toBe(0);
    expect(followerFetch(3, 2)).toEqual({ kind: 'read' });
    expect(actor.getSnapshot().context.highWatermark).toBe(2);
    expect(produced().map((event) => [event.produceId, event.errorName, event.baseOffset])).toEqual([['p', 'NONE', 0]]);
  });

  it('Leader: acks=1 is answered after the local append while the HW waits for the followers', () => {
    const { actor, produced } = startReplica({});
    actor.send({ type: 'produce.append', produceId: 'one', acks: 1, timeoutMs: 30_000, records: batch(1) });
    expect(produced().map((event) => event.errorName)).toEqual(['NONE']);
    expect(actor.getSnapshot().context.highWatermark).toBe(0);
  });

  it('Leader: a follower fetch with an older leader epoch is FENCED_LEADER_EPOCH, a newer one UNKNOWN_LEADER_EPOCH, and neither moves the HW', () => {
    const { actor, followerFetch } = startReplica({ leaderEpoch: 5 });
    actor.send({ type: 'produce.append', produceId: 'p', acks: 1, timeoutMs: 30_000, records: batch(1) });
    expect(followerFetch(2, 1, { currentLeaderEpoch: 4 })).toEqual({ kind: 'error', error: 'FENCED_LEADER_EPOCH' });
    expect(followerFetch(3, 1, { currentLeaderEpoch: 6 })).toEqual({ kind: 'error', error: 'UNKNOWN_LEADER_EPOCH' });
    expect(actor.getSnapshot().context.leaderState?.followers.every((follower) => follower.logEndOffset === -1)).toBe(true);
  });

  it('Leader: a follower whose last fetched epoch ends before its fetch offset gets DivergingEpoch (KIP-101) and records nothing', () => {
    const { actor, followerFetch } = startReplica({});
    actor.send({ type: 'produce.append', produceId: 'a', acks: 1, timeoutMs: 30_000, records: batch(3) });
    // Leader again in epoch 2 at offset 3: epoch 0 covers [0, 3).
    actor.send({ type: 'partition.leadershipChanged', leader: 1, leaderEpoch: 2, partitionEpoch: 2, replicas: [1, 2, 3], isr: [1, 2, 3] });
    expect(followerFetch(2, 5, { lastFetchedEpoch: 1 })).toEqual({ kind: 'diverging', divergingEpoch: { epoch: 0, endOffset: 3 } });
    expect(actor.getSnapshot().context.leaderState?.followers.find((follower) => follower.brokerId === 2)?.logEndOffset).toBe(-1);
  });

  it('Leader: timer.isrExpiration proposes removing a follower not caught up for replica.lag.time.max.ms; the committed answer shrinks the ISR and the HW moves on', async () => {
    const { actor, clock, followerFetch, ofType, produced } = startReplica({}, { minInsyncReplicas: 2 });
    followerFetch(2, 0);
    followerFetch(3, 0);
    actor.send({ type: 'produce.append', produceId: 'p', acks: -1, timeoutMs: 60_000, records: batch(1) });
    // Broker 2 keeps fetching; broker 3 goes silent.
    for (let elapsed = 0; elapsed <= replicaLagTimeMaxMs + 15_000; elapsed += 5_000) {
      await clock.advanceByAsync(5_000);
      followerFetch(2, 1);
    }
    const requests = ofType('isr.alterPartitionRequested');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.request.newIsrWithEpochs.map((member) => member.brokerId)).toEqual([1, 2]);
    expect(actor.getSnapshot().context.isr).toEqual([1, 2, 3]);
    expect(produced()).toEqual([]);
    actor.send({ type: 'isr.alterPartitionAnswered', answer: { error: 'NONE', leaderEpoch: 0, partitionEpoch: 1, isr: [1, 2] } });
    expect(actor.getSnapshot().context.isr).toEqual([1, 2]);
    expect(actor.getSnapshot().context.partitionEpoch).toBe(1);
    expect(actor.getSnapshot().context.highWatermark).toBe(1);
    expect(produced().map((event) => [event.produceId, event.errorName])).toEqual([['p', 'NONE']]);
  });

  it('Leader: a follower outside the ISR that reaches the HW and the epoch start is proposed back in (AlterPartition with its broker epoch)', () => {
    const { actor, followerFetch, ofType } = startReplica({ isr: [1, 2] });
    actor.send({ type: 'produce.append', produceId: 'p', acks: 1, timeoutMs: 30_000, records: batch(2) });
    followerFetch(2, 2);
    expect(actor.getSnapshot().context.highWatermark).toBe(2);
    followerFetch(3, 1, { brokerEpoch: 42 });
    expect(ofType('isr.alterPartitionRequested')).toEqual([]);
    followerFetch(3, 2, { brokerEpoch: 42 });
    const [request] = ofType('isr.alterPartitionRequested');
    expect(request?.request.newIsrWithEpochs).toEqual([
      { brokerId: 1, brokerEpoch: 7 },
      { brokerId: 2, brokerEpoch: -1 },
      { brokerId: 3, brokerEpoch: 42 },
    ]);
    // One change in flight at a time: another fetch proposes nothing new.
    followerFetch(3, 2, { brokerEpoch: 42 });
    expect(ofType('isr.alterPartitionRequested')).toHaveLength(1);
  });

  it('Leader: acks=all is refused NOT_ENOUGH_REPLICAS before the append when the ISR is below min.insync.replicas', () => {
    const { actor, produced, log } = startReplica({ isr: [1] }, { minInsyncReplicas: 2 });
    actor.send({ type: 'produce.append', produceId: 'p', acks: -1, timeoutMs: 30_000, records: batch(1) });
    expect(produced().map((event) => event.errorName)).toEqual(['NOT_ENOUGH_REPLICAS']);
    expect(log.logEndOffset).toBe(0);
  });

  it('Leader -> Follower on partition.leadershipChanged to another broker: a waiting acks=all produce fails NOT_LEADER_OR_FOLLOWER (testDeltaToFollowerCompletesProduce)', () => {
    const { actor, produced, ofType } = startReplica({});
    actor.send({ type: 'produce.append', produceId: 'p', acks: -1, timeoutMs: 30_000, records: batch(1) });
    actor.send({ type: 'partition.leadershipChanged', leader: 2, leaderEpoch: 1, partitionEpoch: 1, replicas: [1, 2, 3], isr: [1, 2, 3] });
    expect(actor.getSnapshot().value).toBe('Follower');
    expect(produced().map((event) => event.errorName)).toEqual(['NOT_LEADER_OR_FOLLOWER']);
    expect(ofType('partition.roleChanged').map((event) => [event.role, event.leader])).toEqual([
      ['Leader', 1],
      ['Follower', 2],
    ]);
  });
});

describe('partition machine: Follower', () => {
  it("Follower: follower.fetchResponse appends the leader's batches with the leader's offsets and epochs, and takes its HW up to its own log end", () => {
    const leader = startReplica({ leaderEpoch: 3 }, { brokerId: 2 });
    leader.actor.send({ type: 'produce.append', produceId: 'a', acks: 1, timeoutMs: 30_000, records: batch(2) });
    leader.actor.send({ type: 'produce.append', produceId: 'b', acks: 1, timeoutMs: 30_000, records: batch(1) });
    const follower = startReplica({ leader: 2, leaderEpoch: 3 });
    expect(follower.actor.getSnapshot().value).toBe('Follower');
    follower.actor.send({ type: 'follower.fetchResponse', ...fetchResponse({ requestLeaderEpoch: 3, records: leaderBytes(leader.log, 0), highWatermark: 5 }) });
    expect(follower.log.logEndOffset).toBe(3);
    expect(follower.log.leaderEpochCache.epochEntries).toEqual([{ epoch: 3, startOffset: 0 }]);
    expect(follower.actor.getSnapshot().context.highWatermark).toBe(3);
  });

  it('Follower: a DivergingEpoch answer truncates the divergent tail by leader epoch, not to the high watermark (KIP-101)', () => {
    // The follower led epoch 1 and wrote offsets 2..4 that no one else has; the new leader's epoch 1 ended at 2.
    const follower = startReplica({ leaderEpoch: 1 });
    follower.actor.send({ type: 'produce.append', produceId: 'committed', acks: 1, timeoutMs: 30_000, records: batch(2) });
    follower.actor.send({ type: 'produce.append', produceId: 'tail', acks: 1, timeoutMs: 30_000, records: batch(3) });
    follower.actor.send({ type: 'partition.leadershipChanged', leader: 2, leaderEpoch: 2, partitionEpoch: 2, replicas: [1, 2, 3], isr: [2, 3] });
    expect(follower.actor.getSnapshot().value).toBe('Follower');
    follower.actor.send({ type: 'follower.fetchResponse', ...fetchResponse({ requestLeaderEpoch: 2, fetchOffset: 5, divergingEpoch: { epoch: 1, endOffset: 2 }, highWatermark: 2 }) });
    expect(follower.log.logEndOffset).toBe(2);
    expect(follower.ofType('replica.truncated').map((event) => event.truncatedTo)).toEqual([2]);
  });

  it('Follower: an answer to a request of another leader epoch, or from another offset, is stale and changes nothing', () => {
    const leader = startReplica({ leaderEpoch: 4 }, { brokerId: 2 });
    leader.actor.send({ type: 'produce.append', produceId: 'a', acks: 1, timeoutMs: 30_000, records: batch(2) });
    const follower = startReplica({ leader: 2, leaderEpoch: 4 });
    follower.actor.send({ type: 'follower.fetchResponse', ...fetchResponse({ requestLeaderEpoch: 3, records: leaderBytes(leader.log, 0), highWatermark: 2 }) });
    follower.actor.send({ type: 'follower.fetchResponse', ...fetchResponse({ requestLeaderEpoch: 4, fetchOffset: 7, records: leaderBytes(leader.log, 0), highWatermark: 2 }) });
    expect(follower.log.logEndOffset).toBe(0);
  });

  it('Follower: a corrupt batch is not appended and the fetcher is told to back off for the partition (replica.fetchFailed)', () => {
    const follower = startReplica({ leader: 2, leaderEpoch: 0 });
    const corrupt = batch(1);
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] ?? 0) ^ 0xff;
    follower.actor.send({ type: 'follower.fetchResponse', ...fetchResponse({ records: corrupt, highWatermark: 1 }) });
    expect(follower.log.logEndOffset).toBe(0);
    expect(follower.ofType('replica.fetchFailed')).toHaveLength(1);
  });

  it('Follower -> Leader on partition.leadershipChanged naming this broker: the new epoch starts at its log end in the epoch cache', () => {
    const follower = startReplica({ leader: 2, leaderEpoch: 0 });
    follower.actor.send({ type: 'partition.leadershipChanged', leader: 1, leaderEpoch: 1, partitionEpoch: 1, replicas: [1, 2, 3], isr: [1, 3] });
    expect(follower.actor.getSnapshot().value).toBe('Leader');
    expect(follower.log.leaderEpochCache.epochEntries).toEqual([{ epoch: 1, startOffset: 0 }]);
  });
});
