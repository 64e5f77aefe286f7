import { encodeResponseBody, type DeleteGroupsRequest } from '@kactor/kafka-protocol';
import { wireError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { deleteGroupsAdapter } from './delete-groups.js';

const request: DeleteGroupsRequest = { groupsNames: ['idle', 'busy'] };

describe('DeleteGroups adapter', () => {
  it('asks for the groups listed and answers one result each in every version served', () => {
    expect(deleteGroupsAdapter.toKactorRequest(request, 0)).toEqual({ groupsNames: ['idle', 'busy'] });
    const answer = deleteGroupsAdapter.toKafkaResponse(
      { throttleTimeMs: 0, results: [{ groupId: 'idle', errorCode: 0 }, { groupId: 'busy', errorCode: 68 }] },
      request,
      1,
      { kafkaEndpointOf: () => undefined },
    );
    expect(answer.results).toEqual([{ groupId: 'idle', errorCode: 0 }, { groupId: 'busy', errorCode: 68 }]);
    for (let version = deleteGroupsAdapter.versions.min; version <= deleteGroupsAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('DeleteGroups', version, answer).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('puts the error on every group asked for, as Kafka\'s error response does', () => {
    expect(deleteGroupsAdapter.errorResponse(wireError('NOT_COORDINATOR'), request, 0).results).toEqual([{ groupId: 'idle', errorCode: 16 }, { groupId: 'busy', errorCode: 16 }]);
  });
});
