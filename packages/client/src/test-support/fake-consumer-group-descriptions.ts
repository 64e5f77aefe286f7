/**
 * A test fixture, not shipped API: the consumer groups (KIP-848) the fake cluster's coordinator describes with
 * ConsumerGroupDescribe, as a test puts them. A group not put here is not a consumer group: it is answered
 * GROUP_ID_NOT_FOUND, as Kafka's coordinator answers for a classic group, so the admin asks DescribeGroups.
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';

export type FakeDescribedConsumerGroup = Omit<ResponseBody<'consumerGroupDescribe'>['groups'][number], 'errorCode' | 'errorMessage' | 'authorizedOperations'>;

export class FakeConsumerGroupDescriptions {
  readonly groups = new Map<string, FakeDescribedConsumerGroup>();
  /**
   * Set: the coordinator fails every ConsumerGroupDescribe with this error as a whole, as a broker that does not serve
   * the API does (UNSUPPORTED_VERSION in Kafka, INVALID_REQUEST from kactor's request router).
   */
  refusal: 'UNSUPPORTED_VERSION' | 'INVALID_REQUEST' | null = null;

  /** Describes `group` from now on (replacing what was put before under its id). */
  put(group: FakeDescribedConsumerGroup): void {
    this.groups.set(group.groupId, group);
  }

  /** A ListGroups answer with these consumer groups added (groupType consumer), sorted by group id. */
  addListings(answer: ResponseBody<'listGroups'>): ResponseBody<'listGroups'> {
    const listed = [...this.groups.values()].map((group) => ({ groupId: group.groupId, protocolType: 'consumer', groupState: group.groupState, groupType: 'consumer' }));
    const groups = [...answer.groups, ...listed].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
    return { ...answer, groups };
  }

  /** The answer of the group's coordinator; `coordinates` false answers NOT_COORDINATOR for every group. */
  describe(request: RequestBody<'consumerGroupDescribe'>, coordinates: boolean): ResponseBody<'consumerGroupDescribe'> {
    const unknown = (groupId: string, errorName: 'GROUP_ID_NOT_FOUND' | 'NOT_COORDINATOR') => ({
      errorCode: errorByName(errorName).code,
      errorMessage: null,
      groupId,
      groupState: 'Dead',
      groupEpoch: -1,
      assignmentEpoch: -1,
      assignorName: '',
      members: [],
      authorizedOperations: -2_147_483_648,
    });
    return {
      throttleTimeMs: 0,
      groups: request.groupIds.map((groupId) => {
        if (!coordinates) return unknown(groupId, 'NOT_COORDINATOR');
        const group = this.groups.get(groupId);
        return group === undefined ? unknown(groupId, 'GROUP_ID_NOT_FOUND') : { ...group, errorCode: 0, errorMessage: null, authorizedOperations: -2_147_483_648 };
      }),
    };
  }
}
