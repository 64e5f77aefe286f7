/**
 * Builds topic descriptions from a Metadata answer (leaders, replicas, ISR) and the DescribeLogDirs
 * answers of the partition leaders (log start and end offsets, high watermark). Pure, so the shape of
 * `topics describe` is tested without a cluster.
 */
import type { ResponseBody } from '@kactor/protocol';
import { errorCodes, KafkaProtocolError } from '@kactor/protocol';
import type { ClusterMetadata } from '../network/cluster-metadata.js';
import type { PartitionDescription, TopicDescription } from './admin-types.js';

type LogDirsResponse = ResponseBody<'describeLogDirs'>;
type LogDirPartition = LogDirsResponse['topics'][number]['partitions'][number];

/** Which partitions to ask each leader about: leader node id -> topic -> partitions. */
export function logDirRequestsByLeader(names: readonly string[], metadata: ClusterMetadata): Map<number, Map<string, number[]>> {
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const name of new Set(names)) {
    const topic = metadata.topic(name);
    if (topic === undefined) continue;
    for (const partition of topic.partitions) {
      if (partition.leader < 0 || !metadata.brokers.has(partition.leader)) continue;
      let topics = byLeader.get(partition.leader);
      if (topics === undefined) byLeader.set(partition.leader, (topics = new Map()));
      let partitions = topics.get(name);
      if (partitions === undefined) topics.set(name, (partitions = []));
      partitions.push(partition.partition);
    }
  }
  return byLeader;
}

/**
 * One description per name, in order. `logDirs` holds each leader's answer, or null when it did not
 * answer: its partitions then show -1 offsets rather than failing the whole call.
 */
export function describeTopicsFrom(
  names: readonly string[],
  metadata: ClusterMetadata,
  logDirs: ReadonlyMap<number, LogDirsResponse | null>,
): TopicDescription[] {
  return names.map((name) => {
    const topic = metadata.topics.get(name);
    if (topic === undefined || topic.errorCode !== errorCodes.NONE) {
      const code = topic?.errorCode ?? errorCodes.UNKNOWN_TOPIC_OR_PARTITION;
      return { name, topicId: null, isInternal: false, partitions: [], error: KafkaProtocolError.from(code, `topic ${name}: ${describeCode(code)}`) };
    }
    const partitions = topic.partitions.map((partition): PartitionDescription => {
      const log = partition.leader < 0 ? undefined : findLogDir(logDirs.get(partition.leader), name, partition.partition);
      return {
        partition: partition.partition,
        leader: partition.leader,
        leaderEpoch: partition.leaderEpoch,
        replicas: partition.replicas,
        isr: partition.isr,
        offlineReplicas: partition.offlineReplicas,
        logStartOffset: log?.logStartOffset ?? -1,
        logEndOffset: log?.logEndOffset ?? -1,
        highWatermark: log?.highWatermark ?? -1,
      };
    });
    return { name, topicId: topic.topicId, isInternal: topic.isInternal, partitions, error: null };
  });
}

function findLogDir(response: LogDirsResponse | null | undefined, topic: string, partition: number): LogDirPartition | undefined {
  if (response === null || response === undefined || response.errorCode !== errorCodes.NONE) return undefined;
  const entry = response.topics.find((candidate) => candidate.name === topic)?.partitions.find((candidate) => candidate.partitionIndex === partition);
  return entry === undefined || entry.errorCode !== errorCodes.NONE ? undefined : entry;
}

function describeCode(code: number): string {
  return code === errorCodes.UNKNOWN_TOPIC_OR_PARTITION ? 'this topic does not exist' : KafkaProtocolError.from(code).message;
}
