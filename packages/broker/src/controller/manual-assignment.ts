/**
 * A topic created with its replicas named by hand (CreateTopics `assignments`; `kactor topics create
 * --replica-assignment 0:1:2,1:2:0`), checked as KRaft's ReplicationControlManager.createTopic checks it: the
 * partition count and replication factor must then be -1; each partition is named once, the partitions run 0..n-1,
 * every list is non-empty, has no broker twice, names only registered brokers and is as long as the others; and each
 * partition needs at least one active (unfenced, not shutting down) broker, which becomes its leader.
 */
import type { ErrorName } from '@kactor/protocol';
import { isEligibleLeader } from './elections.js';
import type { ControllerState } from './metadata-state.js';

export interface ManualAssignment {
  partitionIndex: number;
  brokerIds: readonly number[];
}

export type ManualAssignmentOutcome =
  | { ok: true; replicaLists: number[][] }
  | { ok: false; errorName: Extract<ErrorName, 'INVALID_REQUEST' | 'INVALID_REPLICA_ASSIGNMENT'>; errorMessage: string };

const refuse = (errorName: 'INVALID_REQUEST' | 'INVALID_REPLICA_ASSIGNMENT', errorMessage: string): ManualAssignmentOutcome => ({ ok: false, errorName, errorMessage });

function replicaListProblem(brokerIds: readonly number[], state: ControllerState, replicationFactor: number | undefined): string | undefined {
  if (brokerIds.length === 0) return 'the manual partition assignment has an empty replica list';
  const seen = new Set<number>();
  for (const brokerId of brokerIds) {
    if (seen.has(brokerId)) return `the manual partition assignment names broker ${brokerId} more than once`;
    seen.add(brokerId);
    if (state.brokers[brokerId] === undefined) return `the manual partition assignment names broker ${brokerId}, which is not registered`;
  }
  if (replicationFactor !== undefined && brokerIds.length !== replicationFactor) {
    return `the manual partition assignment has a partition with ${brokerIds.length} replica(s), unlike the earlier partitions, which have ${replicationFactor}`;
  }
  return undefined;
}

export function checkManualAssignment(
  assignments: readonly ManualAssignment[],
  requested: { numPartitions: number; replicationFactor: number },
  state: ControllerState,
): ManualAssignmentOutcome {
  if (requested.replicationFactor !== -1) return refuse('INVALID_REQUEST', 'a manual partition assignment was given, so the replication factor must be -1');
  if (requested.numPartitions !== -1) return refuse('INVALID_REQUEST', 'a manual partition assignment was given, so the number of partitions must be -1');
  const byPartition = new Map<number, number[]>();
  let replicationFactor: number | undefined;
  for (const assignment of assignments) {
    if (byPartition.has(assignment.partitionIndex)) return refuse('INVALID_REPLICA_ASSIGNMENT', `partition ${assignment.partitionIndex} is assigned more than once`);
    const problem = replicaListProblem(assignment.brokerIds, state, replicationFactor);
    if (problem !== undefined) return refuse('INVALID_REPLICA_ASSIGNMENT', problem);
    replicationFactor = assignment.brokerIds.length;
    if (!assignment.brokerIds.some((brokerId) => isEligibleLeader(brokerId, state.brokers))) {
      return refuse('INVALID_REPLICA_ASSIGNMENT', `every broker assigned to partition ${assignment.partitionIndex} is fenced or in controlled shutdown`);
    }
    byPartition.set(assignment.partitionIndex, [...assignment.brokerIds]);
  }
  const replicaLists: number[][] = [];
  for (let partition = 0; partition < byPartition.size; partition += 1) {
    const replicas = byPartition.get(partition);
    if (replicas === undefined) return refuse('INVALID_REPLICA_ASSIGNMENT', 'the assigned partitions must be numbered 0, 1, 2, ... without gaps');
    replicaLists.push(replicas);
  }
  return { ok: true, replicaLists };
}
