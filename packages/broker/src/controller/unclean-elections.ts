/**
 * Unclean leader elections in a batch of records, so the controller can warn and count them (Kafka's
 * UncleanLeaderElectionsPerSec). An unclean election is the PartitionChange flagged RECOVERING (KIP-704): its leader
 * came from outside the ISR, so records acknowledged by the old ISR that it lacks are gone.
 */
import type { Logger } from '@kactor/runtime';
import type { MetadataRecord } from './metadata-records.js';
import type { ControllerState } from './metadata-state.js';

export interface UncleanElection {
  readonly topic: string;
  readonly partition: number;
  readonly leader: number;
}

export function uncleanElectionsIn(state: ControllerState, records: readonly MetadataRecord[]): UncleanElection[] {
  const elections: UncleanElection[] = [];
  for (const record of records) {
    if (record.type !== 'PartitionChange' || record.leaderRecoveryState !== 'RECOVERING' || record.leader === undefined) continue;
    elections.push({ topic: state.topicNamesById[record.topicId] ?? record.topicId, partition: record.partitionId, leader: record.leader });
  }
  return elections;
}

/** Logs one warning per unclean election in `records` and returns how many there were. */
export function warnUncleanElections(logger: Logger, state: ControllerState, records: readonly MetadataRecord[]): number {
  const elections = uncleanElectionsIn(state, records);
  for (const election of elections) {
    logger.warn(
      { topic: election.topic, partition: election.partition, leader: election.leader },
      'unclean leader election: a replica outside the ISR now leads, so acknowledged records it lacks may be lost',
    );
  }
  return elections.length;
}
