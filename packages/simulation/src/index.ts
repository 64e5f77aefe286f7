/**
 * @kactor/simulation: whole kactor clusters in one process, on one simulated clock and the in-memory
 * network, deterministic by seed; the real clients against them; faults and checkers for experiments.
 *
 * ```ts
 * import { GroupClients } from '@kactor/simulation';
 *
 * const clients = new GroupClients(seed);          // three brokers, seeded
 * await clients.cluster.startAll();
 * await clients.createTopic('orders', 3);
 * await clients.fill('orders', 3, 10);             // acks=all, waits for every acknowledgement
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
export { findReplicaDivergence, type ReplicaDivergence, type ReplicaLog } from './checkers/replica-divergence.js';
export { EpochWatch, findEpochRegressions, type EpochRegression } from './checkers/epochs.js';
export { findDoubleOwners, Ownership, type DoubleOwner } from './checkers/group-ownership.js';
