/**
 * Two owners of one partition at the same time, within a group. Kafka's promise, and how it is checked here
 * from the members' own assigned, revoked and lost events:
 *
 * 1. A partition goes to a new owner only after the old one gave it up. When a member is assigned a
 *    partition another live member (started, not crashed or closed) still holds, the overlap is noted and
 *    judged by what the old holder does next:
 *    - it gives the partition up as lost (member.lost): the group had already removed it (its session
 *      expired during a GC pause or a network partition) and fenced it by generation or member epoch. That
 *      is Kafka's zombie, not a violation by itself: what it processes meanwhile are at-least-once repeats
 *      whose commits are refused, and the records checker judges them by the committed offsets (and
 *      refuses any repeat under exactly-once). A crash (kill -9) ends the holding without a verdict too;
 *    - it shows it is still a member of the group while holding the partition: a classic member in the
 *      generation that handed the partition out or a later one, or a KIP-848 member at the new owner's member
 *      epoch or a later one (removing a member bumps the group epoch, so an answer the old holder reads late, from
 *      before it was removed, carries a lower epoch). A violation: the group gave the partition away while its
 *      owner was still in the group;
 *    - it revokes the partition, after the new owner got it, in a generation or member epoch before the new
 *      owner's: the group had removed it (its rebalance or session timeout expired) before the revocation ran,
 *      a zombie as above. Kafka's client calls onPartitionsLost there when it knows by then that it lost its
 *      generation (ConsumerCoordinator's onJoinPrepare looks after its auto-commit) and onPartitionsRevoked
 *      when it could not know (cut off from the coordinator); kactor's client says revoked in both cases
 *      (it decides before the auto-commit), so the checker reads the generation, not the event's name;
 *    - it revokes the partition after the new owner got it at the hand-out's generation or epoch or a later one,
 *      closes without giving it up, or still holds it when the run ends: a violation (the old holder believed
 *      it was the rightful owner all along).
 *    A build that skips a revocation is caught by the second rule or one of the last two.
 * 2. A member processes only partitions it holds: a record.processed for a partition the member was never
 *    assigned, or already revoked or lost, is a violation (a consumer must not hand out records of a
 *    partition after onPartitionsRevoked or onPartitionsLost).
 * 3. Classic protocol, per generation: no partition assigned to two members in one generation (the checkers'
 *    findDoubleOwners over what each generation's assigned events added). KIP-848 has no group-wide
 *    generation in the members' events (each has its own member epoch), so rule 3 covers classic groups only
 *    (told apart by their lower-case state names); rules 1 and 2 cover both.
 *
 * The checkers' Ownership class is keyed by live Consumer objects; this one follows member names from the
 * trace, so it is written for the stream instead.
 */
import { findDoubleOwners } from '../../checkers/group-ownership.js';
import type { Violation } from '../model.js';
import type { TraceEvent, TraceObserver } from '../trace.js';
import { type HoldingsEvent, isConsumerProtocolState, isGeneration, ViolationList } from './trace-vocabulary.js';

interface Overlap {
  readonly newOwner: string;
  readonly sinceMs: number;
  /** The generation (classic) or the new owner's member epoch (KIP-848) it got the partition in. */
  readonly generation: number;
  /** The old holder's generation or member epoch when the overlap began. */
  readonly holderGeneration: number;
}

interface GroupOwnership {
  /** Live member -> partitions it holds. */
  readonly held: Map<string, Set<string>>;
  /** Partition -> live members holding it. */
  readonly holders: Map<string, Set<string>>;
  /** Member -> its latest generation (classic) or member epoch (KIP-848), when it has one. */
  readonly generations: Map<string, number>;
  /** Old holder -> partitions in an open overlap (to judge them when its generation moves). */
  readonly overlapsByHolder: Map<string, Set<string>>;
  /** `<partition> <old holder>` -> the overlap begun when someone else was assigned it. */
  readonly overlaps: Map<string, Overlap>;
  /** Classic generation -> member -> partitions its assigned events added in that generation. */
  readonly assignedByGeneration: Map<number, Map<string, Set<string>>>;
  consumerProtocol: boolean;
}

