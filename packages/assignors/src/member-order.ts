/**
 * The order Kafka's eager assignors walk members in (`AbstractPartitionAssignor.MemberInfo.compareTo`):
 * static members first, by `group.instance.id`, then dynamic members by member id. Static members keep
 * their place across restarts (their member id changes, their instance id does not), so range and
 * roundrobin hand them the same partitions again (KIP-345).
 *
 * Strings compare by UTF-16 code units, as Java's `String.compareTo` does (not by locale). Two members
 * with the same instance id (which the coordinator never lets happen) fall back to member id, where
 * Kafka would keep its hash map's order; this keeps the result independent of the input order.
 */
import type { GroupMember } from './types.js';

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareMembers(a: GroupMember, b: GroupMember): number {
  const aInstance = a.groupInstanceId ?? null;
  const bInstance = b.groupInstanceId ?? null;
  if (aInstance !== null && bInstance !== null) {
    return compareStrings(aInstance, bInstance) || compareStrings(a.memberId, b.memberId);
  }
  if (aInstance !== null) return -1;
  if (bInstance !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}
