/**
 * fast-check generators of consumer groups for the server assignors' property tests (test support only, not
 * exported). Topic ids are Kafka Uuids (22 base64url characters) as kactor's topics have; current assignments are
 * valid target assignments (each partition held by at most one member, possibly one that no longer subscribes).
 */
import fc from 'fast-check';
import type { ServerAssignorGroupSpec, ServerAssignorMember, SubscribedTopicDescriber } from './server-assignor.js';
import { describerOf, subscriptionTypeOf } from './server-test-helpers.js';

const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];

/** A canonical Kafka Uuid: 21 free characters and a last one whose four padding bits are zero. */
const topicId = fc
  .tuple(fc.array(fc.constantFrom(...BASE64URL), { minLength: 21, maxLength: 21 }), fc.constantFrom('A', 'Q', 'g', 'w'))
  .map(([head, last]) => head.join('') + last);

export interface ServerGroupCase {
  readonly group: ServerAssignorGroupSpec;
  readonly topics: SubscribedTopicDescriber;
  readonly partitionCounts: Readonly<Record<string, number>>;
}

export interface ServerGroupShape {
  /** Every member subscribes to the same topics. */
  readonly homogeneous?: boolean;
  readonly maxMembers?: number;
  readonly maxTopics?: number;
  readonly maxPartitions?: number;
}

export function arbitraryServerGroup(shape: ServerGroupShape = {}): fc.Arbitrary<ServerGroupCase> {
  const maxMembers = shape.maxMembers ?? 10;
  return fc
    .record({
      counts: fc.uniqueArray(fc.tuple(topicId, fc.integer({ min: 0, max: shape.maxPartitions ?? 12 })), {
        minLength: 1,
        maxLength: shape.maxTopics ?? 6,
        selector: ([id]) => id,
      }),
      memberIds: fc.uniqueArray(fc.oneof(fc.constantFrom('A', 'B', 'a', 'member-10', 'member-2'), fc.string({ minLength: 1, maxLength: 8 })), {
        minLength: 1,
        maxLength: maxMembers,
      }),
      statics: fc.array(fc.boolean(), { minLength: maxMembers, maxLength: maxMembers }),
      seed: fc.integer(),
    })
    .chain(({ counts, memberIds, statics, seed }) => {
      const topicIds = counts.map(([id]) => id);
      const subscription = fc.shuffledSubarray(topicIds, { minLength: shape.homogeneous === true ? 1 : 0 });
      const subscriptions = shape.homogeneous === true
        ? subscription.map((topics) => memberIds.map(() => topics))
        : fc.array(subscription, { minLength: memberIds.length, maxLength: memberIds.length });
      // For each partition: -1 (nobody) or the index of the member holding it in the current target assignment.
      const owners = fc.tuple(...counts.map(([, count]) => fc.array(fc.integer({ min: -1, max: memberIds.length - 1 }), { minLength: count, maxLength: count })));
      return fc.tuple(subscriptions, owners).map(([topicLists, ownerLists]): ServerGroupCase => {
        const held = memberIds.map(() => new Map<string, Set<number>>());
        counts.forEach(([id], topicIndex) => {
          ownerLists[topicIndex]!.forEach((owner, partition) => {
            if (owner < 0) return;
            const assignment = held[owner]!;
            if (!assignment.has(id)) assignment.set(id, new Set());
            assignment.get(id)!.add(partition);
          });
        });
        const members: ServerAssignorMember[] = memberIds.map((memberId, index) => ({
          memberId,
          instanceId: statics[index] === true ? `instance-${(seed + index) % 97}-${index}` : null,
          rackId: null,
          subscribedTopicIds: new Set(topicLists[index]),
          assignedPartitions: held[index]!,
        }));
        const partitionCounts = Object.fromEntries(counts);
        return { group: { members, subscriptionType: subscriptionTypeOf(members) }, topics: describerOf(partitionCounts), partitionCounts };
      });
    });
}
