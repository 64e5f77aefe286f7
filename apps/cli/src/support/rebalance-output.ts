/**
 * What `kactor groups rebalances` and `kactor groups remove-member` print, as pure functions.
 *
 * `groups rebalances G --json` prints the coordinator's records as one JSON array, each record with its
 * keys in this fixed order (a user-facing contract; see DescribeRebalances in @kactor/protocol):
 * `{"groupId","sequence","trigger","reason","protocol","protocolName","fromGeneration","toGeneration",
 * "generations","startMs","endMs","durationMs","partitionsMoved","members":[{"memberId","groupInstanceId",
 * "clientId","owned","assigned","revoked","added","pausedMs","partiallyPausedMs","remained"}]}`, partitions
 * as `[{"topic","partitions":[...]}]`. Without --json, a table of rebalances with each one's members below it. A
 * consumer group's (KIP-848) records have protocol CONSUMER and its group epochs in the generation fields.
 */
import type { GroupRebalanceRecord, RemoveMembersResult } from '@kactor/client';
import { describeError } from './errors.js';
import { formatTable } from './group-output.js';

type MemberRecord = GroupRebalanceRecord['members'][number];
type Partitions = MemberRecord['owned'];

const partitionsJson = (list: Partitions) => list.map((entry) => ({ topic: entry.topic, partitions: [...entry.partitions] }));

/** One record with its keys in the documented order. */
export function rebalanceRecordJson(record: GroupRebalanceRecord): Record<string, unknown> {
  return {
    groupId: record.groupId,
    sequence: record.sequence,
    trigger: record.trigger,
    reason: record.reason,
    protocol: record.protocol,
    protocolName: record.protocolName,
    fromGeneration: record.fromGeneration,
    toGeneration: record.toGeneration,
    generations: [...record.generations],
    startMs: record.startMs,
    endMs: record.endMs,
    durationMs: record.durationMs,
    partitionsMoved: record.partitionsMoved,
    members: record.members.map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      clientId: member.clientId,
      owned: partitionsJson(member.owned),
      assigned: partitionsJson(member.assigned),
      revoked: partitionsJson(member.revoked),
      added: partitionsJson(member.added),
      pausedMs: member.pausedMs,
      partiallyPausedMs: member.partiallyPausedMs,
      remained: member.remained,
    })),
  };
}

export function rebalancesJson(records: readonly GroupRebalanceRecord[]): string {
  return JSON.stringify(records.map(rebalanceRecordJson));
}

/** `t-0,t-1,u-3`, or `-` for none (Kafka's tools print "-" for nothing). */
export function partitionNames(list: Partitions): string {
  const names = list.flatMap((entry) => entry.partitions.map((partition) => `${entry.topic}-${partition}`));
  return names.length === 0 ? '-' : names.join(',');
}

const recordHeaders = ['#', 'TRIGGER', 'PROTOCOL', 'GENERATIONS', 'DURATION-MS', 'PARTITIONS-MOVED', 'REASON'];
const memberHeaders = ['MEMBER', 'INSTANCE', 'REVOKED', 'ASSIGNED', 'PAUSED-MS', 'PARTIALLY-PAUSED-MS'];
const indent = '    ';

/**
 * The rebalances as a table, one row per rebalance, its members indented below it (a member that left
 * during the rebalance is marked "(left)").
 */
export function rebalancesText(groupId: string, records: readonly GroupRebalanceRecord[]): string {
  if (records.length === 0) return `No rebalances recorded for group '${groupId}'.`;
  const rows = records.map((record) => [
    String(record.sequence),
    record.trigger,
    record.protocol,
    record.generations.join(','),
    String(record.durationMs),
    String(record.partitionsMoved),
    record.reason ?? '-',
  ]);
  // A consumer group's (KIP-848) rebalances go through group epochs, not generations.
  const headers = records.every((record) => record.protocol === 'CONSUMER') ? recordHeaders.map((name) => (name === 'GENERATIONS' ? 'GROUP-EPOCHS' : name)) : recordHeaders;
  const [header = '', ...lines] = formatTable(headers, rows).split('\n');
  const out = [header];
  records.forEach((record, index) => {
    out.push(lines[index] ?? '');
    if (record.members.length === 0) return;
    const memberRows = record.members.map((member) => [
      member.remained ? member.memberId : `${member.memberId} (left)`,
      member.groupInstanceId ?? '-',
      partitionNames(member.revoked),
      partitionNames(member.assigned),
      String(member.pausedMs),
      String(member.partiallyPausedMs),
    ]);
    for (const line of formatTable(memberHeaders, memberRows).split('\n')) out.push(`${indent}${line}`);
  });
  return out.join('\n');
}

/** One line per member asked for: removed, or why not (Kafka's error name). */
export function removeMembersText(result: RemoveMembersResult): { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  for (const member of result.members) {
    if (member.error === null) stdout.push(`Removed member with group.instance.id '${member.groupInstanceId}' from group '${result.groupId}'.`);
    else stderr.push(`${member.groupInstanceId}: ${member.error.errorName === 'UNKNOWN_MEMBER_ID' ? `UNKNOWN_MEMBER_ID: no member of group '${result.groupId}' has this group.instance.id` : describeError(member.error)}`);
  }
  return { stdout, stderr };
}

/** `--instance-id a --instance-id b,c` → [a, b, c]: repeatable and comma-separated, blanks dropped, duplicates once. */
export function parseInstanceIds(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== ''))];
}
