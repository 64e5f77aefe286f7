/**
 * Kafka's `GeneralAssignmentBuilder` (KIP-54, KAFKA-12675): the sticky assignment when members
 * subscribe to different topics, so the balance has to be found by moving partitions.
 *
 * 1. Members keep what they own of topics they still subscribe to.
 * 2. The other partitions, topics with the fewest potential consumers first (then by name), each go
 *    to the subscribed member holding the fewest partitions (ties: member id).
 * 3. While unbalanced (some member holds 2+ more than another who could take one of its partitions),
 *    partitions are walked in that order: one goes back to its owner of an earlier generation if
 *    that owner holds 2+ fewer, else to the subscribed member with the fewest if it holds 2+ fewer.
 *    First over the newly assigned partitions (unless subscriptions changed), then over all.
 * 4. If that did not lower the sum of pairwise count differences, the moves are undone (not on the
 *    first assignment of a group).
 *
 * Topics with one potential consumer and members that can neither gain nor lose take no part in step 3.
 * Data: owners and counts in typed arrays, consumers in per-subscription heaps (`member-heaps.ts`).
 */
import { MemberHeaps } from './member-heaps.js';
import { PartitionMovements } from './partition-movements.js';
import type { StickyBuild } from './constrained-assignment.js';
import { topicOfPartitions, type StickyGroup } from './sticky-group.js';
import { DEFAULT_GENERATION } from './sticky-user-data.js';

export function buildGeneralAssignment(group: StickyGroup): StickyBuild {
  return new GeneralBuilder(group).build();
}

class GeneralBuilder {
  private readonly memberCount: number;
  private readonly topicOf: Int32Array;
  private readonly owner: Int32Array;
  private readonly counts: Int32Array;
  /** Built after members take back what they own, so those million counts cost no heap work. */
  private heaps!: MemberHeaps;
  /** Created at the first move: most assignments never move a partition. */
  private movementsRecord: PartitionMovements | null = null;
  /** The member of the latest older generation that claimed each partition (Kafka's prevAssignment); -1 if none. */
  private readonly previousOwner: Int32Array | null;
  private readonly subscribes: (m: number, t: number) => boolean;
  private readonly participating: Uint8Array;
  private readonly maxAssignmentSize: Int32Array;
  /** Bumped on every move, so `isBalanced` can reuse its slow answer while nothing moved. */
  private version = 0;
  private balancedVersion = -1;
  private balancedAnswer = true;

