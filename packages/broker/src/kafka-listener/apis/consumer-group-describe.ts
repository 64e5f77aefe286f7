/**
 * ConsumerGroupDescribe (key 69, KIP-848) over the Kafka listener, version 0 (flexible). kactor's answer has
 * Kafka's fields plus three of its own for each member (member type, reconciliation state, partitions pending
 * revocation), which Kafka's v0 has no place for and are left out; Kafka's tools show a member's progress by its
 * epoch and its assignment against its target instead.
 */
import type { ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse, ConsumerGroupDescribeResponseAssignment } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

/** Kafka's "authorized operations not requested". */
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;

type KactorAssignment = ResponseBody<'consumerGroupDescribe'>['groups'][number]['members'][number]['assignment'];

function assignment(kactor: KactorAssignment): ConsumerGroupDescribeResponseAssignment {
  return { topicPartitions: kactor.topicPartitions.map((topic) => ({ topicId: topic.topicId, topicName: topic.topicName, partitions: [...topic.partitions] })) };
}

export const consumerGroupDescribeAdapter: KafkaApiAdapter<'ConsumerGroupDescribe', 'consumerGroupDescribe'> = {
  kafkaApi: 'ConsumerGroupDescribe',
  kactorApi: 'consumerGroupDescribe',
  versions: { min: 0, max: 0 },
  toKactorRequest(body: ConsumerGroupDescribeRequest): RequestBody<'consumerGroupDescribe'> {
    return { groupIds: [...body.groupIds], includeAuthorizedOperations: body.includeAuthorizedOperations };
  },
  toKafkaResponse(body: ResponseBody<'consumerGroupDescribe'>): ConsumerGroupDescribeResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      groups: body.groups.map((group) => ({
        errorCode: group.errorCode,
        errorMessage: group.errorMessage,
        groupId: group.groupId,
        groupState: group.groupState,
        groupEpoch: group.groupEpoch,
        assignmentEpoch: group.assignmentEpoch,
        assignorName: group.assignorName,
        members: group.members.map((member) => ({
          memberId: member.memberId,
          instanceId: member.instanceId,
          rackId: member.rackId,
          memberEpoch: member.memberEpoch,
          clientId: member.clientId,
          clientHost: member.clientHost,
          subscribedTopicNames: [...member.subscribedTopicNames],
          subscribedTopicRegex: member.subscribedTopicRegex,
          assignment: assignment(member.assignment),
          targetAssignment: assignment(member.targetAssignment),
        })),
        authorizedOperations: group.authorizedOperations,
      })),
    };
  },
  errorResponse(error: WireError, request: ConsumerGroupDescribeRequest): ConsumerGroupDescribeResponse {
    // As Kafka's ConsumerGroupDescribeRequest.getErrorResponse: every group asked for carries the error.
    return {
      throttleTimeMs: 0,
      groups: request.groupIds.map((groupId) => ({
        errorCode: error.code,
        errorMessage: error.message,
        groupId,
        groupState: '',
        groupEpoch: 0,
        assignmentEpoch: 0,
        assignorName: '',
        members: [],
        authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      })),
    };
  },
};
