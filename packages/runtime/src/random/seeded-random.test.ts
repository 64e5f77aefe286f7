import { describe, expect, it } from 'vitest';
import { createSeededRandom, createSplitMix64, fork, SeededRandom } from './seeded-random.js';
import { systemRandom } from './system-random.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('createSeededRandom', () => {
  it('matches the reference xoshiro128** from the state (1, 2, 3, 4)', () => {
    // Computed once with the authors' C reference implementation.
    const random = SeededRandom.fromState([1, 2, 3, 4]);
    const outputs = Array.from({ length: 8 }, () => random.nextUint32());
    expect(outputs).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('expands seeds with the reference SplitMix64', () => {
    const splitMix = createSplitMix64(0n);
    expect([splitMix(), splitMix(), splitMix()]).toEqual([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn]);
  });

  it('gives the pinned sequence for seed 42 (C reference: SplitMix64 into xoshiro128**)', () => {
    const random = createSeededRandom(42);
    const outputs = Array.from({ length: 8 }, () => random.nextUint32());
    expect(outputs).toEqual([1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222, 2940343271, 2244566231]);
  });

  it('gives the pinned sequence for the string seed "kactor"', () => {
    const random = createSeededRandom('kactor');
    expect(hex(random.nextBytes(16))).toBe('13d8f230e52b6915ddddf91afdd3875b');
    expect(random.next()).toBe(0.5694084689430893);
    expect(random.nextInt(1000)).toBe(394);
    expect(random.nextInt(2 ** 40)).toBe(280185285586);
  });

  it('repeats the same sequence for the same seed and differs for another', () => {
    const draw = (seed: number | string): string => hex(createSeededRandom(seed).nextBytes(64));
    expect(draw(7)).toBe(draw(7));
    expect(draw('cluster-a')).toBe(draw('cluster-a'));
    expect(draw(7)).not.toBe(draw(8));
    expect(draw(7)).not.toBe(draw('7'));
    expect(draw(-1)).not.toBe(draw(1));
  });

  it('refuses seeds that would silently lose precision', () => {
    expect(() => createSeededRandom(1.5)).toThrow(RangeError);
    expect(() => createSeededRandom(2 ** 60)).toThrow(RangeError);
    expect(() => createSeededRandom(Number.NaN)).toThrow(RangeError);
  });

  it('packs bytes little-endian from whole words, whatever the length', () => {
    const words = createSeededRandom(3);
    const first = words.nextUint32();
    const second = words.nextUint32();
    const bytes = createSeededRandom(3).nextBytes(6);
    expect(Array.from(bytes)).toEqual([
      first & 0xff,
      (first >>> 8) & 0xff,
      (first >>> 16) & 0xff,
      first >>> 24,
      second & 0xff,
      (second >>> 8) & 0xff,
    ]);
    expect(createSeededRandom(3).nextBytes(0)).toHaveLength(0);
  });

  it('summarises itself with its seed for logs', () => {
    expect(JSON.parse(JSON.stringify(createSeededRandom(42)))).toEqual({ kind: 'SeededRandom', seed64: '42' });
  });
});

describe('fork', () => {
  it('derives the same stream from the same seed and label, without drawing from the parent', () => {
    const parent = createSeededRandom(42);
    const child = hex(fork(parent, 'broker-1').nextBytes(16));
    expect(hex(fork(createSeededRandom(42), 'broker-1').nextBytes(16))).toBe(child);
    expect(hex(parent.nextBytes(16))).toBe(hex(createSeededRandom(42).nextBytes(16)));
  });

  it('derives distinct streams for distinct labels and parents, and from the parent itself', () => {
    const parent = createSeededRandom(42);
    const streams = [
      fork(parent, 'broker-0'),
      fork(parent, 'broker-1'),
      fork(createSeededRandom(43), 'broker-0'),
      fork(fork(parent, 'broker-0'), 'partition-0'),
      createSeededRandom(42),
    ].map((random) => hex(random.nextBytes(16)));
    expect(new Set(streams).size).toBe(streams.length);
  });

  it('pins the stream of a labelled fork', () => {
    expect(hex(fork(createSeededRandom(42), 'broker-1').nextBytes(8))).toBe('33d1778ed2a63526');
  });

  it('forks a non-seeded source by drawing from it', () => {
    const a = fork(systemRandom, 'node');
    const b = fork(systemRandom, 'node');
    expect(hex(a.nextBytes(16))).not.toBe(hex(b.nextBytes(16)));
  });
});
