import type { Random } from '@kactor/runtime';
import type { Drawn } from '../model.js';

/**
 * A scenario value that is fixed or drawn from the run's seed. Draws come from the random source passed
 * in (a fork of the run's seeded random), so a seed gives the same draws every time. Every Drawn value is
 * a time, so a draw below zero (a normal distribution's tail) counts as zero.
 */
export function drawValue(value: Drawn, random: Random): number {
  if (typeof value === 'number') return value;
  if ('uniform' in value) {
    const [low, high] = value.uniform;
    return low + (high - low) * random.next();
  }
  if ('exponential' in value) {
    // Inverse transform sampling; 1 - next() lies in (0, 1], so the logarithm is finite.
    return -value.exponential.meanMs * Math.log(1 - random.next());
  }
  return Math.max(0, value.normal.meanMs + value.normal.stddevMs * standardNormal(random));
}

/** Box-Muller: two uniform draws give one standard normal draw. */
function standardNormal(random: Random): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
  return radius * Math.cos(2 * Math.PI * random.next());
}
