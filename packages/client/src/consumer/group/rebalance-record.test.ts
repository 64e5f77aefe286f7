import { describe, expect, it } from 'vitest';
import { MAX_REBALANCE_RECORDS, RebalanceRecorder, type RebalanceStart } from './rebalance-record.js';

const tp = (partition: number) => ({ topic: 'orders', partition });
const start = (overrides: Partial<RebalanceStart> = {}): RebalanceStart => ({ trigger: 'rejoin', reason: 'the coordinator answered REBALANCE_IN_PROGRESS', protocol: 'EAGER', generation: 1, owned: [tp(0), tp(1)], ...overrides });

describe('rebalance record', () => {
  it('eager: paused from the revocation until the new assignment is applied', () => {
    const recorder = new RebalanceRecorder();
    recorder.start(100, start());
    recorder.revoked(150, [tp(0), tp(1)]);
    recorder.joined(2);
    recorder.assigned(400, [tp(0)]);
    const record = recorder.finish(400, true);
    expect(record).toMatchObject({ trigger: 'rejoin', protocol: 'EAGER', fromGeneration: 1, generations: [2], startMs: 100, endMs: 400, pausedMs: 250, partiallyPausedMs: 0, completed: true });
    expect(record?.revoked).toEqual([tp(0), tp(1)]);
    expect(record?.assigned).toEqual([tp(0)]);
  });

  it('cooperative: never paused while it keeps a partition; partially paused after giving one up', () => {
    const recorder = new RebalanceRecorder();
    recorder.start(0, start({ protocol: 'COOPERATIVE' }));
    recorder.joined(2);
    recorder.revoked(100, [tp(1)]);
    recorder.start(120, start({ trigger: 'rejoin' })); // the second round belongs to the same rebalance
    recorder.joined(3);
    recorder.assigned(300, []);
    const record = recorder.finish(300, true);
    expect(record).toMatchObject({ protocol: 'COOPERATIVE', generations: [2, 3], pausedMs: 0, partiallyPausedMs: 200, revoked: [tp(1)] });
  });

  it('a member that held nothing (a newcomer) never counts as paused', () => {
    const recorder = new RebalanceRecorder();
    recorder.start(0, start({ trigger: 'join', owned: [], generation: -1 }));
    recorder.assigned(500, [tp(0)]);
    expect(recorder.finish(500, true)).toMatchObject({ trigger: 'join', pausedMs: 0, partiallyPausedMs: 0 });
  });

  it('returns copies, and finish without an open rebalance returns null', () => {
    const recorder = new RebalanceRecorder();
    expect(recorder.finish(0, true)).toBeNull();
    recorder.start(0, start());
    recorder.finish(10, false);
    const [record] = recorder.all();
    (record!.revoked as unknown[]).push(tp(9));
    expect(recorder.all()[0]!.revoked).toEqual([]);
    expect(recorder.all()[0]!.completed).toBe(false);
  });

  it(`keeps at most MAX_REBALANCE_RECORDS (${MAX_REBALANCE_RECORDS}), dropping the oldest`, () => {
    const recorder = new RebalanceRecorder();
    for (let index = 0; index <= MAX_REBALANCE_RECORDS; index++) {
      recorder.start(index, start());
      recorder.finish(index, true);
    }
    const kept = recorder.all();
    expect(kept).toHaveLength(MAX_REBALANCE_RECORDS);
    expect(kept[0]!.startMs).toBe(1);
    expect(kept.at(-1)!.startMs).toBe(MAX_REBALANCE_RECORDS);
  });
});
