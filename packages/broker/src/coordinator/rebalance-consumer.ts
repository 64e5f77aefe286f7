/**
 * The rebalance records (DescribeRebalances) of a KIP-848 consumer group, in the classic groups' record shape so that
 * `kactor groups rebalances` reads both. A record opens when the group epoch is bumped from Stable or Empty (a member
 * joined, left, changed its subscription, a subscribed topic's partitions changed, or the coordinator fenced a member
 * whose session or rebalance timeout passed) and closes when the group is Stable again: every member at the target
 * epoch with nothing to revoke or wait for, or Empty. `generations` are the group epochs it went through; a member's
 * receipts are its current assignments as the coordinator wrote them. A member keeps what it owns while it
 * reconciles, so paused times are counted as for a cooperative classic group (rebalance-record.ts memberPauses).
 */
import type { GroupRebalanceRecord, GroupRebalanceTrigger } from '@kactor/protocol';
import type { ConsumerGroupData, ConsumerGroupMember, ConsumerGroupStateName } from './consumer/consumer-group-data.js';
import { closeRebalanceRecord, MAX_GENERATIONS_PER_REBALANCE, MAX_REBALANCE_RECORDS_PER_GROUP, memberKey, type OpenRebalance, type RebalanceLog } from './rebalance-log.js';
import { minus, sortPartitions, type TopicPartition } from './rebalance-record.js';

export interface ConsumerRebalanceCause {
  trigger: GroupRebalanceTrigger;
  reason: string | null;
}

const keepLast = <T>(items: T[], max: number) => (items.length > max ? items.slice(items.length - max) : items);

const keyOf = (member: ConsumerGroupMember) => memberKey({ memberId: member.memberId, groupInstanceId: member.instanceId });

/** A member's partitions by topic name; a topic the group no longer knows by name is shown by its id. */
export function namedPartitions(group: ConsumerGroupData, assignment: Readonly<Record<string, readonly number[]>>): TopicPartition[] {
  const names = new Map(Object.entries(group.subscribedTopicMetadata).map(([name, topic]) => [topic.topicId, name]));
  const partitions: TopicPartition[] = [];
  for (const [topicId, numbers] of Object.entries(assignment)) for (const partition of numbers) partitions.push({ topic: names.get(topicId) ?? topicId, partition });
  return sortPartitions(partitions);
}

/** Opens a record with what every member holds now (an open record continues: the group has not settled yet). */
export function openConsumerRebalance(log: RebalanceLog, group: ConsumerGroupData, cause: ConsumerRebalanceCause, assignor: string, nowMs: number): RebalanceLog {
  if (log.open !== null) return log;
  const members: OpenRebalance['members'] = {};
  for (const member of Object.values(group.members)) {
    members[keyOf(member)] = {
      memberId: member.memberId,
      groupInstanceId: member.instanceId,
      clientId: member.clientId,
      owned: namedPartitions(group, member.assignedPartitions),
      declaredOwned: null,
      joinMs: null,
      receipts: [],
    };
  }
  const open: OpenRebalance = { sequence: log.nextSequence, trigger: cause.trigger, reason: cause.reason, fromGeneration: group.groupEpoch, generations: [], startMs: nowMs, protocolName: assignor, members };
  return { ...log, nextSequence: log.nextSequence + 1, open };
}

/** The group epoch moved during the open rebalance. */
export function noteConsumerEpoch(log: RebalanceLog, group: ConsumerGroupData): RebalanceLog {
  if (log.open === null || log.open.generations.includes(group.groupEpoch)) return log;
  return { ...log, open: { ...log.open, generations: keepLast([...log.open.generations, group.groupEpoch], MAX_GENERATIONS_PER_REBALANCE) } };
}

/** The members whose current assignment was just written: each gets a receipt of what it now holds, at its epoch. */
export function noteConsumerAssignments(log: RebalanceLog, group: ConsumerGroupData, memberIds: readonly string[], nowMs: number): RebalanceLog {
  if (log.open === null || memberIds.length === 0) return log;
  const members = { ...log.open.members };
  for (const memberId of memberIds) {
    const member = group.members[memberId];
    if (member === undefined) continue;
    const key = keyOf(member);
    const entry = members[key] ?? { memberId, groupInstanceId: member.instanceId, clientId: member.clientId, owned: null, declaredOwned: null, joinMs: nowMs, receipts: [] };
    const partitions = namedPartitions(group, member.assignedPartitions);
    const last = entry.receipts.at(-1);
    if (last !== undefined && last.generationId === member.memberEpoch && minus(last.partitions, partitions).length === 0 && minus(partitions, last.partitions).length === 0) continue;
    members[key] = { ...entry, clientId: member.clientId, receipts: keepLast([...entry.receipts, { atMs: nowMs, generationId: member.memberEpoch, partitions }], MAX_GENERATIONS_PER_REBALANCE) };
  }
  return { ...log, open: { ...log.open, members } };
}

/** Closes the open record once the group is Stable (every member reconciled to the target epoch) or Empty. */
export function settleConsumerRebalance(log: RebalanceLog, group: ConsumerGroupData, state: ConsumerGroupStateName, nowMs: number): RebalanceLog {
  const open = log.open;
  if (open === null || (state !== 'Stable' && state !== 'Empty')) return log;
  const record = closeConsumerRecord(group, noteConsumerEpoch(log, group).open ?? open, nowMs);
  return { ...log, open: null, records: keepLast([...log.records, record], MAX_REBALANCE_RECORDS_PER_GROUP) };
}

function closeConsumerRecord(group: ConsumerGroupData, open: OpenRebalance, endMs: number): GroupRebalanceRecord {
  const byKey = new Map(Object.values(group.members).map((member) => [keyOf(member), member]));
  return closeRebalanceRecord(open, endMs, {
    groupId: group.groupId,
    protocol: 'CONSUMER',
    pauseProtocol: 'COOPERATIVE',
    protocolName: open.protocolName,
    toGeneration: group.groupEpoch,
    memberAtEnd: (key) => {
      const now = byKey.get(key);
      return { memberId: now?.memberId, assigned: now === undefined ? [] : namedPartitions(group, now.assignedPartitions), remained: now !== undefined };
    },
  });
}
