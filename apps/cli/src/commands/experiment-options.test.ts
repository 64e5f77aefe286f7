import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from './experiment-library.js';
import { BAD_SCENARIO_EXIT_CODE, describeExperimentFailure, seedsOption } from './experiment-options.js';

describe('kactor experiment --seeds', () => {
  it('takes a count, a range or a list', () => {
    expect(seedsOption('3')).toEqual([1, 2, 3]);
    expect(seedsOption('4..7')).toEqual([4, 5, 6, 7]);
    expect(seedsOption('5,9')).toEqual([5, 9]);
  });

  it('refuses anything else in one line that shows the accepted forms', () => {
    let error: unknown;
    try {
      seedsOption('many');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/^--seeds takes a count \(20\), a range \(1\.\.100\) or a list \(5,9\), got "many": /);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('kactor experiment failures', () => {
  it('prints a bad scenario as one file:line:col line per problem, exit code 2', () => {
    const error = new ScenarioError('my.yaml', [
      { path: 'groups[0].members', line: 7, column: 14, message: 'must be a positive integer, got -3' },
      { path: 'durationMs', line: 2, column: 13, message: 'must be a duration' },
    ]);
    expect(describeExperimentFailure('run', error)).toEqual({
      lines: ['my.yaml:7:14: groups[0].members: must be a positive integer, got -3', 'my.yaml:2:13: durationMs: must be a duration'],
      exitCode: BAD_SCENARIO_EXIT_CODE,
    });
  });

  it('prints any other failure as one line naming the subcommand, exit code 1, never a stack', () => {
    const failure = describeExperimentFailure('replay', new Error('the run failed\n    at somewhere (file.ts:1:1)'));
    expect(failure).toEqual({ lines: ['kactor experiment replay: the run failed'], exitCode: 1 });
  });

  it('gives an unknown experiment name exit code 2, like a bad scenario', () => {
    const error = Object.assign(new Error('no built-in experiment or scenario file "nope"; the built-in experiments are: a, b'), { name: 'UnknownExperimentError' });
    expect(describeExperimentFailure('run', error)).toEqual({ lines: ['kactor experiment run: no built-in experiment or scenario file "nope"; the built-in experiments are: a, b'], exitCode: 2 });
  });
});
