import { describe, expect, it } from 'vitest';
import { CLOSE_REASON_BYTES_MAX, isSendableCloseCode, truncateCloseReason } from './constants.js';

describe('close codes', () => {
  it('allows exactly the codes an endpoint may send', () => {
    const sendable = [1000, 1001, 1003, 1007, 1009, 1011, 1014, 3000, 4000, 4999];
    const reserved = [0, 999, 1004, 1005, 1006, 1015, 2000, 2999, 5000, 1000.5];
    expect(sendable.filter(isSendableCloseCode)).toEqual(sendable);
    expect(reserved.filter(isSendableCloseCode)).toEqual([]);
  });
});

describe('truncateCloseReason', () => {
  it('keeps short reasons and cuts long ones to the frame limit without splitting a character', () => {
    expect(truncateCloseReason('bye')).toBe('bye');
    const ascii = truncateCloseReason('x'.repeat(500));
    expect(ascii).toBe('x'.repeat(CLOSE_REASON_BYTES_MAX));
    const accented = truncateCloseReason('é'.repeat(100)); // 2 bytes each: 61 fit
    expect(accented).toBe('é'.repeat(61));
    expect(Buffer.byteLength(truncateCloseReason('€'.repeat(100)))).toBeLessThanOrEqual(CLOSE_REASON_BYTES_MAX);
    expect(truncateCloseReason('€'.repeat(100))).toBe('€'.repeat(41));
  });
});
