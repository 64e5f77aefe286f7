/**
 * Kafka's `RangeAssignor` ("range"), the default first choice of Kafka's consumers. Topic by topic: the
 * topic's subscribers in member order (static members by instance id, then the others by member id)
 * split its partitions into contiguous ranges; with P partitions and N subscribers each gets P / N
 * and the first P % N get one more.
 *
 * Two consumers c0, c1 on topics t0, t1 of 3 partitions each: c0 [t0-0, t0-1, t1-0, t1-1], c1 [t0-2, t1-2].
 * Per topic the counts differ by at most one, but the extra partitions of every topic go to the same
 * first members, so totals can differ by as many partitions as there are topics. In exchange, members
 * with the same subscription get the same partition numbers of co-partitioned topics (useful for joins).
 *
 * Kafka's rack-aware variant (KIP-881) needs each partition's replica racks, which this input does not
 * carry; without them Kafka runs exactly this algorithm.
 *
 * Cost: O(C log C + S + T log T + P) for C members, S subscriptions, T topics and P assigned partitions.
 */
import { AssignmentCollector, prepareGroup } from './prepared-group.js';
import type { GroupAssignment, GroupAssignmentInput, PartitionAssignor } from './types.js';

export const RANGE_ASSIGNOR_NAME = 'range';

export const rangeAssignor: PartitionAssignor = {
  name: RANGE_ASSIGNOR_NAME,
  supportedProtocols: ['EAGER'],
  assign(input: GroupAssignmentInput): GroupAssignment {
    const group = prepareGroup(input);
    const collector = new AssignmentCollector(group);
    for (const { topic, partitionCount, subscribers } of group.topics) {
      const perMember = Math.floor(partitionCount / subscribers.length);
      const membersWithExtra = partitionCount % subscribers.length;
      let next = 0;
      for (let i = 0; i < subscribers.length; i++) {
        const count = perMember + (i < membersWithExtra ? 1 : 0);
        // Past the members with an extra partition, a zero share stays zero for everyone after.
        if (count === 0) break;
        collector.add(subscribers[i]!, topic, next, 1, count);
        next += count;
      }
    }
    return { assignments: collector.finish() };
  },
};
