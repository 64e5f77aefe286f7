/**
 * What `kactor topics describe` prints: Kafka's kafka-topics.sh --describe lines (a topic line, then a line per
 * partition with its leader, replicas and ISR), plus the leader epoch, the log offsets and, for a partition that
 * is not healthy, a `Status:` naming what is wrong, so a user watching a failover sees it without comparing lists:
 * - `offline`: no live leader, so nobody can produce to or consume from it (Kafka's OfflinePartitionsCount);
 * - `leader-unreachable`: the metadata names a live leader but it did not answer for its log offsets (shown as -1):
 *   typically a broker just killed, which the controller fences only after broker.session.timeout.ms;
 * - `under-min-isr`: fewer in-sync replicas than min.insync.replicas, so acks=all produce fails with NOT_ENOUGH_REPLICAS;
 * - `under-replicated`: fewer in-sync replicas than assigned (Kafka's UnderReplicatedPartitions).
 */
import type { PartitionDescription, TopicConfigDescription, TopicDescription } from '@kactor/client';
import { isUnavailable, isUnderReplicated } from './partition-filters.js';

export type PartitionStatus = 'offline' | 'leader-unreachable' | 'under-min-isr' | 'under-replicated';

/** Kafka's default min.insync.replicas, for a topic whose effective configs could not be read. */
const defaultMinInsyncReplicas = 1;

/** The topic's effective min.insync.replicas (its own setting or the broker's default). */
export function minInsyncReplicas(configs: TopicConfigDescription | undefined): number {
  const value = Number(configs?.entries.find((entry) => entry.name === 'min.insync.replicas')?.value);
  return Number.isInteger(value) && value > 0 ? value : defaultMinInsyncReplicas;
}

/** What is wrong with a partition, most severe first; empty when it is healthy. */
export function partitionStatus(partition: Pick<PartitionDescription, 'leader' | 'isr' | 'replicas' | 'logEndOffset'>, minIsr: number, liveBrokers: ReadonlySet<number>): PartitionStatus[] {
  const status: PartitionStatus[] = [];
  if (isUnavailable(partition, liveBrokers)) status.push('offline');
  else if (partition.logEndOffset < 0) status.push('leader-unreachable');
  if (partition.isr.length < minIsr) status.push('under-min-isr');
  if (isUnderReplicated(partition)) status.push('under-replicated');
  return status;
}

/** A topic's own config overrides (what Kafka's tool prints after `Configs:`), by name. */
function topicOverrides(configs: TopicConfigDescription | undefined): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const entry of configs?.entries ?? []) if (!entry.isDefault && entry.value !== null) overrides[entry.name] = entry.value;
  return overrides;
}

/** The JSON shape of `topics describe --json`, one object per topic and line. */
export function describeJson(topic: TopicDescription, configs: TopicConfigDescription | undefined, liveBrokers: ReadonlySet<number>) {
  const minIsr = minInsyncReplicas(configs);
  return {
    topic: topic.name,
    topicId: topic.topicId,
    isInternal: topic.isInternal,
    partitionCount: topic.partitions.length,
    replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
    configs: topicOverrides(configs),
    partitions: topic.partitions.map((partition) => ({
      partition: partition.partition,
      leader: partition.leader,
      leaderEpoch: partition.leaderEpoch,
      replicas: partition.replicas,
      isr: partition.isr,
      offlineReplicas: partition.offlineReplicas,
      logStartOffset: partition.logStartOffset,
      logEndOffset: partition.logEndOffset,
      highWatermark: partition.highWatermark,
      status: partitionStatus(partition, minIsr, liveBrokers),
    })),
  };
}

type PartitionFilter = (partition: PartitionDescription) => boolean;

/** A topic's `describe --json` object with only the partitions `shown` keeps (all without a filter). */
export function describeJsonFiltered(topic: TopicDescription, configs: TopicConfigDescription | undefined, liveBrokers: ReadonlySet<number>, shown: PartitionFilter | undefined) {
  const json = describeJson(topic, configs, liveBrokers);
  return shown === undefined ? json : { ...json, partitions: json.partitions.filter((_, index) => shown(topic.partitions[index]!)) };
}

/** Kafka's text: the topic line, then a line per partition; with a partition filter only the matching partition lines. */
export function describeText(topic: TopicDescription, configs: TopicConfigDescription | undefined, liveBrokers: ReadonlySet<number>, shown?: PartitionFilter): string {
  const json = describeJsonFiltered(topic, configs, liveBrokers, shown);
  const configText = Object.entries(json.configs)
    .map(([name, value]) => `${name}=${value}`)
    .join(',');
  const header = `Topic: ${json.topic}\tTopicId: ${json.topicId}\tPartitionCount: ${json.partitionCount}\tReplicationFactor: ${json.replicationFactor}\tConfigs: ${configText}`;
  const lines = json.partitions.map(
    (partition) =>
      `\tTopic: ${json.topic}\tPartition: ${partition.partition}\tLeader: ${partition.leader === -1 ? 'none' : partition.leader}\tLeaderEpoch: ${partition.leaderEpoch}` +
      `\tReplicas: ${partition.replicas.join(',')}\tIsr: ${partition.isr.join(',')}` +
      `${partition.offlineReplicas.length > 0 ? `\tOffline: ${partition.offlineReplicas.join(',')}` : ''}` +
      `\tLogStartOffset: ${partition.logStartOffset}\tLogEndOffset: ${partition.logEndOffset}\tHighWatermark: ${partition.highWatermark}` +
      `${partition.status.length > 0 ? `\tStatus: ${partition.status.join(',')}` : ''}`,
  );
  return (shown === undefined ? [header, ...lines] : lines).join('\n');
}
