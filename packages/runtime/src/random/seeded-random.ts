import { createHash } from 'node:crypto';
import type { Random } from './random.js';
import { bytesFromWords, floatFromWords, intBelow } from './uniform.js';

const UINT64_MASK = (1n << 64n) - 1n;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): the
 * generator Vigna recommends for filling xoshiro's state from a single 64-bit seed, because nearby
 * seeds (1, 2, 3, ...) still give unrelated states.
 */
export function createSplitMix64(seed: bigint): () => bigint {
  let state = BigInt.asUintN(64, seed);
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & UINT64_MASK;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & UINT64_MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & UINT64_MASK;
    return z ^ (z >> 31n);
  };
}

/**
 * xoshiro128** 1.1 (Blackman and Vigna, https://prng.di.unimi.it/): 128 bits of state, period
 * 2^128 - 1, passes BigCrush, and needs only 32-bit integer operations, which JavaScript does fast.
 * Not cryptographic: it exists to make simulations reproducible, never to make secrets.
 */
export class SeededRandom implements Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Use `createSeededRandom`; `seed64` is the 64-bit seed after hashing, kept so `fork` can derive from it. */
  constructor(readonly seed64: bigint) {
    const splitMix = createSplitMix64(seed64);
    const first = splitMix();
    const second = splitMix();
    // Two consecutive SplitMix64 outputs are never both zero, so the state is never all zero.
    this.s0 = Number(first & 0xffffffffn) | 0;
    this.s1 = Number(first >> 32n) | 0;
    this.s2 = Number(second & 0xffffffffn) | 0;
    this.s3 = Number(second >> 32n) | 0;
  }

  /** The next raw 32-bit output, as an unsigned integer. */
  nextUint32 = (): number => {
    const s1 = this.s1;
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotateLeft(this.s3, 11);
    return result;
  };

  next(): number {
    return floatFromWords(this.nextUint32);
  }

  nextInt(maxExclusive: number): number {
    return intBelow(this.nextUint32, maxExclusive);
  }

  nextBytes(length: number): Uint8Array {
    return bytesFromWords(this.nextUint32, length);
  }

  toJSON(): { kind: 'SeededRandom'; seed64: string } {
    return { kind: 'SeededRandom', seed64: this.seed64.toString() };
  }

  /** Sets the raw xoshiro state; for checking the generator against the reference implementation. */
  static fromState(state: readonly [number, number, number, number]): SeededRandom {
    const random = new SeededRandom(0n);
    [random.s0, random.s1, random.s2, random.s3] = state.map((word) => word | 0) as [number, number, number, number];
    if ((random.s0 | random.s1 | random.s2 | random.s3) === 0) throw new RangeError('xoshiro128**: the state must not be all zero');
    return random;
  }
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * A deterministic random source: the same seed gives the same sequence on every machine and run.
 * Integer seeds (any safe integer, negative ones included) are taken as 64-bit values; string seeds are
 * hashed with SHA-256, so `'orders-sim'` and `'orders-sim2'` give unrelated streams. The integer 42 and
 * the string `'42'` are different seeds.
 */
export function createSeededRandom(seed: number | string): SeededRandom {
  return new SeededRandom(seedToUint64(seed));
}

/**
 * An independent deterministic stream derived from `parent` and `label`, e.g. one per node of a
 * simulated cluster (`fork(random, 'broker-1')`). Forking a seeded source does not draw from it, so a
 * node's stream does not depend on how many nodes were created before it or how much the parent was
 * used; the same parent seed and label always give the same stream, so use distinct labels. Forking
 * any other source (the system one) draws 16 bytes from it to seed the child.
 */
export function fork(parent: Random, label: string): SeededRandom {
  const hash = createHash('sha256');
  if (parent instanceof SeededRandom) hash.update(`kactor-fork:${parent.seed64}:`);
  else hash.update('kactor-fork-drawn:').update(parent.nextBytes(16)).update(':');
  hash.update(label, 'utf8');
  return new SeededRandom(hash.digest().readBigUInt64BE(0));
}

function seedToUint64(seed: number | string): bigint {
  if (typeof seed === 'string') return createHash('sha256').update(seed, 'utf8').digest().readBigUInt64BE(0);
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`createSeededRandom: a numeric seed must be a safe integer, got ${seed}`);
  }
  return BigInt.asUintN(64, BigInt(seed));
}
