/**
 * The part of Kafka's `AbstractStickyAssignor` both sticky assignors share (KIP-54): read what each
 * member owns, pick the builder (constrained when every member subscribes to the same topics, general
 * otherwise), and write the owners out as each member's assignment. The cooperative assignor then
 * withholds partitions changing owner (KIP-429); see `cooperative-sticky-assignor.ts`.
 *
 * Goals, in order: balance (counts differ by at most one, or no member could take a partition from one
 * with two more), then stickiness (members keep what they own). Output lists are sorted by topic then
 * partition, like every assignor here; Kafka's lists come in assignment order, same partitions.
 */
import { buildConstrainedAssignment, type StickyBuild } from './constrained-assignment.js';
import { buildGeneralAssignment } from './general-assignment.js';
import { prepareStickyGroup, topicOfPartitions, type ClaimedPartitions, type StickyGroup } from './sticky-group.js';
import type { GroupAssignment, GroupAssignmentInput, GroupMember, MemberAssignment, TopicPartitions } from './types.js';

export interface StickyOptions {
  /** How the assignor reads a member's owned partitions and generation (Kafka's `memberData`). */
  readonly memberData: (member: GroupMember) => ClaimedPartitions;
  /** Withhold partitions changing owner for one round (cooperative protocol). */
  readonly cooperative: boolean;
}

export function assignSticky(input: GroupAssignmentInput, options: StickyOptions): GroupAssignment {
  const group = prepareStickyGroup(input, options.memberData);
  if (group.members.length === 0) return { assignments: new Map() };
  const build = group.allSubscriptionsEqual ? buildConstrainedAssignment(group) : buildGeneralAssignment(group);
  const owner = build.owner;
  if (options.cooperative) withholdTransfers(group, build);
  return { assignments: memberAssignments(group, owner) };
}

/**
 * Kafka's `CooperativeStickyAssignor.adjustAssignment`: a partition moving to a new owner is taken out
 * of the new owner's assignment, so it is revoked this round and assigned in the next (KIP-429). The
 * constrained builder names these partitions as it deals them; after the general builder they are the
 * partitions some member claimed and lost that their new owner did not claim.
 */
function withholdTransfers(group: StickyGroup, build: StickyBuild): void {
  const { owner } = build;
  if (build.transferringTo !== null) {
    const transferringTo = build.transferringTo;
    for (let p = 0; p < group.partitionCount; p++) if (transferringTo[p] !== -1) owner[p] = -1;
    return;
  }
  const revoked = new Uint8Array(group.partitionCount);
  const claimedByOwner = new Uint8Array(group.partitionCount);
  group.claims.forEach((claimed, m) => {
    for (const p of claimed) {
      if (owner[p] === m) claimedByOwner[p] = 1;
      else revoked[p] = 1;
    }
  });
  for (let p = 0; p < group.partitionCount; p++) if (revoked[p] === 1 && claimedByOwner[p] === 0) owner[p] = -1;
}

/**
 * Each member's partitions, sorted by topic then partition. A counting sort by owner over the ascending
 * partition integers gives each member its partitions in that order; runs of one topic become entries.
 * Arrays are allocated at their final size: with a million partitions this is most of the garbage.
 */
function memberAssignments(group: StickyGroup, owner: Int32Array): Map<string, MemberAssignment> {
  const { members, topics, topicOffset, partitionCount } = group;
  const memberCount = members.length;
  const start = new Int32Array(memberCount + 1);
  for (let p = 0; p < partitionCount; p++) {
    const m = owner[p]!;
    if (m !== -1) start[m + 1] = start[m + 1]! + 1;
  }
  for (let m = 0; m < memberCount; m++) start[m + 1] = start[m + 1]! + start[m]!;
  const fill = start.slice(0, memberCount);
  const byMember = new Int32Array(start[memberCount]!);
  for (let p = 0; p < partitionCount; p++) {
    const m = owner[p]!;
    if (m === -1) continue;
    byMember[fill[m]!] = p;
    fill[m] = fill[m]! + 1;
  }
  const topicOf = topicOfPartitions(group);
  const assignments = new Map<string, MemberAssignment>();
  const singletons: number[][] = [];
  for (let m = 0; m < memberCount; m++) {
    const kept = unchangedEntries(group, owner, m, start[m + 1]! - start[m]!);
    if (kept !== null) {
      assignments.set(members[m]!.memberId, { assignedPartitions: kept, userData: null });
      continue;
    }
    const entries: TopicPartitions[] = [];
    const end = start[m + 1]!;
    for (let i = start[m]!; i < end; ) {
      const t = topicOf[byMember[i]!]!;
      const base = topicOffset[t]!;
      const topicEnd = topicOffset[t + 1]!;
      let runEnd = i + 1;
      while (runEnd < end && byMember[runEnd]! < topicEnd) runEnd++;
      let partitions: number[];
      if (runEnd - i === 1) {
        // Balanced groups over many topics give members one partition per topic: a million entries
        // at Kafka's scale. Entries holding the same single partition share one (read-only) array.
        const partition = byMember[i]! - base;
        partitions = singletons[partition] ??= [partition];
      } else {
        partitions = new Array<number>(runEnd - i);
        for (let k = i; k < runEnd; k++) partitions[k - i] = byMember[k]! - base;
      }
      entries.push({ topic: topics[t]!.topic, partitions });
      i = runEnd;
    }
    assignments.set(members[m]!.memberId, { assignedPartitions: entries, userData: null });
  }
  return assignments;
}

/**
 * The member's own ownedPartitions entries when its assignment is exactly what it owns and they are
 * already in the output's form (topics and partitions strictly ascending, no empty entry): the common
 * case of a rebalance in a settled group, answered without building a million entries again.
 */
function unchangedEntries(group: StickyGroup, owner: Int32Array, m: number, assignedCount: number): readonly TopicPartitions[] | null {
  const entries = group.claimEntries[m];
  const claims = group.claims[m]!;
  if (entries === null || entries === undefined || claims.length !== assignedCount) return null;
  for (const p of claims) if (owner[p] !== m) return null;
  let total = 0;
  let previousTopic: string | null = null;
  for (const { topic, partitions } of entries) {
    if ((previousTopic !== null && !(previousTopic < topic)) || partitions.length === 0) return null;
    previousTopic = topic;
    for (let i = 1; i < partitions.length; i++) if (!(partitions[i - 1]! < partitions[i]!)) return null;
    total += partitions.length;
  }
  // Every claimed partition exists and is kept, none twice: the entries are the assignment.
  return total === claims.length ? entries : null;
}
