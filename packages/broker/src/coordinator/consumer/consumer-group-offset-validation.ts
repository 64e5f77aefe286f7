/**
 * Which offset commits and fetches a consumer group accepts (Kafka's ConsumerGroup.validateOffsetCommit and
 * validateOffsetFetch, KIP-848): a member's, at its current member epoch; an outsider's (an admin, or a consumer that
 * assigns itself partitions, epoch -1) only while the group has no members.
 */
import type { ErrorName } from '@kactor/protocol';
import type { ConsumerGroupData } from './consumer-group-data.js';

/**
 * The instance id plays no part, as in Kafka: in a consumer group the member id alone names an incarnation (a static
 * member's new incarnation has a member id of its own), so an older incarnation is already UNKNOWN_MEMBER_ID.
 */
export function validateOffsetCommit(group: ConsumerGroupData, memberId: string, memberEpoch: number, _instanceId: string | null = null): ErrorName | undefined {
  if (memberEpoch < 0 && Object.keys(group.members).length === 0) return undefined;
  return memberEpochProblem(group, memberId, memberEpoch);
}

/** OffsetFetch (v9+) from a member carries its id and epoch; one without them (an admin) is always answered. */
export function validateOffsetFetch(group: ConsumerGroupData, memberId: string | null, memberEpoch: number): ErrorName | undefined {
  if (memberId === null && memberEpoch < 0) return undefined;
  return memberEpochProblem(group, memberId ?? '', memberEpoch);
}

function memberEpochProblem(group: ConsumerGroupData, memberId: string, memberEpoch: number): ErrorName | undefined {
  const member = group.members[memberId];
  if (member === undefined) return 'UNKNOWN_MEMBER_ID';
  // A commit at another epoch comes from a member that has not caught up with (or has moved past) its assignment.
  if (memberEpoch !== member.memberEpoch) return 'STALE_MEMBER_EPOCH';
  return undefined;
}
