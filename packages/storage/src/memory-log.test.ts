import { describe, expect, it } from 'vitest';
import { describeLogCompliance, readAll, type LogFactory } from './log-compliance.js';
import { describeFollowerLogCompliance } from './log-compliance-follower.js';
import { MemoryLogStore } from './memory-log-store.js';
import { LogClosedError } from './errors.js';
import { leaderBatch, testClock, producerBatch, testLogConfig } from './test-support.js';

const memoryLogs: LogFactory = {
  create(config) {
    const clock = testClock();
    const store = new MemoryLogStore({ clock });
    return { log: store.open('orders', 0, 'topic-id-1', config), clock };
  },
  cleanup() {},
};

describeLogCompliance('MemoryLog', memoryLogs);
describeFollowerLogCompliance('MemoryLog', memoryLogs);

describe('MemoryLogStore', () => {
  const config = testLogConfig();

  it('keeps logs across a clean restart and reports it', () => {
    const clock = testClock();
    const store = new MemoryLogStore({ clock });
    expect(store.wasCleanShutdown).toBe(false);
    store.open('orders', 0, 'id-a', config).append(producerBatch(['a', 'b']), { leaderEpoch: 0, recordCount: 2 });
    store.close();
    const restarted = store.reopen();
    expect(restarted.wasCleanShutdown).toBe(true);
    expect(restarted.listLogs()).toEqual([{ topic: 'orders', partition: 0, topicId: 'id-a' }]);
    expect(readAll(restarted.open('orders', 0, 'id-a', config))).toEqual(['a', 'b']);
  });

  it('stores a copy of appended batches, also when they come as a Node Buffer (whose slice is a view)', () => {
    const clock = testClock();
    const store = new MemoryLogStore({ clock });
    const log = store.open('orders', 0, 'id-a', config);
    const frame = Buffer.from(producerBatch(['a', 'b']));
    log.append(frame, { leaderEpoch: 0, recordCount: 2 });
    frame.fill(0);
    expect(readAll(log)).toEqual(['a', 'b']);
  });

  it('treats a reopen without close as a crash: the old logs stop serving', () => {
    const clock = testClock();
    const store = new MemoryLogStore({ clock });
    const log = store.open('orders', 0, 'id-a', config);
    log.append(producerBatch(['a']), { leaderEpoch: 0, recordCount: 1 });
    const restarted = store.reopen();
    expect(restarted.wasCleanShutdown).toBe(false);
    expect(() => log.append(producerBatch(['b']), { leaderEpoch: 0, recordCount: 1 })).toThrow(LogClosedError);
    expect(readAll(restarted.open('orders', 0, 'id-a', config))).toEqual(['a']);
  });

  it('loses data above the recovery point on a crash with loseUnflushedData (a power loss)', () => {
    const clock = testClock();
    const store = new MemoryLogStore({ clock });
    const log = store.open('orders', 0, 'id-a', config);
    log.append(producerBatch(['a', 'b']), { leaderEpoch: 0, recordCount: 2 });
    log.flush();
    log.append(producerBatch(['c']), { leaderEpoch: 0, recordCount: 1 });
    const restarted = store.reopen({ loseUnflushedData: true });
    const reopened = restarted.open('orders', 0, 'id-a', config);
    expect(reopened.logEndOffset).toBe(2);
    expect(reopened.append(producerBatch(['d']), { leaderEpoch: 1, recordCount: 1 }).baseOffset).toBe(2);
    expect(readAll(reopened)).toEqual(['a', 'b', 'd']);
  });

  it('keeps the leader-epoch cache across restarts, and a power loss takes the lost tail\'s epochs with it', () => {
    const clock = testClock();
    const store = new MemoryLogStore({ clock });
    const log = store.open('orders', 0, 'id-a', config);
    log.appendAsFollower(leaderBatch(['a'], 0, 1), { recordCount: 1 });
    log.flush();
    log.appendAsFollower(leaderBatch(['b'], 1, 3), { recordCount: 1 });
    store.close();
    const restarted = store.reopen();
    const reopened = restarted.open('orders', 0, 'id-a', config);
    expect(reopened.leaderEpochCache.epochEntries).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 3, startOffset: 1 }]);
    reopened.appendAsFollower(leaderBatch(['c'], 2, 5), { recordCount: 1 });
    const afterPowerLoss = restarted.reopen({ loseUnflushedData: true }).open('orders', 0, 'id-a', config);
    expect(afterPowerLoss.logEndOffset).toBe(2);
    expect(afterPowerLoss.leaderEpochCache.epochEntries).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 3, startOffset: 1 }]);
  });

  it('starts a log empty when its topic id changed (a deleted and recreated topic)', () => {
    const clock = testClock();
    const store = new MemoryLogStore({ clock });
    store.open('orders', 0, 'id-a', config).append(producerBatch(['old']), { leaderEpoch: 0, recordCount: 1 });
    const recreated = store.open('orders', 0, 'id-b', config);
    expect(recreated.logEndOffset).toBe(0);
    expect(store.reopen().listLogs()).toEqual([{ topic: 'orders', partition: 0, topicId: 'id-b' }]);
  });

  it('returns the same log when opened twice with the same topic id', () => {
    const store = new MemoryLogStore({ clock: testClock() });
    expect(store.open('orders', 0, 'id-a', config)).toBe(store.open('orders', 0, 'id-a', config));
  });

  it('forgets a deleted log', () => {
    const store = new MemoryLogStore({ clock: testClock() });
    store.open('orders', 0, 'id-a', config).delete();
    store.close();
    expect(store.reopen().listLogs()).toEqual([]);
  });

  it('flushes logs whose unflushed data is older than flush.ms on the scheduler interval', () => {
    const clock = testClock();
    const store = new MemoryLogStore({ clock, logFlushSchedulerIntervalMs: 100 });
    const log = store.open('orders', 0, 'id-a', testLogConfig({ flushMs: 250 }));
    log.append(producerBatch(['a']), { leaderEpoch: 0, recordCount: 1 });
    clock.advanceBy(200);
    expect(log.unflushedMessages).toBe(1);
    clock.advanceBy(100);
    expect(log.unflushedMessages).toBe(0);
    store.close();
    expect(clock.pendingTimerCount).toBe(0);
  });
});
