/**
 * What the group commands print, as pure functions: lifecycle events as JSON lines, `groups describe`
 * as JSON (`{"group","type","state","protocol","generation",["groupEpoch","targetAssignmentEpoch",]"coordinator","members":[...],"partitions":[...]}`,
 * the epochs for consumer groups only, KIP-848)
 * or as Kafka's kafka-consumer-groups --describe table, and the `--topic T:0,2` syntax.
 */
import type { CommittedOffset, ConsumerEvent, GroupDescription, GroupMemberDescription, GroupType, RebalanceRecord } from '@kactor/client';

/**
 * One lifecycle event as a JSON line, keys in a fixed order. With `atMs` (the wall clock when the event
 * happened, epoch ms) the line ends with `"atMs"`: the streams of consumers in different processes on one
 * machine can then be merged in time, e.g. to check that no partition ever had two owners at once.
 */
export function eventJson(event: ConsumerEvent, atMs?: number): string {
  const at = atMs === undefined ? {} : { atMs };
  if (event.type === 'state') {
    const protocol = event.protocol === undefined ? {} : { protocol: event.protocol };
    return JSON.stringify({ type: 'state', from: event.from, to: event.to, generation: event.generation, ...protocol, ...at });
  }
  if (event.type === 'rebalance') return rebalanceJson(event.record, atMs);
  return JSON.stringify({ type: event.type, partitions: event.partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition })), generation: event.generation, ...at });
}

/** A lifecycle event in words, for a terminal. */
export function eventText(event: ConsumerEvent): string {
  if (event.type === 'state') return `[group] ${event.from} -> ${event.to} (generation ${event.generation})`;
  if (event.type === 'rebalance') return rebalanceText(event.record);
  const partitions = event.partitions.map((tp) => `${tp.topic}-${tp.partition}`).join(', ');
  return `[group] ${event.type} (generation ${event.generation}): ${partitions === '' ? 'none' : partitions}`;
}

/**
 * A consumer's own rebalance record as one JSON line (the record's fields after `type`):
 * `{"type":"rebalance","trigger","reason","protocol","fromGeneration","generations","startMs","endMs",
 * "revoked","assigned","lost","pausedMs","partiallyPausedMs","completed"}`.
 */
export function rebalanceJson(record: RebalanceRecord, atMs?: number): string {
  const partitions = (list: RebalanceRecord['revoked']) => list.map((tp) => ({ topic: tp.topic, partition: tp.partition }));
  return JSON.stringify({
    type: 'rebalance',
    trigger: record.trigger,
    reason: record.reason,
    protocol: record.protocol,
    fromGeneration: record.fromGeneration,
    generations: record.generations,
    startMs: record.startMs,
    endMs: record.endMs,
    revoked: partitions(record.revoked),
    assigned: partitions(record.assigned),
    lost: partitions(record.lost),
    pausedMs: record.pausedMs,
    partiallyPausedMs: record.partiallyPausedMs,
    completed: record.completed,
    ...(atMs === undefined ? {} : { atMs }),
  });
}

function rebalanceText(record: RebalanceRecord): string {
  const names = (list: RebalanceRecord['revoked']) => (list.length === 0 ? 'none' : list.map((tp) => `${tp.topic}-${tp.partition}`).join(', '));
  const generations = record.generations.length === 0 ? 'none' : record.generations.join(', ');
  return (
    `[group] rebalance ${record.protocol} (${record.trigger}${record.completed ? '' : ', unfinished'}) took ${record.endMs - record.startMs} ms, ` +
    `paused ${record.pausedMs} ms, partially paused ${record.partiallyPausedMs} ms; generations ${generations}; ` +
    `revoked ${names(record.revoked)}; assigned ${names(record.assigned)}; lost ${names(record.lost)}`
  );
}

/** A member's partitions in the JSON shapes. */
export type TopicPartitionJson = { topic: string; partition: number };

/** What a consumer group's member (KIP-848) adds to the member shapes, after `assignment`. */
export interface ConsumerMemberJson {
  memberEpoch: number;
  /** Kafka's MemberState name: STABLE, UNREVOKED_PARTITIONS, UNRELEASED_PARTITIONS... */
  memberState: string;
  targetAssignment: TopicPartitionJson[];
  partitionsPendingRevocation: TopicPartitionJson[];
}

export interface DescribeGroupJson {
  group: string;
  /** classic or consumer (KIP-848). */
  type: GroupType;
  state: string;
  /** The assignor: a classic group's protocol, a consumer group's server-side assignor. */
  protocol: string;
  /** A classic group's generation; a consumer group's group epoch. */
  generation: number;
  /** Consumer groups only: the group epoch and the epoch of its target assignment. */
  groupEpoch?: number;
  targetAssignmentEpoch?: number;
  /** The coordinator's broker id, or null when it could not be found. */
  coordinator: number | null;
  members: Array<{ memberId: string; clientId: string; host: string; instanceId: string | null; assignment: TopicPartitionJson[] } & Partial<ConsumerMemberJson>>;
  partitions: Array<{ topic: string; partition: number; committedOffset: number | null; logEndOffset: number | null; lag: number | null; memberId: string | null }>;
}

const partitionsJson = (list: ReadonlyArray<{ topic: string; partition: number }>): TopicPartitionJson[] => list.map((tp) => ({ topic: tp.topic, partition: tp.partition }));

