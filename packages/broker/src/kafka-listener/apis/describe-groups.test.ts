import { encodeResponseBody, type DescribeGroupsRequest } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { describeGroupsAdapter } from './describe-groups.js';

const request: DescribeGroupsRequest = { groups: ['app', 'gone'], includeAuthorizedOperations: false };
const metadata = Uint8Array.from([0, 0, 0, 0]);
const assignment = Uint8Array.from([0, 0, 0, 0, 0, 0]);
const kactorAnswer: ResponseBody<'describeGroups'> = {
  throttleTimeMs: 0,
  groups: [
    {
      errorCode: 0,
      groupId: 'app',
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      generationId: 7,
      leaderId: 'member-1',
      members: [{ memberId: 'member-1', groupInstanceId: null, clientId: 'rdkafka', clientHost: '/127.0.0.1', memberMetadata: metadata, memberAssignment: assignment }],
    },
    { errorCode: 0, groupId: 'gone', groupState: 'Dead', protocolType: '', protocolData: '', generationId: 0, leaderId: '', members: [] },
  ],
};

describe('DescribeGroups adapter', () => {
  it('asks for the groups listed', () => {
    expect(describeGroupsAdapter.toKactorRequest(request, 0)).toEqual({ groups: ['app', 'gone'] });
  });

  it('answers state, protocol and members with their bytes untouched, leaving out what these versions cannot carry', () => {
    const answer = describeGroupsAdapter.toKafkaResponse(kactorAnswer, request, 2, { kafkaEndpointOf: () => undefined });
    const [app] = answer.groups;
    expect(app).toMatchObject({ groupId: 'app', groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(app).not.toHaveProperty('generationId');
    expect(app?.members[0]).toMatchObject({ memberId: 'member-1', clientId: 'rdkafka', clientHost: '/127.0.0.1' });
    expect(app?.members[0]?.memberAssignment).toBe(assignment);
    for (let version = describeGroupsAdapter.versions.min; version <= describeGroupsAdapter.versions.max; version += 1) {
      expect(encodeResponseBody('DescribeGroups', version, answer).length, `v${version}`).toBeGreaterThan(0);
    }
  });

  it('puts the error on every group asked for, as Kafka\'s error response does', () => {
    const answer = describeGroupsAdapter.errorResponse(wireError('COORDINATOR_NOT_AVAILABLE'), request, 0);
    expect(answer.groups.map((group) => [group.groupId, group.errorCode, group.groupState, group.members.length])).toEqual([
      ['app', 15, '', 0],
      ['gone', 15, '', 0],
    ]);
  });
});
