import { encodeResponseBody, type ListGroupsRequest } from '@kactor/kafka-protocol';
import { wireError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { listGroupsAdapter } from './list-groups.js';

const request: ListGroupsRequest = { statesFilter: [], typesFilter: [] };

describe('ListGroups adapter', () => {
  it('asks for every group: these versions filter nothing', () => {
    expect(listGroupsAdapter.toKactorRequest(request, 0)).toEqual({ statesFilter: [], typesFilter: [] });
  });

  it('answers each group with its protocol type in every version served', () => {
    const answer = listGroupsAdapter.toKafkaResponse(
      { throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: 'app', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' }] },
      request,
      2,
      { kafkaEndpointOf: () => undefined },
    );
    expect(answer.groups.map((group) => [group.groupId, group.protocolType])).toEqual([['app', 'consumer']]);
    for (let version = listGroupsAdapter.versions.min; version <= listGroupsAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('ListGroups', version, answer).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('answers an error with no groups', () => {
    expect(listGroupsAdapter.errorResponse(wireError('COORDINATOR_LOAD_IN_PROGRESS'), request, 1)).toEqual({ throttleTimeMs: 0, errorCode: 14, groups: [] });
  });
});
