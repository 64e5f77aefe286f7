import { describe, expect, it } from 'vitest';
import { replayCommandLine, runCommandLine, seedsArgument, shellArgument } from './commands.js';
import { syntheticResult } from './synthetic-result.js';

describe('commands', () => {
  it('replays one run with its seed, variant and case', () => {
    expect(replayCommandLine({ source: 'my.yaml', quick: false }, { variant: 'consumer', seed: 17 })).toBe('pnpm kactor experiment replay my.yaml --seed 17 --variant consumer');
    expect(replayCommandLine({ source: 'rebalance-protocols', quick: true }, { case: 'large', variant: 'consumer', seed: 3 })).toBe(
      'pnpm kactor experiment replay rebalance-protocols --seed 3 --variant consumer --case large --quick',
    );
  });

  it('quotes arguments a shell would split or expand', () => {
    expect(shellArgument('experiments/my scenario.yaml')).toBe(`'experiments/my scenario.yaml'`);
    expect(shellArgument(`it's`)).toBe(`'it'\\''s'`);
    expect(shellArgument('a,b')).toBe('a,b');
  });

  it('writes seeds as a count, a range or a list, as --seeds reads them', () => {
    expect(seedsArgument([3, 1, 2])).toBe('3');
    expect(seedsArgument([5, 6, 7, 8])).toBe('5..8');
    expect(seedsArgument([5, 9])).toBe('5,9');
  });

  it('runs the whole experiment again with the same seeds, variants and cases', () => {
    expect(runCommandLine({ source: 'synthetic', quick: false }, syntheticResult({ cases: true }).runs, 'results/')).toBe(
      'pnpm kactor experiment run synthetic --seeds 3 --variants classic-eager,consumer --cases small,large --out results/',
    );
  });
});
