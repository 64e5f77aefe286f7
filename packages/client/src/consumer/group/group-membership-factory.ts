/**
 * Picks the membership for a consumer's group.protocol: the classic protocol's (JoinGroup/SyncGroup) or
 * KIP-848's consumer protocol (ConsumerGroupHeartbeat). Both implement the same seam (group-membership.ts),
 * so the rest of the consumer does not know which one runs.
 */
import { ClassicMembership, type MembershipHostOptions } from './classic-membership.js';
import { ConsumerMembership } from './consumer-protocol/consumer-membership.js';
import type { GroupMembership } from './group-membership.js';

export type { MembershipHostOptions } from './classic-membership.js';

export function createGroupMembership(options: MembershipHostOptions): GroupMembership {
  return options.config.groupProtocol === 'consumer' ? new ConsumerMembership(options) : new ClassicMembership(options);
}
