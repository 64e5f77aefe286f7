import type { GroupDescription } from '@kactor/client';
import { describe, expect, it } from 'vitest';
import { describeMembersJson, describeMembersText, describeStateJson, describeStateText } from './group-describe-views.js';
import { describeGroupJson, describeGroupText } from './group-output.js';

const orders = (...partitions: number[]) => partitions.map((partition) => ({ topic: 'orders', partition }));

/** A consumer group (KIP-848) in the middle of a reconciliation: b still owns orders-2, which the assignor gave to a. */
const g848: GroupDescription = {
  groupId: 'g848',
  type: 'consumer',
  state: 'Reconciling',
  protocolType: 'consumer',
  protocol: 'uniform',
  generationId: 12,
  groupEpoch: 12,
  targetAssignmentEpoch: 12,
  assignorName: 'uniform',
  leaderId: '',
  coordinator: { nodeId: 1, host: '127.0.0.1', port: 9101, url: 'ws://127.0.0.1:9101' },
  members: [
    { memberId: 'a', groupInstanceId: null, clientId: 'c1', host: '/127.0.0.1', assignment: orders(0, 1), memberEpoch: 12, memberState: 'UNRELEASED_PARTITIONS', targetAssignment: orders(0, 1, 2), partitionsPendingRevocation: [] },
    { memberId: 'b', groupInstanceId: null, clientId: 'c2', host: '/127.0.0.1', assignment: orders(2, 3), memberEpoch: 11, memberState: 'UNREVOKED_PARTITIONS', targetAssignment: orders(3), partitionsPendingRevocation: orders(2) },
  ],
  error: null,
};

describe('groups describe of a consumer group (KIP-848)', () => {
  it('--members --verbose: Kafka\'s CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH TARGET-ASSIGNMENT, and the member\'s STATE', () => {
    const json = describeMembersJson(g848);
    expect(describeMembersText(json, true).split('\n')).toEqual([
      'GROUP  CONSUMER-ID  HOST        CLIENT-ID  #PARTITIONS  CURRENT-EPOCH  CURRENT-ASSIGNMENT  TARGET-EPOCH  TARGET-ASSIGNMENT  STATE',
      'g848   a            /127.0.0.1  c1         2            12             orders(0,1)         12            orders(0,1,2)      UNRELEASED_PARTITIONS',
      'g848   b            /127.0.0.1  c2         2            11             orders(2,3)         12            orders(3)          UNREVOKED_PARTITIONS',
    ]);
    // Without --verbose the columns are the classic ones; an unknown client id is "-".
    const withoutClientId = describeMembersJson({ ...g848, members: [{ ...g848.members[0]!, clientId: '' }] });
    expect(describeMembersText(withoutClientId, false).split('\n')).toEqual(['GROUP  CONSUMER-ID  HOST        CLIENT-ID  #PARTITIONS', 'g848   a            /127.0.0.1  -          2']);
  });

  it('--members --json: type and epochs for the group, epoch, state, target and pending revocations per member, beside every classic field', () => {
    const json = describeMembersJson(g848);
    expect(json).toMatchObject({ group: 'g848', type: 'consumer', state: 'Reconciling', groupEpoch: 12, targetAssignmentEpoch: 12 });
    expect(json.members[1]).toEqual({
      memberId: 'b',
      clientId: 'c2',
      host: '/127.0.0.1',
      instanceId: null,
      partitions: 2,
      assignment: orders(2, 3),
      memberEpoch: 11,
      memberState: 'UNREVOKED_PARTITIONS',
      targetAssignment: orders(3),
      partitionsPendingRevocation: orders(2),
    });
  });

  it('--state: the assignor, GROUP-EPOCH and TARGET-ASSIGNMENT-EPOCH', () => {
    const json = describeStateJson(g848);
    expect(json).toEqual({ group: 'g848', type: 'consumer', coordinator: 1, coordinatorAddress: '127.0.0.1:9101', assignmentStrategy: 'uniform', state: 'Reconciling', groupEpoch: 12, targetAssignmentEpoch: 12, memberCount: 2 });
    expect(describeStateText(json).split('\n')).toEqual([
      'GROUP  COORDINATOR (ID)     ASSIGNMENT-STRATEGY  STATE        GROUP-EPOCH  TARGET-ASSIGNMENT-EPOCH  #MEMBERS',
      'g848   127.0.0.1:9101  (1)  uniform              Reconciling  12           12                       2',
    ]);
  });

  it('the default view: "type":"consumer" and the epochs in JSON, each member\'s assignment as for classic groups, and the type in the summary', () => {
    const json = describeGroupJson(g848, [{ topic: 'orders', partition: 0, offset: 5, metadata: '', leaderEpoch: -1 }], new Map([['orders\u00000', 9]]));
    expect(Object.keys(json)).toEqual(['group', 'type', 'state', 'protocol', 'generation', 'groupEpoch', 'targetAssignmentEpoch', 'coordinator', 'members', 'partitions']);
    expect(json.members[0]).toEqual({ memberId: 'a', clientId: 'c1', host: '/127.0.0.1', instanceId: null, assignment: orders(0, 1), memberEpoch: 12, memberState: 'UNRELEASED_PARTITIONS', targetAssignment: orders(0, 1, 2), partitionsPendingRevocation: [] });
    expect(json.partitions[0]).toEqual({ topic: 'orders', partition: 0, committedOffset: 5, logEndOffset: 9, lag: 4, memberId: 'a' });
    expect(describeGroupText(json).split('\n')[0]).toBe('Group g848 (consumer): state Reconciling, assignor uniform, group epoch 12, target assignment epoch 12, coordinator 1, 2 members');
  });
});