  constructor(private readonly group: StickyGroup) {
    const { members, partitionCount, memberTopics, topics } = group;
    this.memberCount = members.length;
    this.topicOf = topicOfPartitions(group);
    this.owner = new Int32Array(partitionCount).fill(-1);
    this.counts = new Int32Array(this.memberCount);
    this.previousOwner = this.previousAssignment();
    // Binary search in the member's sorted topic list: a members x topics matrix would not stay small
    // for groups subscribed by pattern to tens of thousands of topics.
    this.subscribes = (m, t) => {
      const list = memberTopics[m]!;
      let low = 0;
      let high = list.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (list[middle]! < t) low = middle + 1;
        else high = middle;
      }
      return low < list.length && list[low] === t;
    };
    this.participating = new Uint8Array(this.memberCount).fill(1);
    this.maxAssignmentSize = Int32Array.from(memberTopics, (list) => list.reduce((sum, t) => sum + topics[t]!.partitionCount, 0));
  }

  /** Kafka's prepopulateCurrentAssignments: claims of generations below the newest, the highest (first seen) kept. */
  private previousAssignment(): Int32Array | null {
    const { hashOrder, claims, claimGenerations, maxGeneration, partitionCount } = this.group;
    if (claims.every((claimed) => claimed.length === 0)) return null;
    const previousOwner = new Int32Array(partitionCount).fill(-1);
    const previousGeneration = new Int32Array(partitionCount);
    for (const m of hashOrder) {
      const claimed = claimGenerations[m];
      let generation: number;
      if (claimed !== undefined && claimed < maxGeneration) generation = claimed;
      else if (claimed === undefined && maxGeneration > DEFAULT_GENERATION) generation = DEFAULT_GENERATION;
      else continue;
      for (const p of claims[m]!) {
        if (previousOwner[p] === -1 || generation > previousGeneration[p]!) {
          previousOwner[p] = m;
          previousGeneration[p] = generation;
        }
      }
    }
    return previousOwner;
  }

  private give(p: number, m: number): void {
    const old = this.owner[p]!;
    if (old !== -1) {
      this.counts[old] = this.counts[old]! - 1;
      this.heaps.decreased(old);
    }
    this.owner[p] = m;
    this.counts[m] = this.counts[m]! + 1;
    this.heaps.increased(m);
    this.version++;
  }

  build(): StickyBuild {
    const { group, owner, counts, topicOf } = this;
    const { partitionCount, ownedStart, ownedPartitions, topics } = group;
    let revocationRequired = false;
    for (let m = 0; m < this.memberCount; m++) {
      for (let i = ownedStart[m]!; i < ownedStart[m + 1]!; i++) {
        const p = ownedPartitions[i]!;
        if (this.subscribes(m, topicOf[p]!)) {
          owner[p] = m;
          counts[m] = counts[m]! + 1;
        } else {
          revocationRequired = true;
        }
      }
    }
    this.heaps = new MemberHeaps(group, counts, group.rank);
    // All partitions, topics with fewer potential consumers first, then by name; partitions ascending.
    const topicOrder = topics.map((_, t) => t).sort((a, b) => topics[a]!.subscribers.length - topics[b]!.subscribers.length || a - b);
    const sortedAll = new Int32Array(partitionCount);
    let n = 0;
    for (const t of topicOrder) for (let p = group.topicOffset[t]!; p < group.topicOffset[t + 1]!; p++) sortedAll[n++] = p;
    const unassigned = selectPartitions(sortedAll, (p) => owner[p] === -1);
    const initializing = counts.every((count) => count === 0);

    for (let i = 0; i < unassigned.length; i++) {
      const p = unassigned[i]!;
      const m = this.heaps.firstFor(topicOf[p]!);
      if (m !== -1) this.give(p, m);
    }

    // Narrow step 3 to topics with two or more potential consumers and members that can gain or lose.
    const topicReassignable = Uint8Array.from(topics, ({ subscribers }) => (subscribers.length >= 2 ? 1 : 0));
    const reassignable = (p: number) => topicReassignable[topicOf[p]!] === 1;
    const reassignableAll = selectPartitions(sortedAll, reassignable);
    const reassignableUnassigned = selectPartitions(unassigned, reassignable);
    const canLose = new Uint8Array(this.memberCount);
    for (let p = 0; p < partitionCount; p++) if (owner[p] !== -1 && topicReassignable[topicOf[p]!] === 1) canLose[owner[p]!] = 1;
    for (let m = 0; m < this.memberCount; m++) {
      if (counts[m]! < this.maxAssignmentSize[m]! || canLose[m] === 1) continue;
      this.participating[m] = 0;
      this.heaps.remove(m);
    }

    const ownerBefore = owner.slice();
    const countsBefore = counts.slice();
    if (!revocationRequired) this.performReassignments(reassignableUnassigned);
    const reassigned = this.performReassignments(reassignableAll);
    if (!initializing && reassigned && this.balanceScore(counts) >= this.balanceScore(countsBefore)) {
      owner.set(ownerBefore);
      counts.set(countsBefore);
    }
    return { owner, transferringTo: null };
  }

  private performReassignments(partitions: Int32Array): boolean {
    const { owner, counts, topicOf, previousOwner } = this;
    let reassigned = false;
    let modified: boolean;
    do {
      modified = false;
      for (let i = 0; i < partitions.length && !this.isBalanced(); i++) {
        const p = partitions[i]!;
        const t = topicOf[p]!;
        const current = owner[p]!;
        const previous = previousOwner === null ? -1 : previousOwner[p]!;
        // Kafka does not check that the earlier owner still subscribes (or takes part); moving a
        // partition to a member not subscribed to its topic would be invalid, so that case falls through.
        if (previous !== -1 && this.participating[previous] === 1 && this.subscribes(previous, t) && counts[current]! > counts[previous]! + 1) {
          this.reassign(p, previous);
          reassigned = modified = true;
          continue;
        }
        const fewest = this.heaps.firstFor(t);
        if (fewest !== -1 && counts[current]! > counts[fewest]! + 1) {
          this.reassign(p, fewest);
          reassigned = modified = true;
        }
      }
    } while (modified);
    return reassigned;
  }

  private reassign(p: number, newOwner: number): void {
    const oldOwner = this.owner[p]!;
    const movements = (this.movementsRecord ??= new PartitionMovements(this.group, this.topicOf));
    const moved = movements.partitionToMove(p, oldOwner, newOwner);
    movements.movePartition(moved, this.owner[moved]!, newOwner);
    this.give(moved, newOwner);
  }

  /**
   * Kafka's isBalanced: counts of the members taking part differ by at most one, or no member short of
   * all it could hold has a partition of its topics held by a member with 2+ more.
   */
  private isBalanced(): boolean {
    const { counts, participating } = this;
    let min = Infinity;
    let max = -Infinity;
    for (let m = 0; m < this.memberCount; m++) {
      if (participating[m] === 0) continue;
      if (counts[m]! < min) min = counts[m]!;
      if (counts[m]! > max) max = counts[m]!;
    }
    if (min >= max - 1) return true;
    if (this.balancedVersion === this.version) return this.balancedAnswer;
    const { topics, topicOffset } = this.group;
    const largestOwnerCount = new Int32Array(topics.length);
    for (let t = 0; t < topics.length; t++) {
      for (let p = topicOffset[t]!; p < topicOffset[t + 1]!; p++) {
        const o = this.owner[p]!;
        if (o !== -1 && participating[o] === 1 && counts[o]! > largestOwnerCount[t]!) largestOwnerCount[t] = counts[o]!;
      }
    }
    let balanced = true;
    for (let m = 0; m < this.memberCount && balanced; m++) {
      if (participating[m] === 0 || counts[m] === this.maxAssignmentSize[m]) continue;
      for (const t of this.group.memberTopics[m]!) {
        if (largestOwnerCount[t]! > counts[m]! + 1) {
          balanced = false;
          break;
        }
      }
    }
    this.balancedVersion = this.version;
    this.balancedAnswer = balanced;
    return balanced;
  }

  /** Sum over pairs of taking-part members of their count difference (sorted counts make it O(C log C)). */
  private balanceScore(counts: Int32Array): number {
    const values = Int32Array.from(counts.filter((_, m) => this.participating[m] === 1)).sort();
    let score = 0;
    for (let i = 0; i < values.length; i++) score += values[i]! * (2 * i - values.length + 1);
    return score;
  }
}

/** The partitions of `partitions` that pass `keep`, in order (a loop: typed-array filter is slow at a million). */
function selectPartitions(partitions: Int32Array, keep: (p: number) => boolean): Int32Array {
  const selected = new Int32Array(partitions.length);
  let n = 0;
  for (let i = 0; i < partitions.length; i++) if (keep(partitions[i]!)) selected[n++] = partitions[i]!;
  return selected.subarray(0, n);
}
