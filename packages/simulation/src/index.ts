/**
 * @kactor/simulation: whole kactor clusters in one process, on one simulated clock and the in-memory
 * network, deterministic by seed; the real clients against them; faults and checkers for experiments.
 *
 * ```ts
 * import { createSeededRandom } from '@kactor/runtime';
 * import { GroupClients, findLostRecords, planFaults, recordIdOf, runFaults } from '@kactor/simulation';
 *
 * const clients = new GroupClients({ seed, brokers: 3, controllerId: 0 });
 * await clients.cluster.startAll();
 * await clients.createTopic('orders', 3);
 * const sent = [{ topic: 'orders', partition: 0, value: 'a' }];
 * const acks = Promise.all(sent.map((record) => clients.producer().send(record)));
 * const faults = planFaults({ random: createSeededRandom(seed), brokerIds: clients.cluster.brokerIds, durationMs: 30_000, faults: 10, spare: [0] });
 * await runFaults(clients.cluster, faults);       // kills, restarts, isolation, slow and lossy links
 * await clients.settle(acks);
 * const reader = clients.consumer('check', 'reader');
 * reader.subscribe(['orders']);
 * await clients.pollUntil([reader], () => clients.records(reader).length >= sent.length, 'all read');
 * findLostRecords(sent, clients.records(reader).map(recordIdOf)); // [] unless an acknowledged record was lost
 * await clients.close();
 * ```
 */
export { Assignments, GroupClients, sortedNames, type GroupClientsOptions } from './group-clients.js';
export { ProcessClock } from './process-clock.js';
export { batchOf, valuesOf } from './records.js';
export { NetworkFaults } from './network-faults.js';
export { brokerHost, controllerUrl, SimulatedClient, SimulatedCluster, simulatedClusterSecret, type SimulatedClusterOptions } from './simulated-cluster.js';
export { haltSingleNodes, singleNodeClusterSecret, startSingleNode, type SingleNode } from './single-node.js';
export { applyFault, describeFaults, planFaults, runFaults, type Fault, type FaultPlanOptions, type TimedFault } from './faults.js';
export { assertNoViolations, CheckerViolationError } from './checkers/violation.js';
export { findDuplicatedRecords, findLostRecords, recordIdOf, type DuplicatedRecord, type RecordId } from './checkers/records.js';
export { checkCopy, findValuesReadTwice, type CopyViolations } from './checkers/copied-records.js';
export { countTransactionMarkers, type TransactionMarkerCounts } from './transaction-markers.js';
export { nextOffsets, TransactionalCopier, type CopierFigures, type CopyMode, type TransactionalCopierOptions } from './transactional-copier.js';
export { findReplicaDivergence, type ReplicaDivergence, type ReplicaLog } from './checkers/replica-divergence.js';
export { EpochWatch, findEpochRegressions, type EpochRegression } from './checkers/epochs.js';
export { findDoubleOwners, Ownership, type DoubleOwner } from './checkers/group-ownership.js';
export { controllerRecord, describeReplicas, replicasConverged, replicaViews, sampleLeaderEpochs, type ControllerPartitionRecord, type ReplicaView } from './replica-state.js';
export { RaftSimulation, RaftSimulationError, type RaftSimulationOptions } from './raft/raft-simulation.js';
export { RaftNetwork, DEFAULT_RAFT_NETWORK, type RaftNetworkOptions } from './raft/raft-network.js';
export { RaftSimNode } from './raft/raft-sim-node.js';
export {
  ConsistentCommittedDataChecker,
  currentLeader,
  MajorityReachedHighWatermarkChecker,
  MonotonicEpochChecker,
  MonotonicHighWatermarkChecker,
  RaftInvariants,
  SingleLeaderChecker,
  type RaftChecker,
  type RaftNodeView,
  type RaftViolation,
} from './raft/raft-checkers.js';

// Experiments (issue 15): scenario files, the runner, the analyzers (metrics and checkers over a run's trace) and the report.
export { PROTOCOL_NAMES, type Case, type ClusterSpec, type CommitStrategy, type Drawn, type GroupSpec, type KeyDistribution, type MemberSelector, type ProducerSpec, type ProtocolName, type RebalanceMeasurement, type RunKey, type RunResult, type Scenario, type SeriesPoint, type TimelineAction, type TimelineEvent, type TopicSpec, type Variant, type Violation } from './experiment/model.js';
export type { TraceEvent, TraceEventType, TraceObserver } from './experiment/trace.js';
export { METRICS, METRIC_NAMES, metricDefinition, type MetricDefinition } from './experiment/metrics.js';
export {
  applyCase,
  BUILTIN_VARIANT_NAMES,
  builtinVariant,
  drawValue,
  formatIssue,
  loadScenarioFile,
  MAX_SEEDS,
  parseDurationMs,
  parseScenario,
  parseSeeds,
  resolveVariants,
  ScenarioError,
  type ScenarioIssue,
} from './experiment/scenario/index.js';
export { canonicalJson, TraceAnalysisError, TraceAnalyzer, TraceHash, type RunAnalysis } from './experiment/analysis/index.js';
export { DRAIN_MAX_MS, GROUP_FORMATION_MAX_MS, firstUnformedGroup, PLANTED_BUGS, replayCommand, runExperiment, runScenario, RunSetupError, TimelineError, type DescribeGroups, type ExperimentOptions, type ExperimentResult, type FormingGroup, type FormingMember, type MemberHoldings, type PlantedBug, type RunOptions } from './experiment/runner/index.js';
export { formatDurationMs, formatMetricValue, formatTables, markdownTables, speedUpFactor, speedUpInWords, summarize, writeReport, type ExperimentResultLike, type MetricSummary, type MetricSummaryRow, type WriteReportOptions } from './experiment/report/index.js';
export { builtinExperiments, loadExperiment, type BuiltinExperiment } from './experiment/builtins.js';
