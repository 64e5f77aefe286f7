/**
 * Kafka's default server-side assignor, `uniform` (`UniformAssignor`, KIP-848): balanced first, then
 * sticky to each member's current target assignment. A group whose members all subscribe to the same
 * topics takes the quota-based homogeneous builder; any other takes the heterogeneous one, which balances
 * topic by topic.
 *
 * Racks: Kafka 4.4's uniform builders do not read racks (`racksForPartition` is never called), and neither
 * does this one.
 */
import type { ServerAssignorGroupSpec, ServerGroupAssignment, ServerPartitionAssignor, SubscribedTopicDescriber } from './server-assignor.js';
import { assignHeterogeneous } from './uniform-heterogeneous.js';
import { assignHomogeneous } from './uniform-homogeneous.js';

export const UNIFORM_ASSIGNOR_NAME = 'uniform';

export const uniformAssignor: ServerPartitionAssignor = {
  name: UNIFORM_ASSIGNOR_NAME,
  assign(group: ServerAssignorGroupSpec, topics: SubscribedTopicDescriber): ServerGroupAssignment {
    if (group.members.length === 0) return { members: new Map() };
    return group.subscriptionType === 'HOMOGENEOUS' ? assignHomogeneous(group, topics) : assignHeterogeneous(group, topics);
  },
};
