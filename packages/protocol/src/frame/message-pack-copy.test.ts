import { Unpackr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { encodeRawFrame } from './codec.js';
import { FRAME_HEADER_BYTES } from './header.js';
import { messagePackCopy } from './message-pack-copy.js';

// The decoder of codec.ts, as configured there.
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, moreTypes: false });

/** What the codec's bytes say: the body's encoded length and what decoding them gives. */
function roundTrip(value: unknown): { byteLength: number; value: unknown } {
  const frame = encodeRawFrame('response', 3, 0, 1, value);
  return { byteLength: frame.byteLength - FRAME_HEADER_BYTES, value: unpackr.unpack(frame.subarray(FRAME_HEADER_BYTES)) };
}

/** Large values are compared by their encodings (deep equality of 65,536 items is slow); small ones field by field. */
function expectLikeRoundTrip(value: unknown): void {
  const copy = messagePackCopy(value);
  const expected = roundTrip(value);
  expect(copy).toBeDefined();
  expect(copy?.byteLength).toBe(expected.byteLength);
  if (expected.byteLength > 4096) {
    expect(Buffer.compare(encodeRawFrame('response', 3, 0, 1, copy?.value), encodeRawFrame('response', 3, 0, 1, expected.value))).toBe(0);
  } else {
    expect(copy?.value).toStrictEqual(expected.value);
  }
}

const text = (length: number, unit = 'a') => unit.repeat(length);

describe('messagePackCopy gives what the codec\'s encoding and decoding give', () => {
  it.each([
    0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0xffffffff, 2 ** 32, Number.MAX_SAFE_INTEGER,
    -1, -0x20, -0x21, -0x80, -0x81, -0x8000, -0x8001, -(2 ** 31), -(2 ** 31) - 1, Number.MIN_SAFE_INTEGER,
    1.5, -2.25, 1e-300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0,
  ])('the number %d', (value) => {
    expectLikeRoundTrip({ value });
  });

  it('-0 comes back as 0, as the integer the codec writes for it', () => {
    expect(Object.is(messagePackCopy(-0)?.value, 0)).toBe(true);
  });

  it.each([
    ['ASCII', 'a'], ['two-byte', 'é'], ['three-byte', '€'], ['a surrogate pair', '😀'],
  ])('%s strings on each side of every header size, short and long', (_label, unit) => {
    for (const length of [0, 1, 10, 11, 0x1f, 0x20, 0x3f, 0x40, 0x55, 0x56, 0xff, 0x100, 0x5555, 0x5556, 0xffff, 0x10000]) {
      expectLikeRoundTrip({ text: text(length, unit) });
    }
    expectLikeRoundTrip({ mixed: `x${text(40, unit)}y${text(40, 'a')}` });
  });

  it('booleans, null, nested arrays and objects at each size of their headers', () => {
    expectLikeRoundTrip({ yes: true, no: false, nothing: null, empty: {}, none: [] });
    for (const count of [0x0f, 0x10, 0xffff, 0x10000]) {
      expectLikeRoundTrip({ items: Array.from({ length: count }, (_, index) => (index % 1000 === 0 ? { index } : index)) });
    }
    for (const count of [0x0f, 0x10, 0x10000]) {
      expectLikeRoundTrip(Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, index])));
    }
  });

  it('properties that are undefined are left out, as the codec skips them', () => {
    expectLikeRoundTrip({ a: 1, b: undefined, c: { d: undefined } });
    expect(messagePackCopy({ a: 1, b: undefined })?.value).toStrictEqual({ a: 1 });
  });

  it('integer-like keys keep the order an object gives them', () => {
    expectLikeRoundTrip({ b: 1, 2: 'two', a: 3, 1: 'one' });
  });

  it.each([0, 1, 0xff, 0x100, 0xffff, 0x10000])('byte arrays of %d bytes, as copies of their own', (length) => {
    const bytes = Uint8Array.from({ length }, (_, index) => index & 0xff);
    expectLikeRoundTrip({ records: bytes });
    expectLikeRoundTrip({ records: Buffer.from(bytes) });
    expectLikeRoundTrip({ records: bytes.subarray(Math.min(length, 3)) });
    const copy = messagePackCopy({ records: bytes })?.value as { records: Uint8Array };
    expect(copy.records.buffer).not.toBe(bytes.buffer);
  });

  it('seeded random bodies of every modelled kind', () => {
    let seed = 15;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const randomValue = (depth: number): unknown => {
      const kind = pick(depth > 2 ? ['number', 'string', 'boolean', 'null', 'bytes'] : ['number', 'string', 'boolean', 'null', 'bytes', 'array', 'object', 'object']);
      switch (kind) {
        case 'number':
          return pick([() => Math.floor(next() * 300) - 150, () => Math.floor(next() * 2 ** 40) - 2 ** 39, () => next() * 1000, () => 2 ** Math.floor(next() * 53)])();
        case 'string':
          return Array.from({ length: Math.floor(next() * 80) }, () => pick(['a', 'Z', '-', 'é', '€', '😀', '\u0000', '\u07ff', '\u0800'])).join('');
        case 'boolean':
          return next() < 0.5;
        case 'null':
          return null;
        case 'bytes':
          return Uint8Array.from({ length: Math.floor(next() * 300) }, () => Math.floor(next() * 256));
        case 'array':
          return Array.from({ length: Math.floor(next() * 18) }, () => randomValue(depth + 1));
        default:
          return Object.fromEntries(Array.from({ length: Math.floor(next() * 18) }, (_, index) => [`${pick(['topic', 'k', 'é', '1'])}${index}`, next() < 0.1 ? undefined : randomValue(depth + 1)]));
      }
    };
    for (let round = 0; round < 200; round += 1) expectLikeRoundTrip({ body: randomValue(0) });
  });
});

describe('messagePackCopy leaves to the bytes what it does not model', () => {
  class Point {
    constructor(readonly x: number) {}
  }
  it.each([
    ['a class instance', new Point(1)],
    ['a Map', new Map([['a', 1]])],
    ['a Set', new Set([1])],
    ['a Date', new Date(0)],
    ['a BigInt', 1n],
    ['a typed array other than bytes', new Uint16Array(2)],
    ['a lone surrogate', '\ud800x'],
    ['a trailing lone surrogate', 'x\ud800'],
    ['undefined in an array', [1, undefined]],
    ['a function', () => 1],
    ['an object without a prototype', Object.create(null) as object],
  ])('%s', (_label, value) => {
    expect(messagePackCopy({ value })).toBeUndefined();
  });

  it('a __proto__ key, which decoding renames', () => {
    expect(messagePackCopy(JSON.parse('{"__proto__": 1}'))).toBeUndefined();
  });
});
