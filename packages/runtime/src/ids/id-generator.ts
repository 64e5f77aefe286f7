import { customRandom, nanoid, urlAlphabet } from 'nanoid';
import type { Random } from '../random/random.js';
import type { IdGenerator } from './ids.js';

/** nanoid's default length: 21 url-safe characters, 126 bits, as unlikely to collide as a UUID v4. */
export const ID_LENGTH = 21;

/** An id generator that summarises itself in logs and inspection instead of dumping closures. */
export type DescribedIdGenerator = IdGenerator & { toJSON(): { kind: string } };

/**
 * Ids drawn from an injected random source: seeded in simulations, so member ids and topic ids repeat
 * from run to run. nanoid's `customRandom` keeps its unbiased mapping from bytes to the alphabet.
 */
export function createIdGenerator(random: Random): DescribedIdGenerator {
  const draw = customRandom(urlAlphabet, ID_LENGTH, (size) => random.nextBytes(size));
  return {
    next: (prefix) => withPrefix(prefix, draw()),
    toJSON: () => ({ kind: 'IdGenerator' }),
  };
}

/** Ids from nanoid's own secure source, for real runs. */
export const systemIdGenerator: DescribedIdGenerator = {
  next: (prefix) => withPrefix(prefix, nanoid(ID_LENGTH)),
  toJSON: () => ({ kind: 'SystemIdGenerator' }),
};

function withPrefix(prefix: string | undefined, id: string): string {
  return prefix === undefined || prefix === '' ? id : `${prefix}-${id}`;
}