export class OwnershipAnalyzer implements TraceObserver {
  private readonly groups = new Map<string, GroupOwnership>();
  private readonly violations = new ViolationList('two-owners');

  observe(event: TraceEvent): void {
    switch (event.type) {
      case 'member.closed':
        for (const partition of this.groupNamed(event.group).overlapsByHolder.get(event.member) ?? []) {
          const overlap = this.groupNamed(event.group).overlaps.get(`${partition} ${event.member}`);
          if (overlap !== undefined) this.violations.add(`${event.group}: ${partition} assigned to ${overlap.newOwner} at ${overlap.sinceMs} ms while ${event.member} still held it; ${event.member} closed at ${event.timeMs} ms without giving it up`);
        }
        this.releaseAll(this.groupNamed(event.group), event.member);
        return;
      case 'member.started':
      case 'member.crashed':
        this.releaseAll(this.groupNamed(event.group), event.member);
        this.groupNamed(event.group).generations.delete(event.member);
        return;
      case 'member.state':
        if (isConsumerProtocolState(event.to)) this.groupNamed(event.group).consumerProtocol = true;
        this.generationMoved(event.group, event.member, event.generation, event.timeMs);
        return;
      case 'member.assigned':
        this.generationMoved(event.group, event.member, event.generation, event.timeMs);
        this.assigned(event);
        return;
      case 'member.revoked':
      case 'member.lost':
        this.released(event);
        if (event.type === 'member.revoked') this.generationMoved(event.group, event.member, event.generation, event.timeMs);
        else this.groupNamed(event.group).generations.delete(event.member);
        return;
      case 'record.processed':
        if (this.groupNamed(event.group).held.get(event.member)?.has(event.partition) !== true) {
          this.violations.add(`${event.group}: ${event.member} processed ${event.partition} offset ${event.offset} (id ${event.id}) at ${event.timeMs} ms without holding the partition`);
        }
        return;
      default:
        return;
    }
  }

  /** Call once, after the last event: overlaps still open at the end are violations too. */
  result(): Violation[] {
    for (const [name, group] of this.groups) {
      for (const [key, overlap] of group.overlaps) {
        const [partition, holder] = key.split(' ');
        this.violations.add(`${name}: ${partition} assigned to ${overlap.newOwner} at ${overlap.sinceMs} ms while ${holder} still held it, and still did at the end`);
      }
      if (group.consumerProtocol) continue;
      const byGeneration = new Map([...group.assignedByGeneration].map(([generation, owners]) => [generation, new Map([...owners].map(([member, partitions]) => [member, [...partitions]]))]));
      for (const double of findDoubleOwners(byGeneration)) {
        this.violations.add(`${name}: generation ${double.generation} assigned ${double.partition} to ${double.owners} members`);
      }
    }
    return this.violations.result();
  }

  private assigned(event: HoldingsEvent): void {
    const group = this.groupNamed(event.group);
    const mine = this.heldBy(group, event.member);
    const inGeneration = group.consumerProtocol ? undefined : this.generationAssignments(group, event.generation, event.member);
    for (const partition of event.partitions) {
      inGeneration?.add(partition);
      if (mine.has(partition)) continue;
      const holders = group.holders.get(partition) ?? new Set<string>();
      for (const holder of holders) this.overlap(event.group, group, partition, holder, { newOwner: event.member, sinceMs: event.timeMs, generation: event.generation, holderGeneration: group.generations.get(holder) ?? -1 });
      holders.add(event.member);
      group.holders.set(partition, holders);
      mine.add(partition);
    }
  }

  private released(event: HoldingsEvent): void {
    const group = this.groupNamed(event.group);
    for (const partition of event.partitions) {
      const key = `${partition} ${event.member}`;
      const overlap = group.overlaps.get(key);
      if (overlap !== undefined && event.type === 'member.revoked' && stillInGroup(event.generation, overlap)) {
        this.violations.add(`${event.group}: ${partition} assigned to ${overlap.newOwner} at ${overlap.sinceMs} ms while ${event.member} still held it; ${event.member} revoked it only at ${event.timeMs} ms`);
      }
      this.endOverlap(group, partition, event.member);
      this.drop(group, event.member, partition);
    }
  }

