/**
 * Kafka's `ConstrainedAssignmentBuilder` (KAFKA-9987, KAFKA-12464): the sticky assignment when every
 * member subscribes to the same topics, so balance can be decided up front. With P partitions and C
 * members each ends with `minQuota = floor(P / C)` or `maxQuota = ceil(P / C)`, and exactly `P % C`
 * of them with `maxQuota`.
 *
 * 1. Members, in Kafka's hash order, keep what they own (sorted by partition number, then topic),
 *    all of it if that is under `minQuota`, `maxQuota` of it while fewer than `P % C` members have
 *    taken `maxQuota`, else `minQuota`; the rest may be revoked.
 * 2. The partitions nobody kept, sorted by topic and partition, are dealt round the members still
 *    under `minQuota` (sorted by member id), then one each to members at `minQuota` (sorted by id,
 *    in the order they reached it) until `P % C` members are at `maxQuota`.
 *
 * A dealt partition that another member kept until now, or that two members claimed in the same
 * generation, is "transferring ownership": the cooperative assignor withholds it for one round.
 *
 * Everything is integers: owners in an Int32Array, each member's kept partitions sorted as
 * `partition * topicCount + topic` keys in a Float64Array. O(P + C + owned log owned).
 */
import type { StickyGroup } from './sticky-group.js';
import { topicOfPartitions } from './sticky-group.js';

export interface StickyBuild {
  /** The member position owning each partition. */
  readonly owner: Int32Array;
  /** For partitions changing owner, the new owner; -1 otherwise. Null when the builder does not track it. */
  readonly transferringTo: Int32Array | null;
}

export function buildConstrainedAssignment(group: StickyGroup): StickyBuild {
  const { partitionCount, ownedStart, ownedPartitions, multiplyClaimed, topicOffset, rank } = group;
  const memberCount = group.members.length;
  const topicCount = group.topics.length;
  const minQuota = Math.floor(partitionCount / memberCount);
  const maxQuota = Math.ceil(partitionCount / memberCount);
  const expectedAtMaxQuota = partitionCount % memberCount;
  let atMaxQuota = 0;

  const owner = new Int32Array(partitionCount).fill(-1);
  const counts = new Int32Array(memberCount);
  const maybeRevokedFrom = new Int32Array(partitionCount).fill(-1);
  const transferringTo = new Int32Array(partitionCount).fill(-1);
  const underMinQuota: number[] = [];
  let atMinQuota: number[] = [];
  const topicOf = topicOfPartitions(group);

  for (const m of group.hashOrder) {
    const start = ownedStart[m]!;
    const end = ownedStart[m + 1]!;
    let ownedCount = 0;
    for (let i = start; i < end; i++) if (multiplyClaimed[ownedPartitions[i]!] === 0) ownedCount++;
    let keep: number;
    if (ownedCount < minQuota) {
      keep = ownedCount;
      underMinQuota.push(m);
    } else if (ownedCount >= maxQuota && atMaxQuota < expectedAtMaxQuota) {
      keep = maxQuota;
      atMaxQuota++;
      // Nobody else may grow to maxQuota now: the ones waiting at minQuota are done.
      if (atMaxQuota === expectedAtMaxQuota) atMinQuota = [];
    } else {
      keep = minQuota;
      if (atMaxQuota < expectedAtMaxQuota) atMinQuota.push(m);
    }
    // Which partitions a member keeps depends on their order only when it cannot keep them all, the
    // usual case in a settled group; only then are they sorted.
    if (ownedCount <= keep) {
      for (let i = start; i < end; i++) if (multiplyClaimed[ownedPartitions[i]!] === 0) owner[ownedPartitions[i]!] = m;
    } else {
      const kept = sortedByPartitionThenTopic(ownedPartitions, start, end, multiplyClaimed, topicOf, topicOffset, topicCount);
      for (let i = 0; i < kept.length; i++) {
        if (i < keep) owner[kept[i]!] = m;
        else maybeRevokedFrom[kept[i]!] = m;
      }
    }
    counts[m] = keep;
  }

  const byRank = (a: number, b: number) => rank[a]! - rank[b]!;
  underMinQuota.sort(byRank);
  atMinQuota.sort(byRank);

  // Kafka walks the under-minQuota list with an iterator, dropping members as they reach minQuota and
  // starting over at its end; `pass` is the list being walked, `nextPass` the members it keeps.
  let pass = underMinQuota;
  let nextPass: number[] = [];
  let next = 0;
  let atMinQuotaHead = 0;
  for (let partition = 0; partition < partitionCount; partition++) {
    if (owner[partition] !== -1) continue;
    let m: number;
    let fromUnderMinQuota = true;
    if (next < pass.length) {
      m = pass[next++]!;
    } else if (nextPass.length > 0) {
      pass = nextPass;
      nextPass = [];
      next = 0;
      m = pass[next++]!;
    } else if (atMinQuotaHead < atMinQuota.length) {
      m = atMinQuota[atMinQuotaHead++]!;
      fromUnderMinQuota = false;
    } else {
      throw new Error('sticky assignment: no member left to take a partition (a bug in the quota arithmetic)');
    }
    owner[partition] = m;
    const count = counts[m]! + 1;
    counts[m] = count;
    if ((maybeRevokedFrom[partition] !== -1 && maybeRevokedFrom[partition] !== m) || multiplyClaimed[partition] === 1) {
      transferringTo[partition] = m;
    }
    if (fromUnderMinQuota) {
      if (count === minQuota) atMinQuota.push(m);
      else nextPass.push(m);
    } else if (count === maxQuota) {
      atMaxQuota++;
    }
  }
  return { owner, transferringTo };
}

/** A member's owned partitions minus the doubly claimed, sorted by (partition number, topic) as Kafka keeps them. */
function sortedByPartitionThenTopic(
  owned: Int32Array,
  start: number,
  end: number,
  multiplyClaimed: Uint8Array,
  topicOf: Int32Array,
  topicOffset: Int32Array,
  topicCount: number,
): Int32Array {
  const keys = new Float64Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const partition = owned[i]!;
    if (multiplyClaimed[partition] === 1) continue;
    const t = topicOf[partition]!;
    keys[n++] = (partition - topicOffset[t]!) * topicCount + t;
  }
  const sorted = keys.subarray(0, n).sort();
  const result = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = sorted[i]!;
    const t = key % topicCount;
    result[i] = topicOffset[t]! + (key - t) / topicCount;
  }
  return result;
}
