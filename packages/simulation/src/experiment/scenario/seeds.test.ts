import { describe, expect, it } from 'vitest';
import { MAX_SEEDS, parseSeeds } from './seeds.js';

describe('parseSeeds', () => {
  it('reads a count, a range and a list', () => {
    expect(parseSeeds('3')).toEqual([1, 2, 3]);
    expect(parseSeeds('20')).toHaveLength(20);
    expect(parseSeeds('1..100')).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    expect(parseSeeds(' 7 .. 9 ')).toEqual([7, 8, 9]);
    expect(parseSeeds('5,9,12')).toEqual([5, 9, 12]);
    expect(parseSeeds('42')).toHaveLength(42);
    expect(parseSeeds('-2..1')).toEqual([-2, -1, 0, 1]);
  });

  it('refuses text it cannot read, saying what it accepts', () => {
    for (const text of ['', 'abc', '1..', '1...5', '5,', '1.5', '1-5']) {
      expect(() => parseSeeds(text)).toThrow(RangeError);
    }
    expect(() => parseSeeds('x')).toThrow('seeds "x": expected a count ("20" runs seeds 1..20), a range ("1..100") or a list ("5,9,12")');
    expect(() => parseSeeds('0')).toThrow('a count must be at least 1');
    expect(() => parseSeeds('9..3')).toThrow('the range ends before it starts');
    expect(() => parseSeeds('4,5,4')).toThrow('seed 4 is listed twice');
  });

  it(`runs at most ${MAX_SEEDS} seeds`, () => {
    expect(parseSeeds(String(MAX_SEEDS))).toHaveLength(MAX_SEEDS);
    expect(() => parseSeeds(String(MAX_SEEDS + 1))).toThrow(`${MAX_SEEDS + 1} seeds is more than the limit of ${MAX_SEEDS} (MAX_SEEDS)`);
    expect(() => parseSeeds(`1..${MAX_SEEDS + 1}`)).toThrow(RangeError);
    expect(() => parseSeeds('1..99999999999999999999')).toThrow(RangeError);
  });
});
