/**
 * Where the dashboard's JSON comes from: the admin client, the same calls `topics describe`,
 * `groups describe` and `groups rebalances` make, so the page never disagrees with the CLI.
 *
 * Brokers: Metadata lists the brokers the controller has registered and not fenced, so those are alive;
 * a broker this dashboard saw earlier and that is missing now (killed, fenced after
 * broker.session.timeout.ms) is kept in the list with `alive: false`, so a dead broker stays visible.
 *
 * Quorum: the metadata quorum's leader, epoch, high watermark and replicas (DescribeQuorum, as `cluster quorum`),
 * or that it has no leader.
 *
 * Transactions (issue 13): every transactional id the transaction coordinators hold (listTransactions), each as
 * `transactions describe --json` gives it (state, coordinator, producer id and epoch, partitions, start time).
 *
 * Events: each answer is compared with the previous one (./cluster-events.ts) and the changes (leaders, ISRs,
 * partitions going offline or online, brokers fenced or back) are kept on a timeline of the newest
 * maxClusterEvents. The dashboard sees what its views see (the page's polls, or without a page one every
 * clusterWatchIntervalMs: ./cluster-watch.ts): a change undone between two views is not seen.
 */
import { NoQuorumLeaderError, type Admin } from '@kactor/client';
import { KafkaProtocolError } from '@kactor/protocol';
import { noLeaderJson, quorumJson, type QuorumJson } from '../support/quorum-output.js';
import { describeGroupData, GroupNotFoundError } from '../support/group-describe.js';
import type { DescribeGroupJson } from '../support/group-output.js';
import { rebalanceRecordJson } from '../support/rebalance-output.js';
import { describedTransaction, type DescribeTransactionJson } from '../support/transaction-output.js';
import { createClusterTimeline, type ClusterEvent } from './cluster-events.js';
import { dashboardLimits, type DashboardLimits } from './limits.js';

export type DashboardAdmin = Pick<
  Admin,
  'describeCluster' | 'listTopics' | 'describeTopics' | 'listGroups' | 'describeGroups' | 'listConsumerGroupOffsets' | 'describeRebalances' | 'describeMetadataQuorum' | 'listTransactions' | 'describeTransactions'
>;

export interface BrokerJson {
  id: number;
  url: string;
  alive: boolean;
  controller: boolean;
}

export interface PartitionJson {
  partition: number;
  /** -1 without a leader. */
  leader: number;
  /** The leader epoch Metadata gives (-1 when it gives none); bumped at every election (KIP-101). */
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  /** -1 when the leader is unknown or did not answer. */
  logStartOffset: number;
  highWatermark: number;
  logEndOffset: number;
}

export interface ClusterJson {
  clusterId: string | null;
  controllerId: number;
  brokers: BrokerJson[];
  topics: Array<{ name: string; partitions: PartitionJson[] }>;
  topicsOmitted: number;
  /** Leader changes, ISR shrinks/expands, partitions offline/online and brokers fenced/unfenced, oldest first. */
  events: ClusterEvent[];
  /**
   * The KRaft metadata quorum as `cluster quorum --json` gives it (leaderId -1 when it has no leader); null when it
   * could not be described (nodes that run no quorum, or none answered).
   */
  quorum: QuorumJson | null;
}

/** `groups describe G --json` plus the coordinator's rebalance records (`groups rebalances G --json`), oldest first. */
export type GroupJson = DescribeGroupJson & { rebalances: Array<Record<string, unknown>> };

export interface GroupsJson {
  groups: GroupJson[];
  groupsOmitted: number;
}

/** Each transactional id as `transactions describe --json` gives it, ordered by id. */
export interface TransactionsJson {
  transactions: DescribeTransactionJson[];
  transactionsOmitted: number;
}

export interface ClusterSource {
  cluster(): Promise<ClusterJson>;
  groups(): Promise<GroupsJson>;
  transactions(): Promise<TransactionsJson>;
  /** null for a group the cluster does not know. */
  group(groupId: string): Promise<GroupJson | null>;
}

/** The event timeline's clock: when an answer was taken. */
export interface DashboardClock {
  now(): number;
}

