import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from './experiment-library.js';
import { describeExperimentFailure } from './experiment-options.js';
import { checkCases } from './experiment-run.js';

const scenario = parseScenario(
  `name: cased
description: Two cases.
durationMs: 10s
cluster: { brokers: 1 }
topics: [{ name: orders, partitions: 2, replicationFactor: 1 }]
groups: [{ name: app, topics: [orders], members: 2 }]
variants: [consumer]
cases:
  - { name: small, set: { groups.app.members: 2 } }
  - { name: large, set: { groups.app.members: 8 } }
`,
  'cased.yaml',
);

describe('kactor experiment --cases', () => {
  it("accepts the scenario's own cases", () => {
    expect(() => checkCases(scenario, 'cased.yaml', ['large', 'small'])).not.toThrow();
  });

  it('refuses unknown cases before anything runs, one line each naming the known ones, as a bad scenario (exit code 2)', () => {
    let error: unknown;
    try {
      checkCases(scenario, 'cased.yaml', ['small', 'huge', 'tiny']);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect(describeExperimentFailure('run', error)).toEqual({
      lines: ['cased.yaml: cases: no case "huge" (its cases are small, large)', 'cased.yaml: cases: no case "tiny" (its cases are small, large)'],
      exitCode: 2,
    });
  });
});
