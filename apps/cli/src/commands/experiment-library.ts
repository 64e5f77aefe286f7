/**
 * The one place the `kactor experiment` command takes @kactor/simulation's experiment library from: the
 * scenario loader, the runner, the report and the built-in experiments. The command only parses and prints.
 */
export {
  applyCase,
  builtinExperiments,
  formatTables,
  loadExperiment,
  loadScenarioFile,
  parseScenario,
  parseSeeds,
  replayCommand,
  resolveVariants,
  runExperiment,
  runScenario,
  ScenarioError,
  speedUpInWords,
  summarize,
  writeReport,
  type BuiltinExperiment,
  type ExperimentResult,
  type MetricSummary,
  type RebalanceMeasurement,
  type RunKey,
  type RunOptions,
  type RunResult,
  type Scenario,
  type TraceEvent,
  type Violation,
} from '@kactor/simulation';
