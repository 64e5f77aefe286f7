/** Record keys by the scenario's distribution, drawn from the producer's own random (null: no key, sticky partitioning). */
import type { Random } from '@kactor/runtime';
import type { KeyDistribution } from '../model.js';

export type KeyChooser = (n: number) => string | null;

export function keyChooser(distribution: KeyDistribution, random: Random): KeyChooser {
  switch (distribution.kind) {
    case 'none':
      return () => null;
    case 'uniform':
      return () => `key-${random.nextInt(distribution.keys)}`;
    case 'sequential':
      return (n) => `key-${n % distribution.keys}`;
    case 'zipf': {
      const cumulative = zipfCumulative(distribution.keys, distribution.exponent);
      return () => `key-${lowerBound(cumulative, random.next())}`;
    }
  }
}

/** The cumulative probabilities of ranks 1..keys under Zipf's law with `exponent` (rank k weighs 1/k^exponent). */
function zipfCumulative(keys: number, exponent: number): Float64Array {
  const cumulative = new Float64Array(keys);
  let total = 0;
  for (let rank = 1; rank <= keys; rank += 1) {
    total += 1 / rank ** exponent;
    cumulative[rank - 1] = total;
  }
  for (let index = 0; index < keys; index += 1) cumulative[index] = (cumulative[index] as number) / total;
  return cumulative;
}

/** The first index whose cumulative probability is above `draw` (binary search). */
function lowerBound(cumulative: Float64Array, draw: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((cumulative[middle] as number) > draw) high = middle;
    else low = middle + 1;
  }
  return low;
}
