/**
 * Two owners of one partition at the same time, within a group. Kafka's promise, and how it is checked here
 * from the members' own assigned, revoked and lost events:
 *
 * 1. A partition goes to a new owner only after the old one gave it up. When a member is assigned a
 *    partition another live member (started, not crashed or closed) still holds, the overlap is noted and
 *    judged by how the old holder gives the partition up:
 *    - with a revocation (member.revoked), or still holding it when the run ends: the old holder believed it
 *      was the rightful owner all along, so the group handed the partition out while its owner was still a
 *      member: a violation (a build that skips a revocation shows up here);
 *    - as lost (member.lost): the group had already removed the old holder (its session expired during a
 *      GC pause or a network partition) and fenced it by generation or member epoch. That is Kafka's zombie,
 *      not a violation by itself: what it processes meanwhile are at-least-once repeats whose commits are
 *      refused, and the records checker judges them by the committed offsets (and refuses any repeat under
 *      exactly-once). A crash or a close also ends the old holding without a verdict.
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
import { type HoldingsEvent, isConsumerProtocolState, ViolationList } from './trace-vocabulary.js';

interface Overlap {
  newOwner: string;
  sinceMs: number;
}

interface GroupOwnership {
  /** Live member -> partitions it holds. */
  readonly held: Map<string, Set<string>>;
  /** Partition -> live members holding it. */
  readonly holders: Map<string, Set<string>>;
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
      case 'member.started':
      case 'member.crashed':
      case 'member.closed':
        this.releaseAll(this.groupNamed(event.group), event.member);
        return;
      case 'member.state':
        if (isConsumerProtocolState(event.to)) this.groupNamed(event.group).consumerProtocol = true;
        return;
      case 'member.assigned':
        this.assigned(event);
        return;
      case 'member.revoked':
      case 'member.lost':
        this.released(event);
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
      for (const holder of holders) group.overlaps.set(`${partition} ${holder}`, { newOwner: event.member, sinceMs: event.timeMs });
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
      if (overlap !== undefined && event.type === 'member.revoked') {
        this.violations.add(`${event.group}: ${partition} assigned to ${overlap.newOwner} at ${overlap.sinceMs} ms while ${event.member} still held it; ${event.member} revoked it only at ${event.timeMs} ms`);
      }
      group.overlaps.delete(key);
      this.drop(group, event.member, partition);
    }
  }

  private releaseAll(group: GroupOwnership, member: string): void {
    for (const partition of group.held.get(member) ?? []) {
      group.overlaps.delete(`${partition} ${member}`);
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
      group = { held: new Map(), holders: new Map(), overlaps: new Map(), assignedByGeneration: new Map(), consumerProtocol: false };
      this.groups.set(name, group);
    }
    return group;
  }
}
