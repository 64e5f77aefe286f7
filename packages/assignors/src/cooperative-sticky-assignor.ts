/**
 * Kafka's `CooperativeStickyAssignor` ("cooperative-sticky", KIP-429): the sticky assignment, minus
 * every partition that changes owner. Members keep consuming what they keep; the old owner revokes the
 * withheld partitions, rejoins at once (it lost partitions), and the next rebalance hands them out.
 * So no partition ever has two owners, and a rebalance does not stop the whole group.
 *
 * Owned partitions and generation come from the subscription (v2+ `ownedPartitions` and
 * `generationId`). A subscription without a generation (v1) carries it in userData, Kafka's
 * `CooperativeStickyAssignorUserData`: one int32 (`encodeCooperativeStickyAssignorUserData`); the
 * owned partitions always come from the subscription. The assignment carries no userData.
 *
 * Supports COOPERATIVE and EAGER: a group whose members also list an eager-only assignor runs eager.
 * Eager members revoke everything before rejoining and report no owned partitions, so then nothing is
 * withheld and nothing is sticky: the assignment is balanced, as from scratch.
 */
import { assignSticky } from './sticky-assignment.js';
import { decodeCooperativeStickyAssignorUserData } from './sticky-user-data.js';
import type { GroupAssignment, GroupAssignmentInput, GroupMember, PartitionAssignor } from './types.js';
import type { ClaimedPartitions } from './sticky-group.js';

export const COOPERATIVE_STICKY_ASSIGNOR_NAME = 'cooperative-sticky';

/** Kafka's `CooperativeStickyAssignor.memberData`. */
function memberData(member: GroupMember): ClaimedPartitions {
  const partitions = member.ownedPartitions ?? [];
  const generationId = member.generationId ?? -1;
  if (generationId >= 0) return { partitions, generation: generationId };
  const generation = decodeCooperativeStickyAssignorUserData(member.userData);
  return generation === undefined ? { partitions } : { partitions, generation };
}

export const cooperativeStickyAssignor: PartitionAssignor = {
  name: COOPERATIVE_STICKY_ASSIGNOR_NAME,
  supportedProtocols: ['COOPERATIVE', 'EAGER'],
  assign(input: GroupAssignmentInput): GroupAssignment {
    return assignSticky(input, { memberData, cooperative: true });
  },
};
