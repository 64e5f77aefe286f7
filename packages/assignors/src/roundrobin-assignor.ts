/**
 * Kafka's `RoundRobinAssignor` ("roundrobin"). All partitions of all subscribed topics, sorted by topic
 * then partition, are dealt one at a time to the members in member order (static members by instance
 * id, then the others by member id), going round in a circle; a member not subscribed to a partition's
 * topic is passed over. With identical subscriptions the counts differ by at most one; with different
 * ones they may not (c0 on t0, c1 on t0 and t1, c2 on all of t0-t2 with 1, 2, 3 partitions: c0 [t0-0],
 * c1 [t1-0], c2 [t1-1, t2-0, t2-1, t2-2]).
 *
 * Kafka walks the circle member by member, which costs O(C) per partition when few members subscribe
 * to a topic. Here each topic finds its first subscriber at or after the circle's position by binary
 * search in its sorted subscriber list; going round that list, the j-th subscriber from there gets
 * every n-th partition starting at j. Same owners as Kafka, at O(C log C + S + T log C + P) in all.
 */
import { AssignmentCollector, prepareGroup } from './prepared-group.js';
import type { GroupAssignment, GroupAssignmentInput, PartitionAssignor } from './types.js';

export const ROUNDROBIN_ASSIGNOR_NAME = 'roundrobin';

export const roundRobinAssignor: PartitionAssignor = {
  name: ROUNDROBIN_ASSIGNOR_NAME,
  supportedProtocols: ['EAGER'],
  assign(input: GroupAssignmentInput): GroupAssignment {
    const group = prepareGroup(input);
    const collector = new AssignmentCollector(group);
    const memberCount = group.members.length;
    // The circle's position: the member that gets the next partition if it subscribes to its topic.
    let cursor = 0;
    for (const { topic, partitionCount, subscribers } of group.topics) {
      // Dealing starts at the first subscriber at or after the cursor; going round the subscriber list,
      // the j-th subscriber from there gets partitions j, j + n, j + 2n, ... for n subscribers.
      const start = firstAtOrAfter(subscribers, cursor);
      const n = subscribers.length;
      const receivers = Math.min(n, partitionCount);
      for (let j = 0; j < receivers; j++) {
        const count = Math.ceil((partitionCount - j) / n);
        collector.add(subscribers[(start + j) % n]!, topic, j, n, count);
      }
      const lastOwner = subscribers[(start + partitionCount - 1) % n]!;
      cursor = lastOwner + 1 === memberCount ? 0 : lastOwner + 1;
    }
    return { assignments: collector.finish() };
  },
};

/** Index of the first value >= `target` in ascending `values`, wrapping to 0 when there is none. */
function firstAtOrAfter(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low === values.length ? 0 : low;
}