export function adminClusterSource(admin: DashboardAdmin, clock: DashboardClock, limits: DashboardLimits = dashboardLimits): ClusterSource & { msSinceLastView(): number } {
  const timeout = { timeoutMs: limits.adminCallTimeoutMs };
  const brokersSeen = new Map<number, string>();
  const timeline = createClusterTimeline(limits.maxClusterEvents);
  // Several tabs poll at once and their answers may come back out of order: only a view taken after the
  // last one recorded goes on the timeline, so an older view never shows a change undone and redone.
  let viewsStarted = 0;
  let lastViewRecorded = 0;
  let lastViewStartedMs = -Infinity;

  const rebalances = async (groupId: string) => {
    try {
      return (await admin.describeRebalances(groupId, { ...timeout, limit: limits.maxRebalancesPerGroup })).map(rebalanceRecordJson);
    } catch (error) {
      // A group with only committed offsets, or one whose coordinator moved, has no records: an empty timeline.
      if (error instanceof KafkaProtocolError && error.errorName === 'GROUP_ID_NOT_FOUND') return [];
      throw error;
    }
  };

  const group = async (groupId: string): Promise<GroupJson | null> => {
    try {
      const description = await describeGroupData(admin, groupId, limits.adminCallTimeoutMs);
      return { ...description, rebalances: await rebalances(groupId) };
    } catch (error) {
      if (error instanceof GroupNotFoundError) return null;
      throw error;
    }
  };

  return {
    async cluster() {
      viewsStarted += 1;
      const view = viewsStarted;
      lastViewStartedMs = clock.now();
      // Asked beside the rest, so a quorum without a leader (every node asked) does not hold up the brokers and topics.
      const quorum = admin.describeMetadataQuorum(timeout).then(quorumJson, (error: unknown) => (error instanceof NoQuorumLeaderError ? noLeaderJson(error.leaderEpoch) : null));
      const description = await admin.describeCluster(timeout);
      const live = new Set(description.brokers.map((broker) => broker.nodeId));
      for (const broker of description.brokers) brokersSeen.set(broker.nodeId, broker.url);
      const brokers = [...brokersSeen]
        .sort(([a], [b]) => a - b)
        .map(([id, url]) => ({ id, url, alive: live.has(id), controller: id === description.controllerId }));
      const names = (await admin.listTopics(timeout)).map((topic) => topic.name);
      const shown = names.slice(0, limits.maxTopics);
      const described = shown.length === 0 ? [] : await admin.describeTopics(shown, timeout);
      const topics = described
        .filter((topic) => topic.error === null)
        .map((topic) => ({
          name: topic.name,
          partitions: topic.partitions.map((partition) => ({
            partition: partition.partition,
            leader: partition.leader,
            leaderEpoch: partition.leaderEpoch,
            replicas: [...partition.replicas],
            isr: [...partition.isr],
            logStartOffset: partition.logStartOffset,
            highWatermark: partition.highWatermark,
            logEndOffset: partition.logEndOffset,
          })),
        }));
      if (view > lastViewRecorded) {
        lastViewRecorded = view;
        timeline.observe({ liveBrokers: [...live], topics }, clock.now());
      }
      return { clusterId: description.clusterId, controllerId: description.controllerId, brokers, topics, topicsOmitted: Math.max(0, names.length - limits.maxTopics), events: timeline.events(), quorum: await quorum };
    },
    async groups() {
      const listings = await admin.listGroups(timeout);
      const described = await Promise.all(listings.slice(0, limits.maxGroups).map((listing) => group(listing.groupId)));
      return { groups: described.filter((entry): entry is GroupJson => entry !== null), groupsOmitted: Math.max(0, listings.length - limits.maxGroups) };
    },
    group,
    async transactions() {
      const listings = await admin.listTransactions(timeout);
      const shown = listings.slice(0, limits.maxTransactions).map((listing) => listing.transactionalId);
      const described = shown.length === 0 ? [] : await admin.describeTransactions(shown, timeout);
      const nowMs = clock.now();
      // An id that expired or moved between the list and the describe is left out, as a group that went away is.
      const transactions = described.filter((entry) => entry.error === null && entry.state !== null).map((entry) => describedTransaction(entry, nowMs));
      return { transactions, transactionsOmitted: Math.max(0, listings.length - limits.maxTransactions) };
    },
    msSinceLastView: () => clock.now() - lastViewStartedMs,
  };
}
