/** The experiment runner: one scenario x case x variant x seed on a simulated cluster, and whole experiments. */
export { runScenario, RunSetupError, DRAIN_MAX_MS } from './run-scenario.js';
export { runExperiment, replayCommand, type ExperimentOptions, type ExperimentResult } from './run-experiment.js';
export { PLANTED_BUGS, type PlantedBug, type RunOptions } from './run-options.js';
export { TimelineError } from './timeline.js';
export { PRODUCER_TICK_MS } from './workload-producer.js';
export { GROUP_FORMATION_MAX_MS } from './group-formation.js';
export { firstUnformedGroup, groupUnsettled, type DescribeGroups, type FormingGroup, type FormingMember, type MemberHoldings } from './formation-check.js';
