/**
 * ConsumerGroupDescribe (Kafka api key 69, KIP-848): a consumer group's epochs, assignor and members, each with
 * its current and target assignment. kactor adds each member's reconciliation state (Kafka's MemberState name:
 * STABLE, UNREVOKED_PARTITIONS, UNRELEASED_PARTITIONS) and the partitions it still has to revoke, which Kafka
 * keeps in its records but does not describe, because they are what a researcher watching a rebalance needs.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int8, kafkaString, nullableString, partitionIndexes } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const describedTopicPartitions = boundedArray(
  z.strictObject({ topicId: kafkaString, topicName: kafkaString, partitions: partitionIndexes }),
  wireLimits.maxTopicsPerRequest,
);

export const consumerGroupDescribeRequestV0 = z.strictObject({
  groupIds: boundedArray(kafkaString, wireLimits.maxGroupsPerRequest),
  includeAuthorizedOperations: z.boolean(),
});

export const consumerGroupDescribeMember = z.strictObject({
  memberId: kafkaString,
  instanceId: nullableString,
  rackId: nullableString,
  memberEpoch: int32,
  clientId: kafkaString,
  clientHost: kafkaString,
  subscribedTopicNames: boundedArray(kafkaString, wireLimits.maxTopicsPerRequest),
  subscribedTopicRegex: nullableString,
  assignment: z.strictObject({ topicPartitions: describedTopicPartitions }),
  targetAssignment: z.strictObject({ topicPartitions: describedTopicPartitions }),
  /** Kafka's memberType (v1): -1 unknown, 0 classic, 1 consumer. */
  memberType: int8,
  /** kactor: the member's reconciliation state (Kafka's MemberState name). */
  memberState: kafkaString,
  /** kactor: partitions the member was asked to give up and still owns. */
  partitionsPendingRevocation: describedTopicPartitions,
});

export const consumerGroupDescribeResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  groups: boundedArray(
    z.strictObject({
      errorCode: int16,
      errorMessage: nullableString,
      groupId: kafkaString,
      /** Kafka's names: Empty, Assigning, Reconciling, Stable, Dead. */
      groupState: kafkaString,
      groupEpoch: int32,
      assignmentEpoch: int32,
      assignorName: kafkaString,
      members: boundedArray(consumerGroupDescribeMember, wireLimits.maxGroupMembers),
      authorizedOperations: int32,
    }),
    wireLimits.maxGroupsPerRequest,
  ),
});
