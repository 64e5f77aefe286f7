/** DescribeGroups' and DescribeRebalances' answers for one group, from the group actor's snapshot (reads, like Kafka's describe). */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import { memberList, selectedMetadata } from './classic-group.js';
import type { GroupView } from './group-coordinator-shard.js';
import { latestRecords } from './rebalance-log.js';

type DescribedGroup = ResponseBody<'describeGroups'>['groups'][number];

export function describeGroupAnswer(groupId: string, view: GroupView | undefined, errorName: ErrorName): DescribedGroup {
  if (errorName !== 'NONE' || view === undefined) {
    // An unknown group is described as Dead with no error, as Kafka does.
    const code = errorName === 'NONE' ? 0 : errorByName(errorName).code;
    return { errorCode: code, groupId, groupState: 'Dead', protocolType: '', protocolData: '', generationId: -1, leaderId: '', members: [] };
  }
  const { group, state } = view;
  return {
    errorCode: 0,
    groupId,
    groupState: state,
    protocolType: group.protocolType ?? '',
    protocolData: state === 'Stable' || state === 'CompletingRebalance' ? (group.protocolName ?? '') : '',
    generationId: group.generationId,
    leaderId: group.leaderId ?? '',
    members: memberList(group).map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      clientId: member.clientId,
      clientHost: member.clientHost,
      memberMetadata: selectedMetadata(group, member),
      memberAssignment: member.assignment,
    })),
  };
}

/** kactor's DescribeRebalances: the newest records (all kept, or `limit`), oldest first; GROUP_ID_NOT_FOUND for an unknown group. */
export function describeRebalancesAnswer(view: GroupView | undefined, request: RequestBody<'describeRebalances'>): ResponseBody<'describeRebalances'> {
  if (view === undefined) return { throttleTimeMs: 0, errorCode: errorByName('GROUP_ID_NOT_FOUND').code, records: [] };
  return { throttleTimeMs: 0, errorCode: 0, records: latestRecords(view.rebalances, request.limit) };
}
