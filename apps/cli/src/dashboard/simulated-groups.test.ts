import { describe, expect, it } from 'vitest';
import { createSimulatedGroups, splitPartitionName } from './simulated-groups.js';

const trace = [
  { type: 'run.started', timeMs: 0, partitions: { orders: 2 }, groups: { app: { topics: ['orders'], guarantee: 'at-least-once' } } },
  { type: 'member.started', timeMs: 0, group: 'app', member: 'app/member-0' },
  { type: 'member.started', timeMs: 0, group: 'app', member: 'app/member-1' },
  { type: 'member.assigned', timeMs: 1_000, group: 'app', member: 'app/member-0', partitions: ['orders-0'], generation: 1 },
  { type: 'member.assigned', timeMs: 1_000, group: 'app', member: 'app/member-1', partitions: ['orders-1'], generation: 1 },
  { type: 'record.acked', timeMs: 1_500, producer: 'producer-0', partition: 'orders-0', offset: 0, id: 'r0' },
  { type: 'record.acked', timeMs: 1_600, producer: 'producer-0', partition: 'orders-0', offset: 1, id: 'r1' },
  { type: 'offset.committed', timeMs: 2_000, group: 'app', member: 'app/member-0', partition: 'orders-0', offset: 1, generation: 1 },
  { type: 'member.crashed', timeMs: 5_000, group: 'app', member: 'app/member-1' },
  { type: 'member.assigned', timeMs: 9_000, group: 'app', member: 'app/member-0', partitions: ['orders-1'], generation: 2 },
];

const coordinator = { id: 'broker-2/group/app', machine: 'consumer-group-coordinator', state: 'Stable' };

describe("a replayed run's groups for the dashboard", () => {
  it('shows the live members, what each owns, offsets and lag as of the simulated time played', () => {
    const groups = createSimulatedGroups(100);
    for (const event of trace) groups.observe(event);

    const [atTwo] = groups.groupsAt(2_000, [coordinator]);
    expect(atTwo).toMatchObject({ group: 'app', type: 'consumer', state: 'Stable', coordinator: 2, generation: 1 });
    expect(atTwo?.members.map((member) => [member.memberId, member.assignment])).toEqual([
      ['app/member-0', [{ topic: 'orders', partition: 0 }]],
      ['app/member-1', [{ topic: 'orders', partition: 1 }]],
    ]);
    expect(atTwo?.partitions).toEqual([
      { topic: 'orders', partition: 0, committedOffset: 1, logEndOffset: 2, lag: 1, memberId: 'app/member-0' },
      { topic: 'orders', partition: 1, committedOffset: null, logEndOffset: 0, lag: 0, memberId: 'app/member-1' },
    ]);

    const [afterCrash] = groups.groupsAt(6_000, []);
    expect(afterCrash).toMatchObject({ state: 'Unknown', coordinator: null });
    expect(afterCrash?.members.map((member) => member.memberId)).toEqual(['app/member-0']);
    expect(afterCrash?.partitions[1]?.memberId).toBeNull();

    const [atEnd] = groups.groupsAt(10_000, [{ ...coordinator, machine: 'group-coordinator' }]);
    expect(atEnd).toMatchObject({ type: 'classic', generation: 2 });
    expect(atEnd?.members[0]?.assignment).toEqual([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
    ]);
  });

  it('reads partition names whose topic holds dashes', () => {
    expect(splitPartitionName('my-topic-12')).toEqual({ topic: 'my-topic', partition: 12 });
  });
});
