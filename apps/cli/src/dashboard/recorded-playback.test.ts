import { describe, expect, it } from 'vitest';
import type { RecordedEntry } from './recorded-inspection.js';
import { playRecording } from './recorded-playback.js';

/** A wall clock that moves only when the playback waits, so the test controls real time exactly. */
function fakeRealTime() {
  let nowMs = 0;
  return { realNow: () => nowMs, wait: async (ms: number) => void (nowMs += ms), now: () => nowMs };
}

const entries: RecordedEntry[] = [
  { timeMs: 1_000, connection: 1, message: 'a' },
  { timeMs: 3_000, connection: 1, message: 'b' },
  { timeMs: 21_000, disconnect: 1 },
];

describe('playing a recorded run against real time', () => {
  it('delivers each entry once its simulated time is reached, at --speed simulated seconds per second', async () => {
    const time = fakeRealTime();
    const delivered: Array<{ what: string; realMs: number }> = [];
    const directory = { receive: (_connection: number, message: string) => void delivered.push({ what: message, realMs: time.now() }), disconnected: () => void delivered.push({ what: 'closed', realMs: time.now() }) };
    const { done } = playRecording({ entries, directory, speed: 2, startMs: 1_000, realNow: time.realNow, wait: time.wait });
    await done;
    expect(delivered.map((entry) => entry.what)).toEqual(['a', 'b', 'closed']);
    // 2 simulated seconds take 1 real second at speed 2; 20 take 10.
    expect(delivered[1]?.realMs).toBeGreaterThanOrEqual(1_000);
    expect(delivered[1]?.realMs).toBeLessThan(1_100);
    expect(delivered[2]?.realMs).toBeGreaterThanOrEqual(10_000);
    expect(delivered[2]?.realMs).toBeLessThan(10_100);
  });

  it('holds while paused and steps to the next change on request', async () => {
    const time = fakeRealTime();
    const delivered: string[] = [];
    const directory = { receive: (_connection: number, message: string) => void delivered.push(message), disconnected: () => void delivered.push('closed') };
    let ticks = 0;
    const { control, done } = playRecording({
      entries,
      directory,
      speed: 1,
      startMs: 1_000,
      realNow: time.realNow,
      wait: time.wait,
      onTick: (playback) => {
        ticks += 1;
        if (ticks === 1) playback.togglePause();
        // Paused for 50 ticks (5 real seconds): nothing more is delivered; then one step, then play on.
        if (ticks === 50) expect(delivered).toEqual(['a']);
        if (ticks === 51) playback.step();
        if (ticks === 53) {
          expect(delivered).toEqual(['a', 'b']);
          expect(playback.nowMs()).toBe(3_000);
          playback.togglePause();
        }
      },
    });
    await done;
    expect(ticks).toBeGreaterThan(53);
    expect(delivered).toEqual(['a', 'b', 'closed']);
    expect(control.nowMs()).toBe(21_000);
  });

  it('stops when asked, leaving the rest undelivered', async () => {
    const time = fakeRealTime();
    const delivered: string[] = [];
    const { done } = playRecording({
      entries,
      directory: { receive: (_connection, message) => void delivered.push(message), disconnected: () => void delivered.push('closed') },
      speed: 1,
      startMs: 1_000,
      realNow: time.realNow,
      wait: time.wait,
      onTick: (playback) => {
        if (playback.nowMs() >= 3_000) playback.stop();
      },
    });
    await done;
    expect(delivered).toEqual(['a', 'b']);
  });
});