/** A consumer group member's epoch, state, target and pending revocations; nothing for a classic member. */
export function consumerMemberJson(member: GroupMemberDescription): Partial<ConsumerMemberJson> {
  if (member.memberEpoch === undefined) return {};
  return {
    memberEpoch: member.memberEpoch,
    memberState: member.memberState ?? '',
    targetAssignment: partitionsJson(member.targetAssignment ?? []),
    partitionsPendingRevocation: partitionsJson(member.partitionsPendingRevocation ?? []),
  };
}

/** A consumer group's epochs; nothing for a classic group. */
export function consumerGroupEpochsJson(description: GroupDescription): { groupEpoch?: number; targetAssignmentEpoch?: number } {
  if (description.type !== 'consumer') return {};
  return { groupEpoch: description.groupEpoch ?? description.generationId, targetAssignmentEpoch: description.targetAssignmentEpoch ?? -1 };
}

/**
 * The describe shape: every partition a member owns or the group committed, with its committed
 * offset, the partition's log end offset (high watermark, what a consumer can read up to), the lag
 * between them, and its owner. Unknown values are null (Kafka prints "-").
 */
export function describeGroupJson(description: GroupDescription, committed: readonly CommittedOffset[], logEndOffsets: ReadonlyMap<string, number>): DescribeGroupJson {
  const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  const owners = new Map<string, string>();
  for (const member of description.members) for (const tp of member.assignment) owners.set(key(tp.topic, tp.partition), member.memberId);
  const committedOffsets = new Map(committed.filter((entry) => entry.offset !== null).map((entry) => [key(entry.topic, entry.partition), entry.offset as number]));
  const partitionKeys = new Map<string, { topic: string; partition: number }>();
  for (const member of description.members) for (const tp of member.assignment) partitionKeys.set(key(tp.topic, tp.partition), { topic: tp.topic, partition: tp.partition });
  for (const entry of committed) if (entry.offset !== null) partitionKeys.set(key(entry.topic, entry.partition), { topic: entry.topic, partition: entry.partition });
  const partitions = [...partitionKeys.values()]
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
    .map(({ topic, partition }) => {
      const committedOffset = committedOffsets.get(key(topic, partition)) ?? null;
      const end = logEndOffsets.get(key(topic, partition));
      const logEndOffset = end === undefined || end < 0 ? null : end;
      return {
        topic,
        partition,
        committedOffset,
        logEndOffset,
        lag: committedOffset === null || logEndOffset === null ? null : Math.max(0, logEndOffset - committedOffset),
        memberId: owners.get(key(topic, partition)) ?? null,
      };
    });
  return {
    group: description.groupId,
    type: description.type,
    state: description.state,
    protocol: description.protocol,
    generation: description.generationId,
    ...consumerGroupEpochsJson(description),
    coordinator: description.coordinator?.nodeId ?? null,
    members: description.members.map((member) => ({
      memberId: member.memberId,
      clientId: member.clientId,
      host: member.host,
      instanceId: member.groupInstanceId,
      assignment: partitionsJson(member.assignment),
      ...consumerMemberJson(member),
    })),
    partitions,
  };
}

/** Kafka's `kafka-consumer-groups --describe` table (GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID), after a summary line. */
export function describeGroupText(json: DescribeGroupJson): string {
  const members = new Map(json.members.map((member) => [member.memberId, member]));
  const dash = (value: string | number | null) => (value === null || value === '' ? '-' : String(value));
  // A consumer group (KIP-848) has an assignor and epochs where a classic group has a protocol and a generation.
  const progress =
    json.type === 'consumer'
      ? `assignor ${dash(json.protocol)}, group epoch ${json.groupEpoch ?? json.generation}, target assignment epoch ${json.targetAssignmentEpoch ?? '-'}`
      : `protocol ${dash(json.protocol)}, generation ${json.generation}`;
  const summary = `Group ${json.group} (${json.type}): state ${json.state}, ${progress}, coordinator ${dash(json.coordinator)}, ${json.members.length} member${json.members.length === 1 ? '' : 's'}`;
  const rows = json.partitions.map((row) => {
    const member = row.memberId === null ? undefined : members.get(row.memberId);
    return [json.group, row.topic, String(row.partition), dash(row.committedOffset), dash(row.logEndOffset), dash(row.lag), dash(row.memberId), dash(member?.host ?? null), dash(member?.clientId ?? null)];
  });
  // Members with no partitions are listed too, as Kafka does, so an idle member is visible.
  for (const member of json.members) {
    if (member.assignment.length === 0) rows.push([json.group, '-', '-', '-', '-', '-', member.memberId, dash(member.host), dash(member.clientId)]);
  }
  const table = formatTable(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'], rows);
  const note = json.members.length === 0 ? `\nConsumer group '${json.group}' has no active members.` : '';
  return `${summary}${note}\n\n${table}`;
}

/** Columns padded to their widest cell, two spaces apart. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `--topic orders` or `--topic orders:0,2` (Kafka's syntax for some partitions). */
export function parseTopicPartitions(value: string): { topic: string; partitions?: number[] } {
  const separator = value.lastIndexOf(':');
  if (separator < 0) return { topic: value };
  const topic = value.slice(0, separator);
  const partitions = value
    .slice(separator + 1)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      if (!/^\d+$/.test(part)) throw new Error(`"${part}" in --topic ${value} is not a partition number`);
      return Number(part);
    });
  return partitions.length === 0 ? { topic } : { topic, partitions };
}
