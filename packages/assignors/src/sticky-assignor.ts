/**
 * Kafka's `StickyAssignor` ("sticky", KIP-54): balanced like roundrobin, and across rebalances each
 * member keeps as many of its partitions as balance allows. Eager protocol only: members revoke
 * everything before rejoining, so their last assignment travels in the subscription's userData
 * (`StickyAssignorUserData` v1: partitions and generation, KIP-341), and Kafka's leader reads owned
 * partitions and generation from there only, ignoring the subscription's `ownedPartitions` field.
 *
 * As in Kafka, the assignment itself carries no userData: each member writes its own next
 * subscription userData from the assignment it received and the generation it joined
 * (`encodeStickyAssignorUserData`).
 *
 * Two consumers on topics t1, t2 of 3 partitions each: c1 [t1-0, t1-2, t2-1], c2 [t1-1, t2-0, t2-2].
 * When c3 joins, each keeps two and c3 gets one from each.
 */
import { assignSticky } from './sticky-assignment.js';
import { decodeStickyAssignorUserDataCompact, TopicNameCache } from './sticky-user-data.js';
import type { GroupAssignment, GroupAssignmentInput, PartitionAssignor } from './types.js';

export const STICKY_ASSIGNOR_NAME = 'sticky';

export const stickyAssignor: PartitionAssignor = {
  name: STICKY_ASSIGNOR_NAME,
  supportedProtocols: ['EAGER'],
  assign(input: GroupAssignmentInput): GroupAssignment {
    const names = new TopicNameCache();
    return assignSticky(input, {
      memberData: (member) => {
        const { claimed, generation } = decodeStickyAssignorUserDataCompact(member.userData, names);
        return generation === undefined ? { partitions: claimed } : { partitions: claimed, generation };
      },
      cooperative: false,
    });
  },
};
