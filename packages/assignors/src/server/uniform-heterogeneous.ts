/**
 * The `uniform` assignor when members subscribe to different topics (Kafka's
 * `UniformHeterogeneousAssignmentBuilder`, KIP-848). Balance first, then stickiness, in three steps:
 *
 * 1. Each member keeps its current target assignment of the topics it still subscribes to.
 * 2. Partitions nobody holds go, topic by topic, to the topic's least loaded subscribers in turn. Topics
 *    with the most partitions per subscriber go first (ties: fewer subscribers, then topic id), because
 *    they are the hardest to spread.
 * 3. Topic by topic in the same order, partitions move from the topic's most loaded subscribers to its
 *    least loaded until their counts differ by at most one; the round over all topics repeats until a
 *    whole round moves nothing, or 16 rounds (Kafka's bound: overlapping subscriptions converge slowly,
 *    each round roughly halves the imbalance).
 *
 * Members are numbered in the group's order, and that number breaks every tie between members.
 */
import { compareTopicIds } from './java-uuid-order.js';
import { MemberLoadBalancer } from './member-load-balancer.js';
import { PartitionAssignorError } from './server-assignor-errors.js';
import type {
  ServerAssignorGroupSpec,
  ServerGroupAssignment,
  SubscribedTopicDescriber,
  TopicIdPartitionSets,
} from './server-assignor.js';
import { deepCopy } from './uniform-homogeneous.js';

/** Kafka's MAX_ITERATION_COUNT: rounds of step 3 before the assignment is taken as it is. */
const MAX_BALANCING_ROUNDS = 16;

class HeterogeneousBuilder {
  private readonly memberIds: string[];
  /** Each member's target assignment; the input's own map until the first change, then a copy. */
  private readonly assignments: TopicIdPartitionSets[];
  private readonly copied: boolean[];
  private readonly sizes: Int32Array;
  /** Subscribers of each subscribed topic, as member numbers in ascending order. */
  private readonly subscribers = new Map<string, number[]>();
  private readonly partitionCounts = new Map<string, number>();
  /** The member number holding each partition in the target assignment, -1 for none. */
  private readonly owners = new Map<string, Int32Array>();

  constructor(
    private readonly group: ServerAssignorGroupSpec,
    topics: SubscribedTopicDescriber,
  ) {
    this.memberIds = group.members.map((member) => member.memberId);
    this.assignments = group.members.map((member) => member.assignedPartitions);
    this.copied = group.members.map(() => false);
    this.sizes = new Int32Array(group.members.length);
    group.members.forEach((member, index) => {
      for (const topicId of member.subscribedTopicIds) {
        let subscribers = this.subscribers.get(topicId);
        if (subscribers === undefined) {
          const count = topics.numPartitions(topicId);
          if (count === -1) {
            throw new PartitionAssignorError(`Members are subscribed to topic ${topicId} which doesn't exist in the topic metadata.`);
          }
          this.partitionCounts.set(topicId, count);
          this.owners.set(topicId, new Int32Array(count).fill(-1));
          subscribers = [];
          this.subscribers.set(topicId, subscribers);
        }
        subscribers.push(index);
      }
    });
  }

  build(): ServerGroupAssignment {
    // No member subscribes to anything: every member's target is empty (Kafka returns no assignment at all).
    if (this.subscribers.size === 0) this.assignments.fill(new Map());
    else {
      this.keepSubscribedPartitions();
      this.assignUnownedPartitions();
      this.balanceTopics();
    }
    const members = new Map<string, TopicIdPartitionSets>();
    this.memberIds.forEach((memberId, index) => members.set(memberId, this.assignments[index]!));
    return { members };
  }

  private keepSubscribedPartitions(): void {
    this.group.members.forEach((member, index) => {
      for (const [topicId, partitions] of member.assignedPartitions) {
        if (member.subscribedTopicIds.has(topicId)) {
          this.sizes[index]! += partitions.size;
          const owners = this.owners.get(topicId)!;
          for (const partition of partitions) owners[partition] = index;
        } else {
          this.writable(index).delete(topicId);
        }
      }
    });
  }

  private assignUnownedPartitions(): void {
    const unowned = new Map<string, number[]>();
    for (const [topicId, owners] of this.owners) {
      const partitions: number[] = [];
      for (let partition = 0; partition < owners.length; partition++) if (owners[partition] === -1) partitions.push(partition);
      if (partitions.length > 0) unowned.set(topicId, partitions);
    }
    const balancer = new MemberLoadBalancer(this.sizes);
    for (const topicId of this.sortTopics([...unowned.keys()])) {
      balancer.initialize(this.subscribers.get(topicId)!);
      for (const partition of unowned.get(topicId)!) this.assign(topicId, partition, balancer.nextLeastLoadedMember());
    }
  }

