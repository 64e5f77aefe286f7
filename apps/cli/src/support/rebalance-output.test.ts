import type { GroupRebalanceRecord } from '@kactor/client';
import { KafkaProtocolError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { parseInstanceIds, partitionNames, rebalancesJson, rebalancesText, removeMembersText } from './rebalance-output.js';

const record: GroupRebalanceRecord = {
  groupId: 'analytics',
  sequence: 2,
  trigger: 'join',
  reason: 'joining the group',
  protocol: 'EAGER',
  protocolName: 'range',
  fromGeneration: 1,
  toGeneration: 2,
  generations: [2],
  startMs: 1_000,
  endMs: 1_350,
  durationMs: 350,
  members: [
    {
      memberId: 'a-1',
      groupInstanceId: 'i-a',
      clientId: 'a',
      owned: [{ topic: 'orders', partitions: [0, 1] }],
      assigned: [{ topic: 'orders', partitions: [0] }],
      revoked: [{ topic: 'orders', partitions: [1] }],
      added: [],
      pausedMs: 250,
      partiallyPausedMs: 0,
      remained: true,
    },
    {
      memberId: 'b-2',
      groupInstanceId: null,
      clientId: 'b',
      owned: [{ topic: 'orders', partitions: [2] }],
      assigned: [],
      revoked: [{ topic: 'orders', partitions: [2] }],
      added: [],
      pausedMs: 0,
      partiallyPausedMs: 0,
      remained: false,
    },
  ],
  partitionsMoved: 1,
};

describe('rebalance output', () => {
  it('prints the records as one JSON array with the documented keys in a fixed order', () => {
    const json = rebalancesJson([record]);
    const parsed = JSON.parse(json) as Array<Record<string, unknown>>;
    expect(Object.keys(parsed[0] ?? {})).toEqual([
      'groupId',
      'sequence',
      'trigger',
      'reason',
      'protocol',
      'protocolName',
      'fromGeneration',
      'toGeneration',
      'generations',
      'startMs',
      'endMs',
      'durationMs',
      'partitionsMoved',
      'members',
    ]);
    expect(Object.keys((parsed[0]?.members as Array<Record<string, unknown>>)[0] ?? {})).toEqual([
      'memberId',
      'groupInstanceId',
      'clientId',
      'owned',
      'assigned',
      'revoked',
      'added',
      'pausedMs',
      'partiallyPausedMs',
      'remained',
    ]);
    expect(json).toContain('"revoked":[{"topic":"orders","partitions":[1]}]');
    expect(rebalancesJson([])).toBe('[]');
  });

  it('prints a table of rebalances with each one’s members indented below it', () => {
    expect(rebalancesText('analytics', [record]).split('\n')).toEqual([
      '#  TRIGGER  PROTOCOL  GENERATIONS  DURATION-MS  PARTITIONS-MOVED  REASON',
      '2  join     EAGER     2            350          1                 joining the group',
      '    MEMBER      INSTANCE  REVOKED   ASSIGNED  PAUSED-MS  PARTIALLY-PAUSED-MS',
      '    a-1         i-a       orders-1  orders-0  250        0',
      '    b-2 (left)  -         orders-2  -         0          0',
    ]);
  });

  it("prints a consumer group's (KIP-848) records with protocol CONSUMER and its GROUP-EPOCHS", () => {
    const consumer: GroupRebalanceRecord = { ...record, protocol: 'CONSUMER', protocolName: 'uniform', fromGeneration: 11, toGeneration: 12, generations: [12], members: [] };
    expect(rebalancesText('g848', [consumer]).split('\n')).toEqual([
      '#  TRIGGER  PROTOCOL  GROUP-EPOCHS  DURATION-MS  PARTITIONS-MOVED  REASON',
      '2  join     CONSUMER  12            350          1                 joining the group',
    ]);
    expect(JSON.parse(rebalancesJson([consumer]))[0]).toMatchObject({ protocol: 'CONSUMER', protocolName: 'uniform', fromGeneration: 11, toGeneration: 12, generations: [12] });
  });

  it('says so when nothing was recorded', () => {
    expect(rebalancesText('analytics', [])).toBe("No rebalances recorded for group 'analytics'.");
  });

  it('names partitions topic-partition, or - for none', () => {
    expect(partitionNames([{ topic: 't', partitions: [0, 3] }, { topic: 'u', partitions: [1] }])).toBe('t-0,t-3,u-1');
    expect(partitionNames([])).toBe('-');
  });

  it('reports each removal, and failures by Kafka error name', () => {
    const lines = removeMembersText({
      groupId: 'analytics',
      members: [
        { groupInstanceId: 'i-a', error: null },
        { groupInstanceId: 'i-z', error: KafkaProtocolError.from('UNKNOWN_MEMBER_ID', 'i-z: UNKNOWN_MEMBER_ID') },
      ],
    });
    expect(lines.stdout).toEqual(["Removed member with group.instance.id 'i-a' from group 'analytics'."]);
    expect(lines.stderr).toEqual(["i-z: UNKNOWN_MEMBER_ID: no member of group 'analytics' has this group.instance.id"]);
  });

  it('accepts --instance-id repeated or comma-separated', () => {
    expect(parseInstanceIds(['a', 'b, c', 'a', ' '])).toEqual(['a', 'b', 'c']);
  });
});
