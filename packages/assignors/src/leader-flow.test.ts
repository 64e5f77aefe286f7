/**
 * The group leader's path through this package: subscriptions decoded from JoinGroup metadata go
 * straight into an assignor, and its shares go straight into SyncGroup assignment bytes.
 */
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { assignorByName } from './registry.js';
import type { GroupMember } from './types.js';

describe('leader flow', () => {
  it('assigns from decoded JoinGroup metadata and encodes shares each member can decode', () => {
    const joined = [
      { memberId: 'consumer-b', groupInstanceId: null, metadata: encodeSubscription({ topics: ['orders', 'clicks'] }, 0) },
      { memberId: 'consumer-a', groupInstanceId: null, metadata: encodeSubscription({ topics: ['orders'], generationId: 3, rackId: 'r1' }) },
    ];
    const members: GroupMember[] = joined.map(({ memberId, groupInstanceId, metadata }) => {
      const subscription = decodeSubscription(metadata);
      if (!subscription.ok) throw new Error(subscription.problem.message);
      return { memberId, groupInstanceId, ...subscription.value };
    });
    const { assignments } = assignorByName('range').assign({
      partitionsPerTopic: new Map([
        ['orders', 3],
        ['clicks', 2],
      ]),
      members,
    });
    const received = new Map(
      [...assignments].map(([memberId, share]) => {
        const decoded = decodeAssignment(encodeAssignment(share));
        if (!decoded.ok) throw new Error(decoded.problem.message);
        return [memberId, decoded.value.assignedPartitions];
      }),
    );
    expect(received).toEqual(
      new Map([
        ['consumer-a', [{ topic: 'orders', partitions: [0, 1] }]],
        [
          'consumer-b',
          [
            { topic: 'clicks', partitions: [0, 1] },
            { topic: 'orders', partitions: [2] },
          ],
        ],
      ]),
    );
  });
});