  private balanceTopics(): void {
    // A topic with one subscriber has nowhere to move its partitions.
    const movable = [...this.subscribers.keys()].filter((topicId) => this.subscribers.get(topicId)!.length >= 2);
    if (movable.length === 0) return;
    const sorted = this.sortTopics(movable);
    const balancer = new MemberLoadBalancer(this.sizes);
    let lastTopicThatMoved = -1;
    for (let round = 0; round < MAX_BALANCING_ROUNDS; round++) {
      for (let index = 0; index < sorted.length; index++) {
        // Back at the last topic that moved something: a whole round moved nothing since.
        if (index === lastTopicThatMoved) return;
        const moved = this.balanceTopic(sorted[index]!, balancer);
        if (moved > 0 || lastTopicThatMoved === -1) lastTopicThatMoved = index;
      }
    }
  }

  /** Moves the topic's partitions from its most to its least loaded subscribers; returns how many moved. */
  private balanceTopic(topicId: string, balancer: MemberLoadBalancer): number {
    if (balancer.initialize(this.subscribers.get(topicId)!) <= 1) return 0;
    const owners = this.owners.get(topicId)!;
    // The topic's partitions grouped by owner, so each owner's share is a slice taken from its end.
    const partitions = Array.from({ length: owners.length }, (_, partition) => partition);
    partitions.sort((a, b) => owners[a]! - owners[b]! || a - b);
    const sliceStart = new Map<number, number>();
    const sliceEnd = new Map<number, number>();
    partitions.forEach((partition, position) => {
      const owner = owners[partition]!;
      if (!sliceStart.has(owner)) sliceStart.set(owner, position);
      sliceEnd.set(owner, position + 1);
    });
    let moved = 0;
    while (!balancer.isBalanced()) {
      let giver = balancer.nextMostLoadedMember();
      while (giver !== -1 && (sliceEnd.get(giver) ?? 0) - (sliceStart.get(giver) ?? 0) <= 0) {
        balancer.excludeMostLoadedMember();
        giver = balancer.nextMostLoadedMember();
      }
      if (giver === -1) break;
      const end = sliceEnd.get(giver)! - 1;
      sliceEnd.set(giver, end);
      const receiver = balancer.nextLeastLoadedMember();
      if (balancer.isBalanced()) break;
      this.assign(topicId, partitions[end]!, receiver);
      moved++;
    }
    return moved;
  }

  /** Most partitions per subscriber first, then fewer subscribers, then topic id. */
  private sortTopics(topicIds: string[]): string[] {
    const ratio = (topicId: string): number => this.partitionCounts.get(topicId)! / this.subscribers.get(topicId)!.length;
    return topicIds.sort((a, b) => {
      const byRatio = ratio(b) - ratio(a);
      if (byRatio !== 0) return byRatio < 0 ? -1 : 1;
      const bySubscribers = this.subscribers.get(a)!.length - this.subscribers.get(b)!.length;
      if (bySubscribers !== 0) return bySubscribers;
      return compareTopicIds(a, b);
    });
  }

  private assign(topicId: string, partition: number, member: number): void {
    const owners = this.owners.get(topicId)!;
    const previous = owners[partition]!;
    if (previous !== -1) {
      const assignment = this.writable(previous);
      const partitions = assignment.get(topicId);
      if (partitions !== undefined) {
        partitions.delete(partition);
        if (partitions.size === 0) assignment.delete(topicId);
      }
      this.sizes[previous]!--;
    }
    const assignment = this.writable(member);
    let partitions = assignment.get(topicId);
    if (partitions === undefined) {
      partitions = new Set();
      assignment.set(topicId, partitions);
    }
    partitions.add(partition);
    owners[partition] = member;
    this.sizes[member]!++;
  }

  /** The member's assignment, copied on its first change so the input is never touched. */
  private writable(member: number): Map<string, Set<number>> {
    if (!this.copied[member]) {
      this.assignments[member] = deepCopy(this.assignments[member]!);
      this.copied[member] = true;
    }
    return this.assignments[member] as Map<string, Set<number>>;
  }
}

export function assignHeterogeneous(group: ServerAssignorGroupSpec, topics: SubscribedTopicDescriber): ServerGroupAssignment {
  return new HeterogeneousBuilder(group, topics).build();
}
