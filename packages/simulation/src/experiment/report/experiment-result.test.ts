import { describe, expect, it } from 'vitest';
import { caseVariantPairs, runFileStem } from './experiment-result.js';
import { syntheticResult } from './synthetic-result.js';

describe('runFileStem', () => {
  it('names a run by case, variant and seed, keeping dashes and dots', () => {
    expect(runFileStem({ variant: 'classic-eager', seed: 7 })).toBe('classic-eager-seed-7');
    expect(runFileStem({ case: 'members.100', variant: 'consumer', seed: 1 })).toBe('members.100-consumer-seed-1');
  });
  it('replaces characters a file system or shell could trip on', () => {
    expect(runFileStem({ case: 'a/b c', variant: 'x:y', seed: 2 })).toBe('a_b_c-x_y-seed-2');
  });
});

describe('caseVariantPairs', () => {
  it('lists each (case, variant) once, in the order the runs appear', () => {
    expect(caseVariantPairs(syntheticResult({ cases: true }).runs)).toEqual([
      { case: 'small', variant: 'classic-eager' },
      { case: 'small', variant: 'consumer' },
      { case: 'large', variant: 'classic-eager' },
      { case: 'large', variant: 'consumer' },
    ]);
  });
});
