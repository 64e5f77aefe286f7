/**
 * `kactor experiment run --real`: an experiment's scenario against real processes (a `cluster up`, CLI
 * consumers, producers on the real clock) instead of the simulated cluster, so its figures can be shown beside
 * the simulated ones. A real run's trace hash is not deterministic (see run-real-scenario.ts).
 */
export { runRealExperiment, type RealExperimentOptions, type RealExperimentResult } from './run-real-experiment.js';
export { runRealScenario, type RealRunOptions, type RealRunResult } from './run-real-scenario.js';
