/** DescribeGroups' and DescribeRebalances' answers for one group, from the group actor's snapshot (reads, like Kafka's describe). */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import { memberList, selectedMetadata } from './classic-group.js';
import type { ConsumerGroupView, GroupView } from './group-coordinator-shard.js';
import { latestRecords, type RebalanceLog } from './rebalance-log.js';
import type { ConsumerGroupConfig } from './consumer/consumer-group.machine.js';
import { describeConsumerGroup } from './consumer/consumer-group-describe.js';

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
export function describeRebalancesAnswer(rebalances: RebalanceLog | undefined, request: RequestBody<'describeRebalances'>): ResponseBody<'describeRebalances'> {
  if (rebalances === undefined) return { throttleTimeMs: 0, errorCode: errorByName('GROUP_ID_NOT_FOUND').code, records: [] };
  return { throttleTimeMs: 0, errorCode: 0, records: latestRecords(rebalances, request.limit) };
}

type DescribedConsumerGroup = ResponseBody<'consumerGroupDescribe'>['groups'][number];

/** ConsumerGroupDescribe's answer for one group: the group (epochs, assignor, members), or why not (Kafka gives the error and its message). */
export function consumerGroupDescribeAnswer(
  groupId: string,
  view: ConsumerGroupView | undefined,
  errorName: ErrorName,
  errorMessage: string | null,
  config: Pick<ConsumerGroupConfig, 'assignors'>,
): DescribedConsumerGroup {
  if (errorName !== 'NONE' || view === undefined) {
    return { errorCode: errorByName(errorName === 'NONE' ? 'GROUP_ID_NOT_FOUND' : errorName).code, errorMessage, groupId, groupState: 'Dead', groupEpoch: -1, assignmentEpoch: -1, assignorName: '', members: [], authorizedOperations: -2147483648 };
  }
  return { ...describeConsumerGroup(view.group, view.state, config.assignors[0] ?? 'uniform'), errorCode: 0, errorMessage: null, groupId };
}

