/**
 * @kactor/assignors: Kafka's client-side partition assignors as pure functions. The group leader
 * decodes every member's subscription, asks the assignor the coordinator chose, and encodes each
 * member's share for SyncGroup.
 *
 * ```ts
 * import { decodeSubscription, encodeAssignment } from '@kactor/protocol';
 * import { assignorByName } from '@kactor/assignors';
 *
 * const members = joinGroupResponse.members.map(({ memberId, groupInstanceId, metadata }) => {
 *   const subscription = decodeSubscription(metadata);
 *   if (!subscription.ok) throw new Error(subscription.problem.message);
 *   return { memberId, groupInstanceId, ...subscription.value };
 * });
 * const { assignments } = assignorByName(joinGroupResponse.protocolName!).assign({
 *   partitionsPerTopic: new Map([['orders', 6]]),
 *   members,
 * });
 * const syncAssignments = [...assignments].map(([memberId, share]) => ({ memberId, assignment: encodeAssignment(share) }));
 * ```
 */
export type {
  GroupAssignment,
  GroupAssignmentInput,
  GroupMember,
  MemberAssignment,
  PartitionAssignor,
  RebalanceProtocol,
  TopicPartitions,
} from './types.js';
export { InvalidAssignmentInputError, UnknownAssignorError } from './errors.js';
export { compareMembers } from './member-order.js';
export { RANGE_ASSIGNOR_NAME, rangeAssignor } from './range-assignor.js';
export { ROUNDROBIN_ASSIGNOR_NAME, roundRobinAssignor } from './roundrobin-assignor.js';
export { STICKY_ASSIGNOR_NAME, stickyAssignor } from './sticky-assignor.js';
export { COOPERATIVE_STICKY_ASSIGNOR_NAME, cooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
export {
  DEFAULT_GENERATION,
  decodeCooperativeStickyAssignorUserData,
  decodeStickyAssignorUserData,
  encodeCooperativeStickyAssignorUserData,
  encodeStickyAssignorUserData,
} from './sticky-user-data.js';
export type { StickyMemberData } from './sticky-user-data.js';
export { ASSIGNOR_NAMES, assignorByName, findAssignor } from './registry.js';
export {
  assignedCount,
  balanceViolations,
  baseChecks,
  cooperativeViolations,
  doubleOwnerViolations,
  effectiveTopics,
  nextRoundInput,
  ownershipViolations,
  revokedPartitions,
  shapeViolations,
  subscriptionViolations,
} from './assignment-checks.js';
export type { AssignmentCheck, BalanceRule } from './assignment-checks.js';
export type {
  ServerAssignorGroupSpec,
  ServerAssignorMember,
  ServerGroupAssignment,
  ServerPartitionAssignor,
  SubscribedTopicDescriber,
  SubscriptionType,
  TopicIdPartitionSets,
} from './server/server-assignor.js';
export { PartitionAssignorError } from './server/server-assignor-errors.js';
export { UNIFORM_ASSIGNOR_NAME, uniformAssignor } from './server/uniform-assignor.js';
export { RANGE_SERVER_ASSIGNOR_NAME, rangeServerAssignor } from './server/range-server-assignor.js';
export { SERVER_ASSIGNOR_NAMES, serverAssignorByName } from './server/server-registry.js';
