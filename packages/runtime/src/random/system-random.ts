import { randomFillSync } from 'node:crypto';
import type { Random } from './random.js';
import { assertByteLength, floatFromWords, intBelow } from './uniform.js';

/** Words fetched from the OS per refill: one syscall per 1024 draws instead of one per draw. */
const POOL_WORDS = 1024;

/** Cryptographically strong randomness from the operating system (`node:crypto`), for real runs. */
class SystemRandom implements Random {
  private readonly pool = new Uint32Array(POOL_WORDS);
  private nextIndex = POOL_WORDS;

  private readonly nextUint32 = (): number => {
    if (this.nextIndex === POOL_WORDS) {
      randomFillSync(this.pool);
      this.nextIndex = 0;
    }
    const word = this.pool[this.nextIndex] as number;
    this.nextIndex += 1;
    return word;
  };

  next(): number {
    return floatFromWords(this.nextUint32);
  }

  nextInt(maxExclusive: number): number {
    return intBelow(this.nextUint32, maxExclusive);
  }

  nextBytes(length: number): Uint8Array {
    assertByteLength(length);
    return randomFillSync(new Uint8Array(length));
  }

  toJSON(): { kind: 'SystemRandom' } {
    return { kind: 'SystemRandom' };
  }
}

export const systemRandom: Random = new SystemRandom();
