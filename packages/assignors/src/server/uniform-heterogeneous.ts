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
import { PartitionRange } from './partition-range.js';
import { PartitionAssignorError } from './server-assignor-errors.js';
import { SortedPartitions } from './sorted-partitions.js';
import type {
  ServerAssignorGroupSpec,
  ServerGroupAssignment,
  SubscribedTopicDescriber,
  TopicIdPartitionSets,
} from './server-assignor.js';

/** Kafka's MAX_ITERATION_COUNT: rounds of step 3 before the assignment is taken as it is. */
export const MAX_BALANCING_ROUNDS = 16;

class HeterogeneousBuilder {
  private readonly memberIds: string[];
  /** Members whose target assignment differs from their current one (the others keep their input map). */
  private readonly changed: Uint8Array;
  private readonly sizes: Int32Array;
  /** Subscribers of each subscribed topic, as member numbers in ascending order. */
  private readonly subscribers = new Map<string, number[]>();
  private readonly partitionCounts = new Map<string, number>();
  /** The member number holding each partition in the target assignment, -1 for none. */
  private readonly owners = new Map<string, Int32Array>();

  constructor(
    private readonly group: ServerAssignorGroupSpec,
    topics: SubscribedTopicDescriber,
    private readonly maxBalancingRounds: number,
  ) {
    this.memberIds = group.members.map((member) => member.memberId);
    this.changed = new Uint8Array(group.members.length);
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
    const members = new Map<string, TopicIdPartitionSets>();
    // No member subscribes to anything: every member's target is empty (Kafka returns no assignment at all).
    if (this.subscribers.size === 0) {
      for (const memberId of this.memberIds) members.set(memberId, new Map());
      return { members };
    }
    this.keepSubscribedPartitions();
    this.assignUnownedPartitions();
    this.balanceTopics();
    const rebuilt = this.changedAssignments();
    this.group.members.forEach((member, index) => members.set(member.memberId, rebuilt[index] ?? member.assignedPartitions));
    return { members };
  }

  /**
   * The target assignment of each changed member, read off the partition owners topic by topic (the builder
   * tracks owners and counts only: cheaper than a set per member and topic kept up to date through every move).
   * A member's consecutive partitions of a topic become a `PartitionRange`, others a `SortedPartitions`.
   */
  private changedAssignments(): (Map<string, ReadonlySet<number>> | undefined)[] {
    const memberCount = this.memberIds.length;
    const rebuilt: (Map<string, ReadonlySet<number>> | undefined)[] = this.memberIds.map((_, index) =>
      this.changed[index] === 1 ? new Map() : undefined,
    );
    // Per member, for the topic at hand: its first run of consecutive partitions, then a list once it breaks.
    const runStart = new Int32Array(memberCount).fill(-1);
    const runEnd = new Int32Array(memberCount);
    const lists: (number[] | undefined)[] = new Array<number[] | undefined>(memberCount);
    const touched: number[] = [];
    for (const [topicId, owners] of this.owners) {
      for (let partition = 0; partition < owners.length; partition++) {
        const owner = owners[partition]!;
        if (owner === -1 || this.changed[owner] === 0) continue;
        if (runStart[owner] === -1) {
          runStart[owner] = partition;
          runEnd[owner] = partition + 1;
          touched.push(owner);
        } else if (lists[owner] !== undefined) {
          lists[owner].push(partition);
        } else if (runEnd[owner] === partition) {
          runEnd[owner]!++;
        } else {
          const list: number[] = [];
          for (let held = runStart[owner]!; held < runEnd[owner]!; held++) list.push(held);
          list.push(partition);
          lists[owner] = list;
        }
      }
      for (const owner of touched) {
        const list = lists[owner];
        rebuilt[owner]!.set(topicId, list === undefined ? new PartitionRange(runStart[owner]!, runEnd[owner]!) : new SortedPartitions(list));
        runStart[owner] = -1;
        lists[owner] = undefined;
      }
      touched.length = 0;
    }
    return rebuilt;
  }

  private keepSubscribedPartitions(): void {
    this.group.members.forEach((member, index) => {
      for (const [topicId, partitions] of member.assignedPartitions) {
        if (member.subscribedTopicIds.has(topicId)) {
          this.sizes[index]! += partitions.size;
          const owners = this.owners.get(topicId)!;
          for (const partition of partitions) owners[partition] = index;
        } else {
          this.changed[index] = 1;
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
    for (let round = 0; round < this.maxBalancingRounds; round++) {
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
      this.changed[previous] = 1;
      this.sizes[previous]!--;
    }
    this.changed[member] = 1;
    owners[partition] = member;
    this.sizes[member]!++;
  }
}

/** `maxBalancingRounds` is Kafka's bound; tests pass another to show what the bound changes. */
export function assignHeterogeneous(
  group: ServerAssignorGroupSpec,
  topics: SubscribedTopicDescriber,
  maxBalancingRounds = MAX_BALANCING_ROUNDS,
): ServerGroupAssignment {
  return new HeterogeneousBuilder(group, topics, maxBalancingRounds).build();
}
