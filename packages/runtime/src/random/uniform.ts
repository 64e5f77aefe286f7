/**
 * Turning a stream of uniform 32-bit words into the shapes `Random` promises, without bias. Shared by
 * the seeded and the system source, so both draw numbers the same way.
 */
const TWO_POW_26 = 2 ** 26;
const TWO_POW_32 = 2 ** 32;
const TWO_POW_53 = 2 ** 53;

export type NextUint32 = () => number;

/** A float in [0, 1) with the full 53-bit precision of a double (two words: 27 + 26 bits). */
export function floatFromWords(nextUint32: NextUint32): number {
  const high27 = nextUint32() >>> 5;
  const low26 = nextUint32() >>> 6;
  return (high27 * TWO_POW_26 + low26) / TWO_POW_53;
}

/**
 * An integer in [0, maxExclusive), by rejection sampling: a plain `% max` would favour small values
 * whenever max does not divide 2^32. Each draw is rejected with probability below 1/2.
 */
export function intBelow(nextUint32: NextUint32, maxExclusive: number): number {
  if (!Number.isSafeInteger(maxExclusive) || maxExclusive < 1) {
    throw new RangeError(`Random.nextInt: maxExclusive must be a safe integer >= 1, got ${maxExclusive}`);
  }
  if (maxExclusive <= TWO_POW_32) {
    const acceptBelow = TWO_POW_32 - (TWO_POW_32 % maxExclusive);
    for (;;) {
      const word = nextUint32();
      if (word < acceptBelow) return word % maxExclusive;
    }
  }
  const acceptBelow = TWO_POW_53 - (TWO_POW_53 % maxExclusive);
  for (;;) {
    const value = (nextUint32() >>> 11) * TWO_POW_32 + nextUint32();
    if (value < acceptBelow) return value % maxExclusive;
  }
}

/** `length` bytes, four per word, little-endian. */
export function bytesFromWords(nextUint32: NextUint32, length: number): Uint8Array {
  assertByteLength(length);
  const bytes = new Uint8Array(length);
  let index = 0;
  while (index < length) {
    let word = nextUint32();
    for (let shift = 0; shift < 4 && index < length; shift += 1) {
      bytes[index] = word & 0xff;
      word >>>= 8;
      index += 1;
    }
  }
  return bytes;
}

export function assertByteLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`Random.nextBytes: length must be a non-negative integer, got ${length}`);
  }
}
