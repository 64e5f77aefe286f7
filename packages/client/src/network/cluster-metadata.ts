/**
 * An immutable picture of the cluster as Metadata responses describe it: brokers and their URLs, the
 * controller, and per partition the leader and its epoch. A new response gives a new picture (`merge`),
 * so code holding the old one never sees it change underneath.
 *
 * Leader epochs never go back (KIP-320, Kafka's `Metadata.updateLatestMetadata`): a broker that has not yet
 * applied the latest leader change answers with an older epoch, and that answer does not replace what the
 * client knows of the partition, so it does not return to a deposed leader.
 */
import type { ResponseBody } from '@kactor/protocol';
import { errorCodes } from '@kactor/protocol';

export interface BrokerNode {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  /** Where clients connect (`ws://127.0.0.1:9101`). */
  readonly url: string;
  readonly rack: string | null;
}

export interface PartitionMetadata {
  readonly partition: number;
  /** -1 when the partition has no leader. */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
  readonly errorCode: number;
}

export interface TopicMetadata {
  readonly name: string;
  readonly topicId: string | null;
  readonly isInternal: boolean;
  /** 0 when the topic is known; else why not (UNKNOWN_TOPIC_OR_PARTITION, ...). */
  readonly errorCode: number;
  /** Indexed by partition number. */
  readonly partitions: readonly PartitionMetadata[];
  /** Partitions whose leader is a live broker, ascending (the sticky partitioner prefers these). */
  readonly availablePartitions: readonly number[];
}

export interface PartitionLeader {
  readonly nodeId: number;
  readonly url: string;
  readonly leaderEpoch: number;
}

type MetadataResponse = ResponseBody<'metadata'>;

export class ClusterMetadata {
  private constructor(
    readonly clusterId: string | null,
    /** -1 when no controller is known. */
    readonly controllerId: number,
    readonly brokers: ReadonlyMap<number, BrokerNode>,
    readonly topics: ReadonlyMap<string, TopicMetadata>,
    /** When the last response was merged, on the client's clock; -Infinity before the first. */
    readonly updatedAtMs: number,
  ) {}

  static empty(): ClusterMetadata {
    return new ClusterMetadata(null, -1, new Map(), new Map(), Number.NEGATIVE_INFINITY);
  }

  /**
   * The picture after `response` to a request for `requestedTopics` (null: every topic). Brokers and the
   * controller are replaced; topics are replaced for those asked about and kept for the others, unless
   * every topic was asked for, in which case topics the response does not list are gone.
   */
  merge(response: MetadataResponse, requestedTopics: readonly string[] | null, nowMs: number): ClusterMetadata {
    const brokers = new Map<number, BrokerNode>();
    for (const broker of response.brokers) {
      brokers.set(broker.nodeId, { nodeId: broker.nodeId, host: broker.host, port: broker.port, url: broker.url, rack: broker.rack });
    }
    const topics = requestedTopics === null ? new Map<string, TopicMetadata>() : new Map(this.topics);
    for (const topic of response.topics) topics.set(topic.name, toTopicMetadata(topic, brokers, this.topics.get(topic.name)));
    if (requestedTopics !== null) {
      // A topic asked about but missing from the answer is as unknown as one answered with an error.
      for (const name of requestedTopics) if (!response.topics.some((topic) => topic.name === name)) topics.delete(name);
    }
    return new ClusterMetadata(response.clusterId, response.controllerId, brokers, topics, nowMs);
  }

  /** The topic-level error code of the last answer about `name` (0 for none), undefined when never asked or not answered. */
  topicErrorCode(name: string): number | undefined {
    return this.topics.get(name)?.errorCode;
  }

  /** The topic when the cluster knows it (no topic-level error), else undefined. */
  topic(name: string): TopicMetadata | undefined {
    const topic = this.topics.get(name);
    return topic !== undefined && topic.errorCode === errorCodes.NONE ? topic : undefined;
  }

  partitionCount(topic: string): number | undefined {
    return this.topic(topic)?.partitions.length;
  }

  partition(topic: string, partition: number): PartitionMetadata | undefined {
    return this.topic(topic)?.partitions[partition];
  }

  /** The partition's leader when it has one that this picture can reach. */
  leaderFor(topic: string, partition: number): PartitionLeader | undefined {
    const metadata = this.partition(topic, partition);
    if (metadata === undefined || metadata.leader < 0) return undefined;
    const broker = this.brokers.get(metadata.leader);
    return broker === undefined ? undefined : { nodeId: broker.nodeId, url: broker.url, leaderEpoch: metadata.leaderEpoch };
  }

  brokerUrl(nodeId: number): string | undefined {
    return this.brokers.get(nodeId)?.url;
  }

  controllerUrl(): string | undefined {
    return this.controllerId < 0 ? undefined : this.brokerUrl(this.controllerId);
  }
}

function toTopicMetadata(topic: MetadataResponse['topics'][number], brokers: ReadonlyMap<number, BrokerNode>, previous: TopicMetadata | undefined): TopicMetadata {
  const partitions: PartitionMetadata[] = [];
  for (const partition of topic.partitions) {
    partitions[partition.partitionIndex] = {
      partition: partition.partitionIndex,
      leader: partition.leaderId,
      leaderEpoch: partition.leaderEpoch,
      replicas: partition.replicaNodes,
      isr: partition.isrNodes,
      offlineReplicas: partition.offlineReplicas,
      errorCode: partition.errorCode,
    };
  }
  // A response that skips a partition number describes it as leaderless rather than leaving a hole.
  for (let index = 0; index < partitions.length; index++) {
    partitions[index] ??= { partition: index, leader: -1, leaderEpoch: -1, replicas: [], isr: [], offlineReplicas: [], errorCode: errorCodes.LEADER_NOT_AVAILABLE };
  }
  // The same topic (not one deleted and created again) answered with an older epoch: keep what is known.
  if (previous !== undefined && previous.topicId === topic.topicId && topic.errorCode === errorCodes.NONE) {
    for (let index = 0; index < partitions.length; index++) {
      const known = previous.partitions[index];
      const answered = partitions[index] as PartitionMetadata;
      if (known !== undefined && answered.leaderEpoch >= 0 && known.leaderEpoch > answered.leaderEpoch) partitions[index] = known;
    }
  }
  const availablePartitions = partitions.filter((partition) => partition.leader >= 0 && brokers.has(partition.leader)).map((partition) => partition.partition);
  return { name: topic.name, topicId: topic.topicId, isInternal: topic.isInternal, errorCode: topic.errorCode, partitions, availablePartitions };
}
