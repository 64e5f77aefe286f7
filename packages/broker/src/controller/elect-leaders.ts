/**
 * The controller's side of ElectLeaders (api key 43; ReplicationControlManager.electLeaders and electLeader).
 * PREFERRED gives leadership back to the first assigned replica when it is in the ISR and live; UNCLEAN elects a
 * leader for a leaderless partition, from outside the ISR if no ISR member is live (ISR = [it], acknowledged records
 * it lacks are lost: the record is flagged RECOVERING so the loss is counted). A partition already led as asked is
 * ELECTION_NOT_NEEDED; a request naming no partitions (null) tries every partition and, as Kafka does, leaves those
 * out of the answer. Pure: the caller appends the records.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { electionTypes, errorByName, quotedName } from '@kactor/protocol';
import { electLeaderWithIsr, electPreferredLeader, type BrokerStatuses } from './elections.js';
import type { PartitionChangeRecord } from './metadata-records.js';
import type { ControllerState, TopicRegistration } from './metadata-state.js';

type TopicResult = ResponseBody<'electLeaders'>['replicaElectionResults'][number];

export interface ElectLeadersOutcome {
  readonly records: PartitionChangeRecord[];
  readonly body: ResponseBody<'electLeaders'>;
}

type PartitionOutcome = { readonly error: ErrorName; readonly message: string | null; readonly record?: PartitionChangeRecord };

function electOne(topic: TopicRegistration | undefined, topicName: string, partitionIndex: number, electionType: number, brokers: BrokerStatuses): PartitionOutcome {
  if (topic === undefined) return { error: 'UNKNOWN_TOPIC_OR_PARTITION', message: `no topic ${quotedName(topicName)}` };
  const partition = topic.partitions[partitionIndex];
  if (partition === undefined) return { error: 'UNKNOWN_TOPIC_OR_PARTITION', message: `no partition ${partitionIndex} in topic ${quotedName(topicName)}` };
  const base = { type: 'PartitionChange' as const, topicId: topic.topicId, partitionId: partitionIndex };
  if (electionType === electionTypes.PREFERRED) {
    const election = electPreferredLeader(partition, brokers);
    if (!election.ok) return { error: election.error, message: null };
    return { error: 'NONE', message: null, record: { ...base, leader: election.leader } };
  }
  if (partition.leader !== -1) return { error: 'ELECTION_NOT_NEEDED', message: null };
  const election = electLeaderWithIsr(partition, partition.isr, brokers, { uncleanLeaderElectionEnable: true });
  if (election.leader === -1) return { error: 'ELIGIBLE_LEADERS_NOT_AVAILABLE', message: null };
  const record: PartitionChangeRecord = { ...base, leader: election.leader, isr: [...election.isr] };
  if (election.unclean) record.leaderRecoveryState = 'RECOVERING';
  return { error: 'NONE', message: null, record };
}

export function electLeaders(state: ControllerState, body: RequestBody<'electLeaders'>, brokers: BrokerStatuses = state.brokers): ElectLeadersOutcome {
  const records: PartitionChangeRecord[] = [];
  const results: TopicResult[] = [];
  const electAll = body.topicPartitions === null;
  const asked =
    body.topicPartitions ?? Object.values(state.topics).map((topic) => ({ topic: topic.name, partitions: topic.partitions.map((partition) => partition.partitionIndex) }));
  // A partition named twice is elected and answered once: a second record would bump its epochs again.
  const seen = new Set<string>();
  for (const { topic: topicName, partitions } of asked) {
    const topic = state.topics[topicName];
    const partitionResult: TopicResult['partitionResult'] = [];
    for (const partitionIndex of partitions) {
      const key = `${topicName}\u0000${partitionIndex}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const outcome = electOne(topic, topicName, partitionIndex, body.electionType, brokers);
      if (outcome.record !== undefined) records.push(outcome.record);
      if (electAll && outcome.error === 'ELECTION_NOT_NEEDED') continue;
      partitionResult.push({ partitionId: partitionIndex, errorCode: errorByName(outcome.error).code, errorMessage: outcome.message });
    }
    if (partitionResult.length > 0 || (!electAll && partitions.length === 0)) results.push({ topic: topicName, partitionResult });
  }
  return { records, body: { throttleTimeMs: 0, errorCode: 0, replicaElectionResults: results } };
}
