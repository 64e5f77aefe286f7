/**
 * One group as the rebalance analyzer sees it: its partitions, its members (live, paused, state,
 * generation, what each holds) and whether it is stable, kept up to date event by event with counters so
 * that asking "is the group stable?" costs the same for 10 partitions as for 10,000.
 *
 * Stable means: every active member (live: started and not crashed or closed; not paused) is in its
 * protocol's stable state, in one generation for the classic protocol (KIP-848's member epochs may differ
 * between members, there the assignment decides), and every partition of the group's topics is held by
 * exactly one active member, or by one paused member and no one else. A paused member is still live (it
 * did not crash) but does nothing: it is left out of the state check, and a partition the group gave to
 * someone else while it was paused belongs to the active holder. When it resumes it counts again, with its
 * stale state and holdings, which is the rebalance it then really causes.
 */
import { isConsumerProtocolState, isGeneration, isStableState, partitionNames } from './trace-vocabulary.js';

export interface MemberView {
  live: boolean;
  paused: boolean;
  state: string | undefined;
  generation: number;
  readonly held: Set<string>;
}

interface Holders {
  active: number;
  paused: number;
}

export class GroupView {
  readonly members = new Map<string, MemberView>();
  /** Partitions of the subscribed topics, by name. */
  readonly partitions = new Set<string>();
  consumerProtocol = false;
  /** The highest generation any member reported. */
  maxGeneration = 0;

  private readonly holders = new Map<string, Holders>();
  private activeMembers = 0;
  private activeStableMembers = 0;
  /** Generation -> active members in their stable state with it. */
  private readonly stableGenerations = new Map<number, number>();
  /** Group partitions held rightly: by one active member, or by one paused member alone. */
  private rightlyHeld = 0;
  /** Group partitions held by at least one live member. */
  private held = 0;

  constructor(readonly topics: readonly string[]) {}

  isStable(): boolean {
    const oneGeneration = this.consumerProtocol || this.stableGenerations.size <= 1;
    return this.activeStableMembers === this.activeMembers && oneGeneration && this.rightlyHeld === this.partitions.size;
  }

  /** Group partitions no live member holds. */
  unheldPartitions(): number {
    return this.partitions.size - this.held;
  }

  /** Sets the topics' partition counts (all at the start, one topic when partitions are added). */
  setPartitionCounts(counts: Record<string, number>): void {
    for (const [topic, count] of Object.entries(counts)) {
      if (!this.topics.includes(topic)) continue;
      for (const name of partitionNames(topic, count)) this.partitions.add(name);
    }
    this.recount();
  }

  member(name: string): MemberView {
    let member = this.members.get(name);
    if (member === undefined) {
      // A member seen first in its own events (set up before the trace began) is live.
      member = { live: true, paused: false, state: undefined, generation: -1, held: new Set() };
      this.members.set(name, member);
      this.count(member, 1);
    }
    return member;
  }

  /** Changes a member's liveness, pause or state, keeping the counters right. */
  update(name: string, change: Partial<Pick<MemberView, 'live' | 'paused' | 'state' | 'generation'>>): void {
    const member = this.member(name);
    this.count(member, -1);
    this.countHoldings(member, -1);
    Object.assign(member, change);
    if (change.state !== undefined && isConsumerProtocolState(change.state)) this.consumerProtocol = true;
    if (change.generation !== undefined && isGeneration(change.generation)) this.maxGeneration = Math.max(this.maxGeneration, change.generation);
    if (!member.live) member.held.clear();
    this.count(member, 1);
    this.countHoldings(member, 1);
  }

  hold(name: string, partition: string): void {
    const member = this.member(name);
    if (!member.live || member.held.has(partition)) return;
    member.held.add(partition);
    this.countHolder(partition, member.paused, 1);
  }

  release(name: string, partition: string): void {
    const member = this.member(name);
    if (!member.held.delete(partition)) return;
    this.countHolder(partition, member.paused, -1);
  }

  /** Partition -> its holder (an active one before a paused one). */
  holderMap(): Map<string, string> {
    const map = new Map<string, string>();
    for (const [name, member] of this.members) {
      for (const partition of member.held) if (!member.paused || !map.has(partition)) map.set(partition, name);
    }
    return map;
  }

  private count(member: MemberView, sign: 1 | -1): void {
    if (!member.live || member.paused) return;
    this.activeMembers += sign;
    if (!isStableState(member.state)) return;
    this.activeStableMembers += sign;
    const count = (this.stableGenerations.get(member.generation) ?? 0) + sign;
    if (count === 0) this.stableGenerations.delete(member.generation);
    else this.stableGenerations.set(member.generation, count);
  }

  private countHoldings(member: MemberView, sign: 1 | -1): void {
    for (const partition of member.held) this.countHolder(partition, member.paused, sign);
  }

  private countHolder(partition: string, paused: boolean, sign: 1 | -1): void {
    const holders = this.holders.get(partition) ?? { active: 0, paused: 0 };
    const inGroup = this.partitions.has(partition);
    if (inGroup) this.countPartition(holders, -1);
    if (paused) holders.paused += sign;
    else holders.active += sign;
    if (inGroup) this.countPartition(holders, 1);
    if (holders.active === 0 && holders.paused === 0) this.holders.delete(partition);
    else this.holders.set(partition, holders);
  }

  private countPartition(holders: Holders, sign: 1 | -1): void {
    if (holders.active === 1 || (holders.active === 0 && holders.paused === 1)) this.rightlyHeld += sign;
    if (holders.active + holders.paused > 0) this.held += sign;
  }

  private recount(): void {
    this.rightlyHeld = 0;
    this.held = 0;
    for (const [partition, holders] of this.holders) if (this.partitions.has(partition)) this.countPartition(holders, 1);
  }
}

/** The group of a member named `<group>/member-<index>`. */
export function groupOfMember(member: string): string {
  const slash = member.lastIndexOf('/');
  return slash < 0 ? member : member.slice(0, slash);
}
