import { describe, expect, it } from 'vitest';
import { recordIdOfValue, recordValue } from './record-value.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('record values', () => {
  it('pads an id to the value size and reads the id back', () => {
    const value = recordValue('producer-0-42', 64);
    expect(value).toHaveLength(64);
    expect(recordIdOfValue(bytes(value))).toBe('producer-0-42');
  });

  it('keeps an id longer than the value size whole', () => {
    expect(recordValue('producer-0-42', 4)).toBe('producer-0-42');
    expect(recordIdOfValue(bytes('producer-0-42'))).toBe('producer-0-42');
    expect(recordIdOfValue(null)).toBe('');
  });
});
