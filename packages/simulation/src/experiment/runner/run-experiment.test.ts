import { describe, expect, it } from 'vitest';
import { replayCommand } from './run-experiment.js';

describe('replayCommand', () => {
  it('names the source, seed, variant and case', () => {
    expect(replayCommand('rebalance-protocols', { seed: 17, variant: 'consumer' })).toBe('pnpm kactor experiment replay rebalance-protocols --seed 17 --variant consumer');
    expect(replayCommand('experiments/my-scenario.yaml', { seed: 2, variant: 'classic-eager', case: 'large' })).toBe('pnpm kactor experiment replay experiments/my-scenario.yaml --seed 2 --variant classic-eager --case large');
  });

  it('quotes a source a shell would split', () => {
    expect(replayCommand("my scenario's.yaml", { seed: 1, variant: 'consumer' })).toBe("pnpm kactor experiment replay 'my scenario'\\''s.yaml' --seed 1 --variant consumer");
  });
});
