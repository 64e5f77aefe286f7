/**
 * The admin client's group calls (Kafka's `Admin.listConsumerGroups`, `describeConsumerGroups`,
 * `listConsumerGroupOffsets`, `deleteConsumerGroups`, `alterConsumerGroupOffsets`). Every group call but
 * the listing goes to the group's coordinator, found with FindCoordinator; NOT_COORDINATOR,
 * COORDINATOR_NOT_AVAILABLE and COORDINATOR_LOAD_IN_PROGRESS (the coordinator moved or is loading)
 * look it up again and retry within the call's deadline.
 */
import type { AdminConfig, ResponseBody } from '@kactor/protocol';
import { CONSUMER_PROTOCOL_TYPE, errorCodes, errorForCode, KafkaProtocolError } from '@kactor/protocol';
import type { Logger } from '@kactor/runtime';
import type { ClientRuntime } from '../client-runtime.js';
import { decodeMemberAssignment } from '../consumer/group/assignor-adapter.js';
import { fetchOutcome, offsetCommitRequest, offsetFetchRequest, type CommittedOffset, type TopicPartitionOffset } from '../consumer/group/group-offsets.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { consumerGroupDescription, groupTypeOf, isApiNotServed, isClassicGroupAnswer } from './consumer-group-description.js';
import { callAtCoordinator, requestTimeoutMs, type WithRetries } from './coordinator-call.js';
import { findGroupCoordinator, type GroupCoordinator } from '../network/find-coordinator.js';
import type { TopicPartition } from '../topic-partition.js';
import type {
  DeleteGroupOffsetsResult,
  GroupDescription,
  GroupListing,
  GroupMemberDescription,
  GroupResult,
  MemberToRemove,
  PartitionResult,
  GroupRebalanceRecord,
  RemoveMembersResult,
} from './group-admin-types.js';

/** The LeaveGroup reason an admin removal carries (KIP-800), Kafka's default words. */
export const ADMIN_REMOVAL_REASON = 'member was removed by an admin.';


export interface GroupAdminOptions {
  readonly cluster: ClusterClient;
  readonly runtime: ClientRuntime;
  readonly config: AdminConfig;
  readonly logger: Logger;
  readonly withRetries: WithRetries;
}

export class GroupAdmin {
  constructor(private readonly options: GroupAdminOptions) {}

