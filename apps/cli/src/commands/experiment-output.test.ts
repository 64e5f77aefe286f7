import { describe, expect, it } from 'vitest';
import type { RebalanceMeasurement, RunResult } from './experiment-library.js';
import { builtinListLines, rebalanceText, runDoneLine, timelineLines, violationLines } from './experiment-output.js';

const run = (overrides: Partial<RunResult>): RunResult => ({
  scenario: 'tiny',
  variant: 'consumer',
  seed: 3,
  traceHash: 'abc',
  simulatedMs: 20_000,
  wallMs: 150,
  metrics: {},
  rebalances: [],
  series: [],
  violations: [],
  ...overrides,
});

const rebalance: RebalanceMeasurement = {
  group: 'app',
  trigger: 'member.crash',
  triggerMs: 5_000,
  stableMs: 6_250,
  generations: 2,
  partitionsMoved: 3,
  pausedMemberMs: 1_200,
  partiallyPausedMemberMs: 0,
  unownedPartitionMs: 400,
};

describe('kactor experiment output', () => {
  it('lists the built-in experiments with their names in one column', () => {
    expect(
      builtinListLines([
        { name: 'slow-poller', description: 'One member stops polling.', file: '/x/slow-poller.yaml' },
        { name: 'rebalance-protocols', description: 'Eager vs cooperative vs KIP-848.', file: '/x/rebalance-protocols.yaml' },
      ]),
    ).toEqual(['slow-poller          One member stops polling.', 'rebalance-protocols  Eager vs cooperative vs KIP-848.']);
  });

  it('says what each finished run found, for output that is not a terminal', () => {
    expect(runDoneLine(run({}), 1, 4)).toBe('run 1/4: seed=3 variant=consumer: 20.000 s simulated in 150 ms, ok');
    expect(runDoneLine(run({ case: 'big', violations: [{ checker: 'lost', detail: 'x' }] }), 4, 4)).toBe('run 4/4: seed=3 variant=consumer case=big: 20.000 s simulated in 150 ms, 1 violation');
  });

  it('prints each violation with its seed, variant and case, and the command that replays the run', () => {
    const lines = violationLines([run({}), run({ seed: 17, case: 'big', violations: [{ checker: 'two-owners', detail: 'orders-0 owned by member-0 and member-1' }] })], 'my.yaml', true);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('VIOLATION two-owners seed=17 variant=consumer case=big: orders-0 owned by member-0 and member-1');
    expect(lines[1]).toMatch(/^ {2}replay: pnpm kactor experiment replay my\.yaml --seed 17 --variant consumer --case big --quick$/);
  });

  it('puts timeline actions and rebalances in simulated time order', () => {
    const lines = timelineLines(
      [
        { type: 'timeline', timeMs: 10_000, action: 'broker.kill', detail: 'broker 1' },
        { type: 'timeline', timeMs: 5_000, action: 'member.crash', detail: 'killed (kill -9)', group: 'app', members: ['app/member-1'] },
      ],
      [rebalance],
    );
    expect(lines).toEqual([' 5.000 s  member.crash app/member-1: killed (kill -9)', ` 5.000 s  ${rebalanceText(rebalance)}`, '10.000 s  broker.kill: broker 1']);
    expect(rebalanceText(rebalance)).toBe(
      'rebalance of app (member.crash): stable after 1,250 ms, 2 generations, 3 partitions moved; members paused 1,200 ms, partially paused 0 ms, partitions unowned 400 ms',
    );
    const { stableMs: _stableMs, ...unfinished } = rebalance;
    expect(rebalanceText(unfinished)).toContain('not stable before the run ended');
  });
});
