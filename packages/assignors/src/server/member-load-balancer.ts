/**
 * The heterogeneous `uniform` assignor's way of picking members by load (Kafka's `MemberAssignmentBalancer`
 * in `UniformHeterogeneousAssignmentBuilder`, KIP-848). For one topic's subscribers sorted by how many
 * partitions they hold (fewest first, ties by member index), it hands out the least loaded member to give a
 * partition to and the most loaded member to take one from, each without re-sorting:
 *
 * - The least loaded range is the members at the lowest level; each gets one partition in turn, and when
 *   all have, the level rises by one and members already at the new level join the range.
 * - The most loaded range does the same from the top, downwards; a member with nothing of this topic to
 *   give up is excluded from it.
 *
 * The topic is balanced when the two levels differ by at most one. The sizes array is shared with the
 * builder, which updates it as partitions move.
 */
export class MemberLoadBalancer {
  private readonly sorted: number[] = [];
  private leastLoadedEnd = 0;
  private leastLoadedLevel = -1;
  private nextLeast = 0;
  private mostLoadedStart = 0;
  private mostLoadedEnd = 0;
  private mostLoadedLevel = 1;
  private nextMost = -1;

  constructor(private readonly sizes: Int32Array) {}

  /** Starts over with these members (indices into `sizes`); returns the spread between the most and least loaded. */
  initialize(members: readonly number[]): number {
    if (members.length === 0) throw new RangeError('cannot balance a topic without subscribers');
    const sizes = this.sizes;
    this.sorted.length = 0;
    for (const member of members) this.sorted.push(member);
    this.sorted.sort((a, b) => sizes[a]! - sizes[b]! || a - b);
    const lowest = sizes[this.sorted[0]!]!;
    const highest = sizes[this.sorted[this.sorted.length - 1]!]!;
    this.leastLoadedEnd = 0;
    this.leastLoadedLevel = lowest - 1;
    this.nextLeast = 0;
    this.mostLoadedStart = this.sorted.length;
    this.mostLoadedEnd = this.sorted.length;
    this.mostLoadedLevel = highest + 1;
    this.nextMost = this.sorted.length - 1;
    return highest - lowest;
  }

  /** The member to give the next partition to; counts it as given. */
  nextLeastLoadedMember(): number {
    if (this.nextLeast >= this.leastLoadedEnd) {
      // Everyone in the range got one: raise the level and take in the members already at it.
      this.leastLoadedLevel++;
      while (this.leastLoadedEnd < this.sorted.length && this.sizes[this.sorted[this.leastLoadedEnd]!] === this.leastLoadedLevel) {
        this.leastLoadedEnd++;
      }
      this.nextLeast = 0;
    }
    return this.sorted[this.nextLeast++]!;
  }

  /** The member to take the next partition from, or -1 when no member is left that could give one up. */
  nextMostLoadedMember(): number {
    if (this.nextMost < this.mostLoadedStart) {
      if (this.mostLoadedEnd <= this.mostLoadedStart && this.mostLoadedStart > 0) {
        // Exclusions emptied the range: restart the level from the next member down so the range grows.
        this.mostLoadedLevel = this.sizes[this.sorted[this.mostLoadedStart - 1]!]!;
      } else {
        this.mostLoadedLevel--;
      }
      while (this.mostLoadedStart > 0 && this.sizes[this.sorted[this.mostLoadedStart - 1]!] === this.mostLoadedLevel) {
        this.mostLoadedStart--;
      }
      this.nextMost = this.mostLoadedEnd - 1;
    }
    if (this.nextMost < 0) return -1;
    return this.sorted[this.nextMost--]!;
  }

  /** Drops the member `nextMostLoadedMember` just returned from the most loaded range (it has nothing to give). */
  excludeMostLoadedMember(): void {
    const position = this.nextMost + 1;
    const member = this.sorted[position]!;
    this.sorted[position] = this.sorted[this.mostLoadedEnd - 1]!;
    this.sorted[this.mostLoadedEnd - 1] = member;
    this.mostLoadedEnd--;
  }

  isBalanced(): boolean {
    return this.mostLoadedLevel - this.leastLoadedLevel <= 1;
  }
}