  private overlap(name: string, group: GroupOwnership, partition: string, holder: string, overlap: Overlap): void {
    if (!group.consumerProtocol && isGeneration(overlap.holderGeneration) && overlap.holderGeneration >= overlap.generation) {
      this.violations.add(`${name}: ${partition} assigned to ${overlap.newOwner} in generation ${overlap.generation} at ${overlap.sinceMs} ms while ${holder}, in generation ${overlap.holderGeneration}, still held it`);
      return;
    }
    group.overlaps.set(`${partition} ${holder}`, overlap);
    const partitions = group.overlapsByHolder.get(holder) ?? new Set<string>();
    partitions.add(partition);
    group.overlapsByHolder.set(holder, partitions);
  }

  private endOverlap(group: GroupOwnership, partition: string, holder: string): void {
    group.overlaps.delete(`${partition} ${holder}`);
    const partitions = group.overlapsByHolder.get(holder);
    partitions?.delete(partition);
    if (partitions?.size === 0) group.overlapsByHolder.delete(holder);
  }

  /** A member's generation or epoch moved: an old holder that shows it is still in the group while in an overlap is a second owner. */
  private generationMoved(name: string, member: string, generation: number, timeMs: number): void {
    if (!isGeneration(generation)) return;
    const group = this.groupNamed(name);
    group.generations.set(member, generation);
    for (const partition of [...(group.overlapsByHolder.get(member) ?? [])]) {
      const overlap = group.overlaps.get(`${partition} ${member}`);
      if (overlap === undefined) continue;
      // Still a member after the hand-out only at the hand-out's generation or epoch or later. A lower one, even one
      // above what the holder had, is an answer the coordinator gave before it removed the holder (fencing bumps the
      // group epoch), read late: a paused process reads what waited in its socket when it runs again.
      if (generation < overlap.generation) continue;
      this.violations.add(`${name}: ${partition} assigned to ${overlap.newOwner} at ${overlap.sinceMs} ms while ${member} still held it; ${member} was still in the group (generation ${generation}) at ${timeMs} ms`);
      this.endOverlap(group, partition, member);
    }
  }

  private releaseAll(group: GroupOwnership, member: string): void {
    for (const partition of [...(group.held.get(member) ?? [])]) {
      this.endOverlap(group, partition, member);
      this.drop(group, member, partition);
    }
    group.held.delete(member);
  }

  private drop(group: GroupOwnership, member: string, partition: string): void {
    group.held.get(member)?.delete(partition);
    const holders = group.holders.get(partition);
    holders?.delete(member);
    if (holders?.size === 0) group.holders.delete(partition);
  }

  private heldBy(group: GroupOwnership, member: string): Set<string> {
    let held = group.held.get(member);
    if (held === undefined) {
      held = new Set();
      group.held.set(member, held);
    }
    return held;
  }

  private generationAssignments(group: GroupOwnership, generation: number, member: string): Set<string> {
    let owners = group.assignedByGeneration.get(generation);
    if (owners === undefined) {
      owners = new Map();
      group.assignedByGeneration.set(generation, owners);
    }
    let partitions = owners.get(member);
    if (partitions === undefined) {
      partitions = new Set();
      owners.set(member, partitions);
    }
    return partitions;
  }

  private groupNamed(name: string): GroupOwnership {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = { held: new Map(), holders: new Map(), generations: new Map(), overlapsByHolder: new Map(), overlaps: new Map(), assignedByGeneration: new Map(), consumerProtocol: false };
      this.groups.set(name, group);
    }
    return group;
  }
}

/**
 * Whether an old holder that revokes a partition in an overlap, in `generation`, was still in the group then: at the
 * hand-out's generation or epoch or a later one. Without a generation, or in an older one, the group had removed it.
 */
function stillInGroup(generation: number, overlap: Overlap): boolean {
  return isGeneration(generation) && generation >= overlap.generation;
}
