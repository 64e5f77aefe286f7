/**
 * Metadata answered from the broker's metadata image (Kafka's `KafkaApis.handleTopicMetadataRequest`): the
 * unfenced brokers, and for each topic asked for (all when `topics` is null) its partitions' leaders, epochs,
 * replicas and ISR, with the replicas on fenced brokers listed offline. A missing topic may be auto-created.
 */
import type { ErrorName, MetadataImage, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import { topicNameProblem } from '../controller/topic-names.js';
import type { AutoTopicCreator } from './auto-topic-creation.js';

export function metadataResponse(body: RequestBody<'metadata'>, image: MetadataImage | null, autoTopicCreator: AutoTopicCreator | undefined): ResponseBody<'metadata'> {
  if (image === null) return { throttleTimeMs: 0, clusterId: null, controllerId: -1, brokers: [], topics: [] };
  const fenced = new Set(image.brokers.filter((broker) => broker.fenced).map((broker) => broker.brokerId));
  const brokers = image.brokers
    .filter((broker) => !broker.fenced)
    .map((broker) => ({ nodeId: broker.brokerId, host: broker.host, port: broker.port, url: broker.url, rack: broker.rack }));
  const byName = new Map(image.topics.map((topic) => [topic.name, topic]));
  const names = body.topics ?? image.topics.map((topic) => topic.name);
  const topics = names.map((name) => {
    const topic = byName.get(name);
    if (topic === undefined) {
      return { errorCode: errorByName(missingTopicError(name, body.allowAutoTopicCreation, autoTopicCreator)).code, name, topicId: null, isInternal: false, partitions: [] };
    }
    return {
      errorCode: 0,
      name,
      topicId: topic.topicId,
      isInternal: topic.isInternal,
      partitions: topic.partitions.map((partition) => ({
        errorCode: partition.leader === -1 ? errorByName('LEADER_NOT_AVAILABLE').code : 0,
        partitionIndex: partition.partitionIndex,
        leaderId: partition.leader,
        leaderEpoch: partition.leaderEpoch,
        replicaNodes: partition.replicas,
        isrNodes: partition.isr,
        offlineReplicas: partition.replicas.filter((replica) => fenced.has(replica)),
      })),
    };
  });
  return { throttleTimeMs: 0, clusterId: image.clusterId, controllerId: image.controllerId, brokers, topics };
}

/**
 * A Metadata request names a topic the image lacks: with auto-creation allowed on both sides it is being created
 * (LEADER_NOT_AVAILABLE, retriable, as Kafka answers); an illegal name cannot be (INVALID_TOPIC_EXCEPTION); else it
 * is unknown. Internal names (`__...`) are never created on demand.
 */
function missingTopicError(name: string, allowAutoTopicCreation: boolean, creator: AutoTopicCreator | undefined): ErrorName {
  if (!allowAutoTopicCreation || creator === undefined || name.startsWith('__')) return 'UNKNOWN_TOPIC_OR_PARTITION';
  if (topicNameProblem(name) !== undefined) return 'INVALID_TOPIC_EXCEPTION';
  creator.create(name);
  return 'LEADER_NOT_AVAILABLE';
}
