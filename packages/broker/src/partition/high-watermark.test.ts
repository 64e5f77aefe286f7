import { describe, expect, it } from 'vitest';
import { leaderHighWatermark } from './high-watermark.js';

describe('leaderHighWatermark', () => {
  it('equals the leader log end offset when the leader is the only ISR member', () => {
    expect(leaderHighWatermark({ current: 3, leaderId: 1, leaderLogEndOffset: 10, isr: [1], followerLogEndOffsets: {} })).toBe(10);
  });

  it('is the lowest log end offset in the ISR', () => {
    expect(leaderHighWatermark({ current: 3, leaderId: 1, leaderLogEndOffset: 10, isr: [1, 2, 3], followerLogEndOffsets: { 2: 7, 3: 9 } })).toBe(7);
  });

  it('never moves backwards', () => {
    expect(leaderHighWatermark({ current: 8, leaderId: 1, leaderLogEndOffset: 10, isr: [1, 2], followerLogEndOffsets: { 2: 5 } })).toBe(8);
  });

  it('holds while an ISR follower has not fetched in this epoch', () => {
    expect(leaderHighWatermark({ current: 4, leaderId: 1, leaderLogEndOffset: 10, isr: [1, 2], followerLogEndOffsets: {} })).toBe(4);
  });
});
