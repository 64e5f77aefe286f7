import { decodeCooperativeStickyAssignorUserData, decodeStickyAssignorUserData } from '@kactor/assignors';
import { decodeSubscription, encodeSubscription } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { KafkaClientError } from '../../errors.js';
import { CooperativeAssignmentViolationError } from './group-errors.js';
import { availableAssignors, computeAssignment, decodeMemberAssignment, joinProtocols } from './assignor-adapter.js';

const member = (memberId: string, topics: string[]) => ({ memberId, groupInstanceId: null, metadata: encodeSubscription({ topics }) });
const counts = new Map([
  ['t1', 3],
  ['t2', 3],
]);

describe('assignor adapter', () => {
  it('offers only the assignors it has, in the configured order', () => {
    expect(availableAssignors(['range', 'no-such-assignor']).map((assignor) => assignor.name)).toEqual(['range']);
    expect(availableAssignors(['roundrobin', 'range']).map((assignor) => assignor.name)).toEqual(['roundrobin', 'range']);
    expect(availableAssignors(['no-such-assignor'])).toEqual([]);
  });

  it('puts the same ConsumerProtocolSubscription under every offered protocol', () => {
    const protocols = joinProtocols(['range', 'roundrobin'], ['b', 'a'], 4);
    expect(protocols.map((protocol) => protocol.name)).toEqual(['range', 'roundrobin']);
    const decoded = decodeSubscription(protocols[0]!.metadata);
    expect(decoded.ok && decoded.value).toMatchObject({ topics: ['a', 'b'], ownedPartitions: [], generationId: 4 });
  });

  it('puts the last assignment and its generation in the sticky userData, the generation alone in the cooperative-sticky one', () => {
    const previous = { partitions: [{ topic: 't1', partition: 2 }, { topic: 't1', partition: 0 }], generationId: 7 };
    const [sticky, cooperative, range] = joinProtocols(['sticky', 'cooperative-sticky', 'range'], ['t1'], 8, [], previous);
    const userDataOf = (metadata: Uint8Array) => {
      const decoded = decodeSubscription(metadata);
      if (!decoded.ok) throw new Error(decoded.problem.message);
      return decoded.value.userData;
    };
    expect(decodeStickyAssignorUserData(userDataOf(sticky!.metadata))).toMatchObject({ partitions: [{ topic: 't1', partitions: [0, 2] }], generation: 7 });
    expect(decodeCooperativeStickyAssignorUserData(userDataOf(cooperative!.metadata))).toBe(7);
    expect(userDataOf(range!.metadata)).toBeNull();
    // Before the first assignment the eager sticky assignor has nothing to report.
    expect(userDataOf(joinProtocols(['sticky'], ['t1'], -1)[0]!.metadata)).toBeNull();
  });

  it('keeps an eager sticky group sticky: members that revoked everything keep their partitions when a member joins', () => {
    const first = { partitions: [0, 1, 2].map((partition) => ({ topic: 't1', partition })), generationId: 3 };
    const second = { partitions: [0, 1, 2].map((partition) => ({ topic: 't2', partition })), generationId: 3 };
    const join = (memberId: string, previous: typeof first | null) => ({ memberId, groupInstanceId: null, metadata: joinProtocols(['sticky'], ['t1', 't2'], 3, [], previous)[0]!.metadata });
    const result = computeAssignment('sticky', [join('c1', first), join('c2', second), join('c3', null)], (topic) => counts.get(topic));
    const byMember = new Map(result.assignments.map((entry) => [entry.memberId, decodeMemberAssignment(entry.assignment).map((tp) => `${tp.topic}-${tp.partition}`)]));
    // Each old member gives up exactly one partition to the newcomer and keeps the rest.
    expect(byMember.get('c1')).toHaveLength(2);
    expect(byMember.get('c1')!.every((partition) => partition.startsWith('t1-'))).toBe(true);
    expect(byMember.get('c2')).toHaveLength(2);
    expect(byMember.get('c2')!.every((partition) => partition.startsWith('t2-'))).toBe(true);
    expect(byMember.get('c3')).toHaveLength(2);
  });

  it("computes Kafka's range example for two members and two topics of three partitions", () => {
    const result = computeAssignment('range', [member('c0', ['t1', 't2']), member('c1', ['t1', 't2'])], (topic) => counts.get(topic));
    const byMember = new Map(result.assignments.map((entry) => [entry.memberId, decodeMemberAssignment(entry.assignment).map((tp) => `${tp.topic}-${tp.partition}`)]));
    expect(byMember.get('c0')).toEqual(['t1-0', 't1-1', 't2-0', 't2-1']);
    expect(byMember.get('c1')).toEqual(['t1-2', 't2-2']);
    expect(result.partitionCounts).toEqual({ t1: 3, t2: 3 });
  });

  it("computes Kafka's roundrobin example and records unknown topics as -1", () => {
    const result = computeAssignment('roundrobin', [member('c1', ['t1', 't2', 'gone']), member('c2', ['t1', 't2'])], (topic) => counts.get(topic));
    const byMember = new Map(result.assignments.map((entry) => [entry.memberId, decodeMemberAssignment(entry.assignment).map((tp) => `${tp.topic}-${tp.partition}`)]));
    expect(byMember.get('c1')).toEqual(['t1-0', 't1-2', 't2-1']);
    expect(byMember.get('c2')).toEqual(['t1-1', 't2-0', 't2-2']);
    expect(result.partitionCounts.gone).toBe(-1);
  });

  it('assigns a member with an unreadable subscription nothing, and lists it, while the others share every partition', () => {
    const computed = computeAssignment('range', [{ memberId: 'x', groupInstanceId: null, metadata: new Uint8Array([0, 1, 0]) }, member('c0', ['t1'])], () => 2);
    expect(computed.unreadableMembers).toEqual([{ memberId: 'x', problem: expect.any(String) as string }]);
    const shares = computed.assignments.map(({ memberId, assignment }) => [memberId, decodeMemberAssignment(assignment)]);
    expect(shares).toEqual([
      ['x', []],
      ['c0', [{ topic: 't1', partition: 0 }, { topic: 't1', partition: 1 }]],
    ]);
  });

  it('refuses an assignor it does not have', () => {
    expect(() => computeAssignment('no-such-assignor', [member('c0', ['t1'])], () => 1)).toThrow(KafkaClientError);
    expect(() => computeAssignment('no-such-assignor', [member('c0', ['t1'])], () => 1)).toThrow(/does not have/);
    expect(decodeMemberAssignment(new Uint8Array(0))).toEqual([]);
  });

  it('COOPERATIVE leader: refuses an assignment that hands a partition to a new owner in the round it is revoked', () => {
    const owning = (memberId: string, partitions: number[]) => ({
      memberId,
      groupInstanceId: null,
      metadata: encodeSubscription({ topics: ['t1'], ownedPartitions: [{ topic: 't1', partitions }], generationId: 1 }),
    });
    // range gives t1-2 to c1 while c0 still owns it.
    const members = [owning('c0', [0, 1, 2]), owning('c1', [])];
    expect(() => computeAssignment('range', members, () => 3, 'COOPERATIVE')).toThrow(CooperativeAssignmentViolationError);
    expect(() => computeAssignment('range', members, () => 3, 'EAGER')).not.toThrow();
    const fair = computeAssignment('cooperative-sticky', members, () => 3, 'COOPERATIVE');
    expect(decodeMemberAssignment(fair.assignments.find((entry) => entry.memberId === 'c1')!.assignment)).toEqual([]);
  });

  it('sends the owned partitions and their generation in the subscription (KIP-429)', () => {
    const [protocol] = joinProtocols(['cooperative-sticky'], ['t1'], 3, [{ topic: 't1', partition: 2 }, { topic: 't1', partition: 0 }]);
    const decoded = decodeSubscription(protocol!.metadata);
    expect(decoded.ok && decoded.value).toMatchObject({ ownedPartitions: [{ topic: 't1', partitions: [0, 2] }], generationId: 3 });
  });
});