  /** ListGroups to every broker (each lists the groups it coordinates, of both types: typesFilter []), merged and sorted by group id. */
  async listGroups(deadlineMs: number): Promise<GroupListing[]> {
    const { cluster, withRetries } = this.options;
    const metadata = await withRetries('listGroups', deadlineMs, () => cluster.fetchMetadata([]));
    const answers = await Promise.all(
      [...metadata.brokers.values()].map((broker) =>
        withRetries(`listGroups(${broker.nodeId})`, deadlineMs, async () => {
          const response = await cluster.request(broker.url, 'listGroups', { statesFilter: [], typesFilter: [] }, { timeoutMs: this.requestTimeoutMs(deadlineMs) });
          if (response.errorCode !== 0) throw KafkaProtocolError.from(response.errorCode, `broker ${broker.nodeId} could not list its groups`);
          return response.groups.map((group): GroupListing => ({ groupId: group.groupId, type: groupTypeOf(group.groupType), protocolType: group.protocolType, state: group.groupState, coordinatorId: broker.nodeId }));
        }),
      ),
    );
    const byId = new Map<string, GroupListing>();
    for (const listing of answers.flat()) byId.set(listing.groupId, listing);
    return [...byId.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /**
   * Kafka's describeConsumerGroups at each group's coordinator: ConsumerGroupDescribe first, and DescribeGroups for a
   * group that is not a consumer group (see consumer-group-description.ts), with every member's assignment decoded.
   */
  describeGroups(groupIds: readonly string[], deadlineMs: number): Promise<GroupDescription[]> {
    return Promise.all(
      groupIds.map(async (groupId): Promise<GroupDescription> => {
        let coordinator: GroupCoordinator | null = null;
        // Remembered across retries, as Kafka's useClassicGroupApi: once classic, a retry after the coordinator moved asks DescribeGroups only.
        let classic = false;
        try {
          return await this.atCoordinator('describeConsumerGroups', groupId, deadlineMs, async (found, timeoutMs) => {
            coordinator = found;
            if (!classic) {
              const described = await this.describeConsumerGroup(found, groupId, timeoutMs);
              if (described !== null) return described;
              classic = true;
            }
            return await this.describeClassicGroup(found, groupId, timeoutMs);
          });
        } catch (error) {
          if (!(error instanceof KafkaProtocolError)) throw error;
          return { groupId, type: 'classic', state: 'Unknown', protocolType: '', protocol: '', generationId: -1, leaderId: '', coordinator, members: [], error };
        }
      }),
    );
  }

  /** ConsumerGroupDescribe for one group; null when the group must be described with DescribeGroups. */
  private async describeConsumerGroup(coordinator: GroupCoordinator, groupId: string, timeoutMs: number): Promise<GroupDescription | null> {
    let response: ResponseBody<'consumerGroupDescribe'>;
    try {
      response = await this.options.cluster.request(coordinator.url, 'consumerGroupDescribe', { groupIds: [groupId], includeAuthorizedOperations: false }, { timeoutMs });
    } catch (error) {
      if (isApiNotServed(error)) return null;
      throw error;
    }
    const group = response.groups.find((each) => each.groupId === groupId);
    if (group === undefined) throw KafkaProtocolError.from('UNKNOWN_SERVER_ERROR', `the coordinator did not describe group ${groupId}`);
    if (isClassicGroupAnswer(group.errorCode)) return null;
    if (group.errorCode !== 0) throw KafkaProtocolError.from(group.errorCode, `describing group ${groupId} failed: ${errorForCode(group.errorCode).name}`);
    return consumerGroupDescription(group, coordinator);
  }

  /** DescribeGroups for one classic group (or an unknown one, which the coordinator describes as Dead). */
  private async describeClassicGroup(coordinator: GroupCoordinator, groupId: string, timeoutMs: number): Promise<GroupDescription> {
    const response = await this.options.cluster.request(coordinator.url, 'describeGroups', { groups: [groupId] }, { timeoutMs });
    const group = response.groups.find((each) => each.groupId === groupId);
    if (group === undefined) throw KafkaProtocolError.from('UNKNOWN_SERVER_ERROR', `the coordinator did not describe group ${groupId}`);
    if (group.errorCode !== 0) throw KafkaProtocolError.from(group.errorCode, `describing group ${groupId} failed: ${errorForCode(group.errorCode).name}`);
    return {
      groupId,
      type: 'classic',
      state: group.groupState,
      protocolType: group.protocolType,
      protocol: group.protocolData,
      generationId: group.generationId,
      leaderId: group.leaderId,
      coordinator,
      members: group.members.map((member): GroupMemberDescription => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        host: member.clientHost,
        assignment: group.protocolType === CONSUMER_PROTOCOL_TYPE && member.memberAssignment.length > 0 ? decodeMemberAssignment(member.memberAssignment) : [],
      })),
      error: null,
    };
  }

  /** Every offset the group committed (OffsetFetch with topics null), sorted by topic and partition. */
  async listGroupOffsets(groupId: string, deadlineMs: number): Promise<CommittedOffset[]> {
    const offsets = await this.atCoordinator('listConsumerGroupOffsets', groupId, deadlineMs, async (coordinator, timeoutMs) => {
      const response = await this.options.cluster.request(coordinator.url, 'offsetFetch', offsetFetchRequest(groupId, null, false), { timeoutMs });
      const outcome = fetchOutcome(response);
      if (outcome.kind !== 'fetched') throw outcome.error;
      return outcome.offsets;
    });
    return offsets.filter((entry) => entry.offset !== null).sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  }

