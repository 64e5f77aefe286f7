/**
 * The one place the `kactor experiment` command takes @kactor/simulation's experiment library from: the
 * scenario loader, the runner, the report and the built-in experiments. The command only parses and prints.
 */
// TODO(lead): switch to '@kactor/simulation' once exported (the modules below are its experiment/ parts).
export { applyCase, loadScenarioFile, parseScenario, parseSeeds, resolveVariants, ScenarioError } from '../../../../packages/simulation/src/experiment/scenario/index.js';
export { replayCommand, runExperiment, runScenario, type ExperimentResult, type RunOptions } from '../../../../packages/simulation/src/experiment/runner/index.js';
export { formatTables, speedUpInWords, summarize, writeReport, type MetricSummary } from '../../../../packages/simulation/src/experiment/report/index.js';
export { builtinExperiments, loadExperiment, type BuiltinExperiment } from '../../../../packages/simulation/src/experiment/builtins.js';
export type { RebalanceMeasurement, RunKey, RunResult, Scenario, Violation } from '../../../../packages/simulation/src/experiment/model.js';
export type { TraceEvent } from '../../../../packages/simulation/src/experiment/trace.js';
