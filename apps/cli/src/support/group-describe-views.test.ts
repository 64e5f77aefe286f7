import type { DeleteGroupOffsetsResult, GroupDescription } from '@kactor/client';
import { KafkaProtocolError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { deleteOffsetsJson, deleteOffsetsText } from './group-delete-offsets.js';
import { describeView } from './group-describe-run.js';
import { assignmentText, describeMembersJson, describeMembersText, describeStateJson, describeStateText } from './group-describe-views.js';

const description: GroupDescription = {
  groupId: 'analytics',
  type: 'classic',
  state: 'Stable',
  protocolType: 'consumer',
  protocol: 'range',
  generationId: 3,
  leaderId: 'a-1',
  coordinator: { nodeId: 1, host: '127.0.0.1', port: 9101, url: 'ws://127.0.0.1:9101' },
  members: [
    { memberId: 'a-1', groupInstanceId: null, clientId: 'a', host: '/127.0.0.1', assignment: [{ topic: 'orders', partition: 1 }, { topic: 'audit', partition: 0 }, { topic: 'orders', partition: 0 }] },
    { memberId: 'b-2', groupInstanceId: null, clientId: 'b', host: '/127.0.0.1', assignment: [] },
  ],
  error: null,
};

describe('groups describe views (Kafka --describe --members / --state)', () => {
  it('--members: GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS, and ASSIGNMENT with --verbose', () => {
    const json = describeMembersJson(description);
    expect(json.members[0]).toEqual({ memberId: 'a-1', clientId: 'a', host: '/127.0.0.1', instanceId: null, partitions: 3, assignment: description.members[0]?.assignment });
    expect(describeMembersText(json, false).split('\n')).toEqual([
      'GROUP      CONSUMER-ID  HOST        CLIENT-ID  #PARTITIONS',
      'analytics  a-1          /127.0.0.1  a          3',
      'analytics  b-2          /127.0.0.1  b          0',
    ]);
    expect(describeMembersText(json, true).split('\n')[1]).toMatch(/3\s+audit\(0\), orders\(0,1\)$/);
    expect(assignmentText([])).toBe('-');
  });

  it('--members shows GROUP-INSTANCE-ID when a member is static (KIP-345)', () => {
    const json = describeMembersJson({ ...description, members: [{ ...description.members[1]!, groupInstanceId: 'reader-1' }] });
    expect(describeMembersText(json, false).split('\n')[0]).toBe('GROUP      CONSUMER-ID  GROUP-INSTANCE-ID  HOST        CLIENT-ID  #PARTITIONS');
  });

  it('--state: GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS', () => {
    const json = describeStateJson(description);
    expect(json).toEqual({ group: 'analytics', type: 'classic', coordinator: 1, coordinatorAddress: '127.0.0.1:9101', assignmentStrategy: 'range', state: 'Stable', memberCount: 2 });
    expect(describeStateText(json).split('\n')).toEqual([
      'GROUP      COORDINATOR (ID)     ASSIGNMENT-STRATEGY  STATE   #MEMBERS',
      'analytics  127.0.0.1:9101  (1)  range                Stable  2',
    ]);
  });

  it('takes at most one of --members, --offsets, --state; --offsets is the default', () => {
    expect(describeView({})).toBe('offsets');
    expect(describeView({ members: true })).toBe('members');
    expect(() => describeView({ members: true, state: true })).toThrow(/at most one of these options/);
  });
});

describe('groups delete-offsets output (Kafka --delete-offsets)', () => {
  const subscribed = KafkaProtocolError.from('GROUP_SUBSCRIBED_TO_TOPIC');
  it('says the request succeeded, then TOPIC PARTITION STATUS', () => {
    const result: DeleteGroupOffsetsResult = { groupId: 'g', error: null, partitions: [{ topic: 'orders', partition: 1, error: null }, { topic: 'orders', partition: 0, error: null }] };
    const { stdout, stderr } = deleteOffsetsText('g', ['orders'], result);
    expect(stderr).toEqual([]);
    expect(stdout[0]).toBe('Request succeed for deleting offsets with topic orders group g');
    expect(stdout[2]?.split('\n')).toEqual(['TOPIC   PARTITION  STATUS', 'orders  0          Successful', 'orders  1          Successful']);
  });

  it('a partition error, an unknown group and an unknown topic each get Kafka\'s first line', () => {
    const partial: DeleteGroupOffsetsResult = { groupId: 'g', error: null, partitions: [{ topic: 'orders', partition: 0, error: subscribed }] };
    const text = deleteOffsetsText('g', ['orders'], partial);
    expect(text.stderr).toEqual(['Error: Encounter some partition level error, see the follow-up details:']);
    expect(text.stdout[1]).toMatch(/orders\s+0\s+Error: GROUP_SUBSCRIBED_TO_TOPIC: /);
    const missing = KafkaProtocolError.from('GROUP_ID_NOT_FOUND');
    expect(deleteOffsetsText('g', ['orders'], { groupId: 'g', error: missing, partitions: [] }).stderr).toEqual(["Error: 'g' does not exist."]);
    const nonEmpty = KafkaProtocolError.from('NON_EMPTY_GROUP');
    expect(deleteOffsetsText('g', ['orders'], { groupId: 'g', error: nonEmpty, partitions: [] }).stderr).toEqual([
      "Error: Deleting offsets of a consumer group 'g' is forbidden if the group is not empty.",
    ]);
    const unknownTopic = deleteOffsetsText('g', ['nosuch'], { groupId: 'g', error: null, partitions: [] }, ['nosuch']);
    expect(unknownTopic.stderr).toEqual(['Error: Encounter some partition level error, see the follow-up details:']);
    expect(unknownTopic.stdout[1]).toMatch(/nosuch\s+Not Provided\s+Error: UNKNOWN_TOPIC_OR_PARTITION/);
    expect(JSON.parse(deleteOffsetsJson(partial))).toEqual({ group: 'g', error: null, partitions: [{ topic: 'orders', partition: 0, error: 'GROUP_SUBSCRIBED_TO_TOPIC' }] });
  });
});
