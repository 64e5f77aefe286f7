/**
 * The other views of `groups describe` (Kafka's kafka-consumer-groups.sh --describe --members / --state),
 * as pure functions: tables with Kafka's columns, and JSON objects that extend the members of the default
 * `groups describe --json` shape (see group-output.ts) instead of renaming them.
 */
import type { GroupDescription, GroupType } from '@kactor/client';
import { consumerGroupEpochsJson, consumerMemberJson, formatTable, type ConsumerMemberJson } from './group-output.js';

export interface DescribeMembersJson {
  group: string;
  /** classic or consumer (KIP-848). */
  type: GroupType;
  state: string;
  /** Consumer groups only: the group epoch and the epoch of its target assignment. */
  groupEpoch?: number;
  targetAssignmentEpoch?: number;
  members: Array<
    {
      memberId: string;
      clientId: string;
      host: string;
      instanceId: string | null;
      /** How many partitions the member owns (Kafka's #PARTITIONS). */
      partitions: number;
      assignment: Array<{ topic: string; partition: number }>;
    } & Partial<ConsumerMemberJson>
  >;
}

export interface DescribeStateJson {
  group: string;
  /** classic or consumer (KIP-848). */
  type: GroupType;
  /** The coordinator's broker id, or null when it could not be found (as in the default shape). */
  coordinator: number | null;
  /** `host:port` of the coordinator, or null. */
  coordinatorAddress: string | null;
  /** The assignor the group runs (range, cooperative-sticky...); "" while it has none. */
  assignmentStrategy: string;
  state: string;
  /** Consumer groups only: the group epoch and the epoch of its target assignment. */
  groupEpoch?: number;
  targetAssignmentEpoch?: number;
  memberCount: number;
}

export function describeMembersJson(description: GroupDescription): DescribeMembersJson {
  return {
    group: description.groupId,
    type: description.type,
    state: description.state,
    ...consumerGroupEpochsJson(description),
    members: description.members.map((member) => ({
      memberId: member.memberId,
      clientId: member.clientId,
      host: member.host,
      instanceId: member.groupInstanceId,
      partitions: member.assignment.length,
      assignment: member.assignment.map((tp) => ({ topic: tp.topic, partition: tp.partition })),
      ...consumerMemberJson(member),
    })),
  };
}

export function describeStateJson(description: GroupDescription): DescribeStateJson {
  const coordinator = description.coordinator;
  return {
    group: description.groupId,
    type: description.type,
    coordinator: coordinator?.nodeId ?? null,
    coordinatorAddress: coordinator === null ? null : `${coordinator.host}:${coordinator.port}`,
    assignmentStrategy: description.protocol,
    state: description.state,
    ...consumerGroupEpochsJson(description),
    memberCount: description.members.length,
  };
}

/**
 * Kafka's assignment column: partitions grouped by topic, `topic(0,1), other(2)`, sorted; "-" for none.
 */
export function assignmentText(assignment: ReadonlyArray<{ topic: string; partition: number }>): string {
  if (assignment.length === 0) return '-';
  const byTopic = new Map<string, number[]>();
  for (const tp of assignment) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  return [...byTopic]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([topic, partitions]) => `${topic}(${partitions.sort((a, b) => a - b).join(',')})`)
    .join(', ');
}

/**
 * `--members`: GROUP CONSUMER-ID [GROUP-INSTANCE-ID] HOST CLIENT-ID #PARTITIONS, then with --verbose ASSIGNMENT for a
 * classic group, or for a consumer group (KIP-848) Kafka's CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH
 * TARGET-ASSIGNMENT and kactor's STATE (the member's reconciliation state). The instance id column appears when a
 * member is static, as in Kafka's tool.
 */
export function describeMembersText(json: DescribeMembersJson, verbose: boolean): string {
  const withInstanceIds = json.members.some((member) => member.instanceId !== null);
  const consumer = json.type === 'consumer';
  const verboseHeaders = consumer ? ['CURRENT-EPOCH', 'CURRENT-ASSIGNMENT', 'TARGET-EPOCH', 'TARGET-ASSIGNMENT', 'STATE'] : ['ASSIGNMENT'];
  const headers = ['GROUP', 'CONSUMER-ID', ...(withInstanceIds ? ['GROUP-INSTANCE-ID'] : []), 'HOST', 'CLIENT-ID', '#PARTITIONS', ...(verbose ? verboseHeaders : [])];
  const verboseCells = (member: DescribeMembersJson['members'][number]): string[] =>
    consumer
      ? [
          member.memberEpoch === undefined ? '-' : String(member.memberEpoch),
          assignmentText(member.assignment),
          json.targetAssignmentEpoch === undefined ? '-' : String(json.targetAssignmentEpoch),
          assignmentText(member.targetAssignment ?? []),
          member.memberState ?? '-',
        ]
      : [assignmentText(member.assignment)];
  const rows = json.members.map((member) => [
    json.group,
    member.memberId,
    ...(withInstanceIds ? [member.instanceId ?? '-'] : []),
    // A consumer group's member has no client id (kactor's request header carries none): "-" as Kafka prints for nothing.
    member.host === '' ? '-' : member.host,
    member.clientId === '' ? '-' : member.clientId,
    String(member.partitions),
    ...(verbose ? verboseCells(member) : []),
  ]);
  return formatTable(headers, rows);
}

/**
 * `--state`: GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS, the coordinator as `host:port  (id)`; a
 * consumer group (KIP-848) adds GROUP-EPOCH and TARGET-ASSIGNMENT-EPOCH before #MEMBERS.
 */
export function describeStateText(json: DescribeStateJson): string {
  const coordinator = json.coordinatorAddress === null ? '-' : `${json.coordinatorAddress}  (${json.coordinator})`;
  const consumer = json.type === 'consumer';
  const epochs = (value: number | undefined) => (value === undefined ? '-' : String(value));
  return formatTable(
    ['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', ...(consumer ? ['GROUP-EPOCH', 'TARGET-ASSIGNMENT-EPOCH'] : []), '#MEMBERS'],
    [
      [
        json.group,
        coordinator,
        json.assignmentStrategy === '' ? '-' : json.assignmentStrategy,
        json.state,
        ...(consumer ? [epochs(json.groupEpoch), epochs(json.targetAssignmentEpoch)] : []),
        String(json.memberCount),
      ],
    ],
  );
}