  /** DeleteGroups at each group's coordinator: NON_EMPTY_GROUP while it has members, GROUP_ID_NOT_FOUND when unknown. */
  deleteGroups(groupIds: readonly string[], deadlineMs: number): Promise<GroupResult[]> {
    return Promise.all(
      groupIds.map(async (groupId): Promise<GroupResult> => {
        try {
          await this.atCoordinator('deleteGroups', groupId, deadlineMs, async (coordinator, timeoutMs) => {
            const response = await this.options.cluster.request(coordinator.url, 'deleteGroups', { groupsNames: [groupId] }, { timeoutMs });
            const result = response.results.find((each) => each.groupId === groupId);
            if (result === undefined) throw KafkaProtocolError.from('UNKNOWN_SERVER_ERROR', `the coordinator gave no answer for group ${groupId}`);
            const code = result.errorCode;
            if (code !== 0) throw KafkaProtocolError.from(code, `deleting group ${groupId} failed: ${errorForCode(code).name}`);
          });
          return { groupId, error: null };
        } catch (error) {
          if (!(error instanceof KafkaProtocolError)) throw error;
          return { groupId, error };
        }
      }),
    );
  }

  /**
   * Commits `offsets` for the group from outside it (generation -1, no member id), which the coordinator
   * accepts only while the group is Empty, as Kafka does. One result per partition.
   */
  async alterGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[], deadlineMs: number): Promise<PartitionResult[]> {
    const response = await this.atCoordinator('alterConsumerGroupOffsets', groupId, deadlineMs, async (coordinator, timeoutMs) => {
      const answer = await this.options.cluster.request(coordinator.url, 'offsetCommit', offsetCommitRequest(groupId, { generationId: -1, memberId: '' }, null, offsets), { timeoutMs });
      // A coordinator-level error is the same on every partition: retry the call as a whole when it means the coordinator moved.
      const first = answer.topics[0]?.partitions[0]?.errorCode ?? 0;
      if (first !== 0 && errorForCode(first).retriable) throw KafkaProtocolError.from(first, `committing offsets for group ${groupId} failed`);
      return answer;
    });
    const errors = new Map<string, number>();
    for (const topic of response.topics) for (const partition of topic.partitions) errors.set(`${topic.name}\u0000${partition.partitionIndex}`, partition.errorCode);
    return offsets.map((entry) => {
      const code = errors.get(`${entry.topic}\u0000${entry.partition}`) ?? 0;
      return { topic: entry.topic, partition: entry.partition, error: code === 0 ? null : KafkaProtocolError.from(code, `${entry.topic}-${entry.partition}: ${errorForCode(code).name}`) };
    });
  }

  /**
   * Kafka's `deleteConsumerGroupOffsets` (OffsetDelete, KIP-496): the group loses its committed offsets for
   * `partitions`. The whole call fails (`error`) for an unknown group (GROUP_ID_NOT_FOUND) or an active group
   * that is not a consumer group (NON_EMPTY_GROUP); a partition whose topic the group still subscribes to
   * fails alone (GROUP_SUBSCRIBED_TO_TOPIC). Retriable errors (the coordinator moved) are retried.
   */
  async deleteGroupOffsets(groupId: string, partitions: readonly TopicPartition[], deadlineMs: number): Promise<DeleteGroupOffsetsResult> {
    const byTopic = new Map<string, number[]>();
    for (const tp of partitions) {
      const indexes = byTopic.get(tp.topic) ?? [];
      indexes.push(tp.partition);
      byTopic.set(tp.topic, indexes);
    }
    const body = { groupId, topics: [...byTopic].map(([name, indexes]) => ({ name, partitions: indexes.map((partitionIndex) => ({ partitionIndex })) })) };
    try {
      const response = await this.atCoordinator('deleteConsumerGroupOffsets', groupId, deadlineMs, async (coordinator, timeoutMs) => {
        const answer = await this.options.cluster.request(coordinator.url, 'offsetDelete', body, { timeoutMs });
        if (answer.errorCode !== 0) throw KafkaProtocolError.from(answer.errorCode, `deleting the offsets of group ${groupId} failed: ${errorForCode(answer.errorCode).name}`);
        return answer;
      });
      const codes = new Map<string, number>();
      for (const topic of response.topics) for (const partition of topic.partitions) codes.set(`${topic.name}\u0000${partition.partitionIndex}`, partition.errorCode);
      return {
        groupId,
        error: null,
        partitions: partitions.map((tp) => {
          const code = codes.get(`${tp.topic}\u0000${tp.partition}`) ?? errorCodes.UNKNOWN_SERVER_ERROR;
          return { topic: tp.topic, partition: tp.partition, error: code === 0 ? null : KafkaProtocolError.from(code, `${tp.topic}-${tp.partition}: ${errorForCode(code).name}`) };
        }),
      };
    } catch (error) {
      if (!(error instanceof KafkaProtocolError)) throw error;
      return { groupId, error, partitions: partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition, error })) };
    }
  }

  /** kactor's DescribeRebalances at the group's coordinator: its recorded rebalances, oldest first (GROUP_ID_NOT_FOUND when unknown). */
  describeRebalances(groupId: string, limit: number | null, deadlineMs: number): Promise<GroupRebalanceRecord[]> {
    return this.atCoordinator('describeRebalances', groupId, deadlineMs, async (coordinator, timeoutMs) => {
      const response = await this.options.cluster.request(coordinator.url, 'describeRebalances', { groupId, limit }, { timeoutMs });
      if (response.errorCode !== 0) throw KafkaProtocolError.from(response.errorCode, `describing the rebalances of group ${groupId} failed: ${errorForCode(response.errorCode).name}`);
      return response.records;
    });
  }

  /**
   * Kafka's `removeMembersFromConsumerGroup`: a LeaveGroup naming static members by group.instance.id with
   * an empty member id (KIP-345). Each member gets its own outcome: UNKNOWN_MEMBER_ID when the group has no
   * member with that instance id.
   */
  removeMembers(groupId: string, members: readonly MemberToRemove[], deadlineMs: number): Promise<RemoveMembersResult> {
    return this.atCoordinator('removeMembersFromConsumerGroup', groupId, deadlineMs, async (coordinator, timeoutMs) => {
      const body = { groupId, members: members.map((member) => ({ memberId: '', groupInstanceId: member.groupInstanceId, reason: ADMIN_REMOVAL_REASON })) };
      const response = await this.options.cluster.request(coordinator.url, 'leaveGroup', body, { timeoutMs });
      if (response.errorCode !== 0) throw KafkaProtocolError.from(response.errorCode, `removing members from group ${groupId} failed: ${errorForCode(response.errorCode).name}`);
      const codes = new Map(response.members.map((member) => [member.groupInstanceId, member.errorCode]));
      return {
        groupId,
        members: members.map((member) => {
          const code = codes.get(member.groupInstanceId) ?? errorCodes.UNKNOWN_SERVER_ERROR;
          return { groupInstanceId: member.groupInstanceId, error: code === 0 ? null : KafkaProtocolError.from(code, `${member.groupInstanceId}: ${errorForCode(code).name}`) };
        }),
      };
    });
  }

  /**
   * Runs `attempt` against the group's coordinator, finding it first and again whenever an attempt
   * fails because it moved; retriable errors are retried until the deadline.
   */
  private atCoordinator<T>(callName: string, groupId: string, deadlineMs: number, attempt: (coordinator: GroupCoordinator, requestTimeoutMs: number) => Promise<T>): Promise<T> {
    return callAtCoordinator(this.options, callName, deadlineMs, (timeoutMs) => findGroupCoordinator(this.options.cluster, groupId, timeoutMs), attempt);
  }

  private requestTimeoutMs(deadlineMs: number): number {
    return requestTimeoutMs(this.options, deadlineMs);
  }
}
