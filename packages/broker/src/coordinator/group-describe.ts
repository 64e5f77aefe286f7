/** DescribeGroups' answer for one group, from the group actor's snapshot (a read, like Kafka's describe). */
import type { ErrorName, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import { memberList, selectedMetadata } from './classic-group.js';
import type { GroupView } from './group-coordinator-shard.js';

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
