/**
 * A checker that cannot fail is no checker (issue 15): each planted bug (RunOptions.plant) commits its violation
 * through a whole run of real brokers and clients, and the checker it is aimed at fails the run.
 * - skip-revocation: a member's application ignores a revocation -> two owners of one partition;
 * - ack-before-isr: acks=1, a leader cut off from its followers and killed -> acknowledged records lost;
 * - commit-backwards: a member commits an offset older than one it committed -> committed offset regression;
 * - duplicate-delivery: a member reads a committed batch again under exactly-once -> records processed twice.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type PlantedBug, type Violation } from '@kactor/simulation';
import { smallScenario } from './support/experiment-scenario.js';

interface PlantCase {
  plant: PlantedBug;
  checker: Violation['checker'];
  scenario: Parameters<typeof smallScenario>[0];
}

const cases: PlantCase[] = [
  { plant: 'skip-revocation', checker: 'two-owners', scenario: { replicationFactor: 1, members: 2, durationMs: 20_000, timeline: [{ at: 8_000, action: 'member.join', group: 'app', count: 1 }] } },
  { plant: 'ack-before-isr', checker: 'lost', scenario: { replicationFactor: 3, durationMs: 30_000, recordsPerSecond: 50 } },
  { plant: 'commit-backwards', checker: 'committed-offset-regression', scenario: { replicationFactor: 1, durationMs: 15_000, commit: 'sync' } },
  { plant: 'duplicate-delivery', checker: 'duplicated', scenario: { replicationFactor: 1, durationMs: 15_000, commit: 'transactional' } },
];

describe('each planted bug fails the checker aimed at it', () => {
  it.each(cases)('$plant: $checker', { timeout: 240_000 }, async ({ plant, checker, scenario }) => {
    const result = await runScenario(smallScenario({ name: `plant-${plant}`, ...scenario }), { variant: 'classic-cooperative', seed: 1 }, { plant });
    console.log(`[experiment-checkers] ${plant}: ${JSON.stringify(result.violations.slice(0, 3))}`);
    expect(result.violations.map((violation) => violation.checker)).toContain(checker);
    expect(result.violations.filter((violation) => violation.checker === 'run-error')).toEqual([]);
  });
});
