/**
 * The checks Kafka's GroupMetadataManager makes before it looks at a ConsumerGroupHeartbeat (KIP-848):
 * the request's own consistency (throwIfConsumerGroupHeartbeatRequestIsInvalid) and the member epoch it carries
 * (throwIfConsumerGroupMemberEpochIsInvalid), returned as data instead of thrown.
 */
import type { ErrorName, RequestBody, TopicIdPartitions } from '@kactor/protocol';
import { memberEpochs } from '@kactor/protocol';
import type { Assignment, ConsumerGroupMember } from './consumer-group-data.js';

/** A heartbeat the coordinator refuses: Kafka's error name and a message for the member's log. */
export interface HeartbeatRefusal {
  errorName: ErrorName;
  errorMessage: string;
}

const refuse = (errorName: ErrorName, errorMessage: string): HeartbeatRefusal => ({ errorName, errorMessage });
const blank = (value: string | null): boolean => value !== null && value.trim() === '';

/**
 * Kafka's throwIfConsumerGroupHeartbeatRequestIsInvalid, with KIP-1082's rule that the client always sends its
 * own non-empty member id. A joining member (epoch 0) must send everything a full request has: its rebalance
 * timeout, a subscription, and no owned partitions.
 */
export function consumerGroupHeartbeatRequestProblem(request: RequestBody<'consumerGroupHeartbeat'>, supportedAssignors: readonly string[]): HeartbeatRefusal | null {
  if (request.groupId.trim() === '') return refuse('INVALID_REQUEST', 'The group id is empty.');
  if (request.memberId.trim() === '') return refuse('INVALID_REQUEST', 'The member id is empty: the consumer generates its own (KIP-1082).');
  if (blank(request.instanceId)) return refuse('INVALID_REQUEST', 'The instance id is empty.');
  if (blank(request.rackId)) return refuse('INVALID_REQUEST', 'The rack id is empty.');
  // kactor subscribes by topic names only; a regular expression subscription would be silently ignored otherwise.
  if (request.subscribedTopicRegex !== null) return refuse('INVALID_REQUEST', 'Subscribing by regular expression is not supported.');
  const epoch = request.memberEpoch;
  if (epoch === memberEpochs.join) {
    if (request.rebalanceTimeoutMs === -1) return refuse('INVALID_REQUEST', 'A joining member must send its rebalance timeout.');
    if (request.topicPartitions === null || request.topicPartitions.length > 0) return refuse('INVALID_REQUEST', 'A joining member must send an empty list of owned partitions.');
    if (request.subscribedTopicNames === null || request.subscribedTopicNames.length === 0) return refuse('INVALID_REQUEST', 'A joining member must send the topics it subscribes to.');
  } else if (epoch === memberEpochs.leaveStatic) {
    if (request.instanceId === null) return refuse('INVALID_REQUEST', 'Only a static member (with an instance id) may leave with epoch -2.');
  } else if (epoch < memberEpochs.leaveStatic) {
    return refuse('INVALID_REQUEST', `The member epoch ${epoch} is invalid.`);
  }
  if (request.serverAssignor !== null && !supportedAssignors.includes(request.serverAssignor)) {
    return refuse('UNSUPPORTED_ASSIGNOR', `The server assignor ${request.serverAssignor} is not supported; the supported ones are ${supportedAssignors.join(', ')}.`);
  }
  return null;
}

/**
 * Kafka's throwIfConsumerGroupMemberEpochIsInvalid: an epoch ahead of the coordinator's is fenced; one behind is
 * accepted only when it is the member's previous epoch and it owns nothing beyond its current assignment (the
 * answer that moved it to the new epoch was lost); any other is fenced. A fenced member gives up its partitions
 * and rejoins with epoch 0.
 */
export function consumerGroupMemberEpochProblem(member: ConsumerGroupMember, receivedMemberEpoch: number, ownedTopicPartitions: readonly TopicIdPartitions[] | null): HeartbeatRefusal | null {
  if (receivedMemberEpoch > member.memberEpoch) {
    return refuse('FENCED_MEMBER_EPOCH', `The member epoch ${receivedMemberEpoch} is ahead of the coordinator's ${member.memberEpoch}; the member must give up its partitions and rejoin.`);
  }
  if (receivedMemberEpoch < member.memberEpoch && (receivedMemberEpoch !== member.previousMemberEpoch || !isSubset(ownedTopicPartitions, member.assignedPartitions))) {
    return refuse('FENCED_MEMBER_EPOCH', `The member epoch ${receivedMemberEpoch} is behind the coordinator's ${member.memberEpoch}; the member must give up its partitions and rejoin.`);
  }
  return null;
}

/** Kafka's isSubset: not knowing what the member owns is not a subset. */
function isSubset(owned: readonly TopicIdPartitions[] | null, assigned: Assignment): boolean {
  if (owned === null) return false;
  return owned.every(({ topicId, partitions }) => {
    const current = assigned[topicId];
    return current !== undefined && partitions.every((partition) => current.includes(partition));
  });
}
