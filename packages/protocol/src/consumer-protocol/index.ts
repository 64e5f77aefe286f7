/**
 * Kafka's embedded consumer protocol: the bytes consumers put in JoinGroup metadata (their
 * subscription) and the leader puts in SyncGroup (each member's assignment), byte-exact with Kafka's
 * `ConsumerProtocol` so kactor consumers and Kafka's own clients can share a group.
 *
 * ```ts
 * const metadata = encodeSubscription({ topics: ['orders'], ownedPartitions: [], generationId: -1 });
 * // JoinGroup { protocolType: CONSUMER_PROTOCOL_TYPE, protocols: [{ name: 'range', metadata }] }
 * const subscription = decodeSubscription(member.metadata);
 * if (!subscription.ok) throw new Error(subscription.problem.message);
 * const bytes = encodeAssignment({ assignedPartitions: [{ topic: 'orders', partitions: [0, 1] }] });
 * const mine = decodeAssignment(syncGroupResponse.assignment); // empty bytes: nothing assigned
 * ```
 */
export {
  CONSUMER_PROTOCOL_LATEST_VERSION,
  CONSUMER_PROTOCOL_TYPE,
  ConsumerProtocolEncodeError,
} from './types.js';
export type {
  ConsumerProtocolAssignment,
  ConsumerProtocolAssignmentInput,
  ConsumerProtocolDecodeResult,
  ConsumerProtocolProblem,
  ConsumerProtocolSubscription,
  ConsumerProtocolSubscriptionInput,
  ConsumerProtocolTopicPartitions,
} from './types.js';
export { decodeSubscription, encodeSubscription } from './subscription.js';
export { decodeAssignment, encodeAssignment } from './assignment.js';
