import type { GroupDescription } from '@kactor/client';
import { describe, expect, it } from 'vitest';
import { describeGroupJson, describeGroupText, eventJson, eventText, formatTable, parseTopicPartitions } from './group-output.js';

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
    { memberId: 'a-1', groupInstanceId: null, clientId: 'a', host: '/127.0.0.1', assignment: [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }] },
    { memberId: 'b-2', groupInstanceId: null, clientId: 'b', host: '/127.0.0.1', assignment: [] },
  ],
  error: null,
};
const ends = new Map([
  ['orders\u00000', 10],
  ['orders\u00001', 7],
  ['orders\u00002', 4],
]);

describe('group output', () => {
  it('prints lifecycle events as JSON lines with the documented keys', () => {
    expect(eventJson({ type: 'state', from: 'syncing', to: 'stable', generation: 2 })).toBe('{"type":"state","from":"syncing","to":"stable","generation":2}');
    expect(eventJson({ type: 'lost', partitions: [{ topic: 'orders', partition: 1 }], generation: 2 })).toBe('{"type":"lost","partitions":[{"topic":"orders","partition":1}],"generation":2}');
    expect(eventJson({ type: 'assigned', partitions: [{ topic: 'orders', partition: 1 }], generation: 3 }, 1_700_000_000_123)).toBe(
      '{"type":"assigned","partitions":[{"topic":"orders","partition":1}],"generation":3,"atMs":1700000000123}',
    );
    expect(eventText({ type: 'assigned', partitions: [], generation: 4 })).toBe('[group] assigned (generation 4): none');
  });

  it('describes a group in the documented JSON shape, with lag and owner per partition', () => {
    const committed = [
      { topic: 'orders', partition: 0, offset: 8, metadata: '', leaderEpoch: -1 },
      { topic: 'orders', partition: 2, offset: 4, metadata: '', leaderEpoch: -1 },
    ];
    const json = describeGroupJson(description, committed, ends);
    expect(JSON.stringify(json)).toBe(
      JSON.stringify({
        group: 'analytics',
        type: 'classic',
        state: 'Stable',
        protocol: 'range',
        generation: 3,
        coordinator: 1,
        members: [
          { memberId: 'a-1', clientId: 'a', host: '/127.0.0.1', instanceId: null, assignment: [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }] },
          { memberId: 'b-2', clientId: 'b', host: '/127.0.0.1', instanceId: null, assignment: [] },
        ],
        partitions: [
          { topic: 'orders', partition: 0, committedOffset: 8, logEndOffset: 10, lag: 2, memberId: 'a-1' },
          { topic: 'orders', partition: 1, committedOffset: null, logEndOffset: 7, lag: null, memberId: 'a-1' },
          { topic: 'orders', partition: 2, committedOffset: 4, logEndOffset: 4, lag: 0, memberId: null },
        ],
      }),
    );
  });

  it("prints Kafka's --describe columns, dashes for unknowns, and idle members", () => {
    const text = describeGroupText(describeGroupJson(description, [{ topic: 'orders', partition: 0, offset: 8, metadata: '', leaderEpoch: -1 }], ends));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Group analytics (classic): state Stable, protocol range, generation 3, coordinator 1, 2 members');
    expect(lines[2]!.split(/\s+/)).toEqual(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
    expect(lines[3]!.split(/\s+/)).toEqual(['analytics', 'orders', '0', '8', '10', '2', 'a-1', '/127.0.0.1', 'a']);
    expect(lines[4]!.split(/\s+/)).toEqual(['analytics', 'orders', '1', '-', '7', '-', 'a-1', '/127.0.0.1', 'a']);
    expect(lines[5]!.split(/\s+/)).toEqual(['analytics', '-', '-', '-', '-', '-', 'b-2', '/127.0.0.1', 'b']);
  });

  it('says when a group has no active members', () => {
    const empty = describeGroupText(describeGroupJson({ ...description, state: 'Empty', members: [] }, [], ends));
    expect(empty).toContain("Consumer group 'analytics' has no active members.");
  });

  it('aligns table columns', () => {
    expect(formatTable(['A', 'LONGER'], [['xyz', '1']])).toBe('A    LONGER\nxyz  1');
  });

  it("reads Kafka's --topic T:P,P syntax", () => {
    expect(parseTopicPartitions('orders')).toEqual({ topic: 'orders' });
    expect(parseTopicPartitions('orders:0,2')).toEqual({ topic: 'orders', partitions: [0, 2] });
    expect(() => parseTopicPartitions('orders:x')).toThrow(/not a partition number/);
  });
});
