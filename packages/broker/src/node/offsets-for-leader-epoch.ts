/**
 * OffsetsForLeaderEpoch (api key 23) across the partitions of a request: each is answered by its leader from its
 * epoch cache (see leader-epoch-end-offset.ts), or with the reason this broker cannot (UNKNOWN_TOPIC_OR_PARTITION,
 * NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR) and Kafka's UNDEFINED_EPOCH_OFFSET (-1, -1).
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { PartitionLookup } from '../fetch/fetch-reader.js';
import { lastOffsetForLeaderEpoch } from '../partition/leader-epoch-end-offset.js';

export function offsetsForLeaderEpochResponse(body: RequestBody<'offsetsForLeaderEpoch'>, lookup: PartitionLookup): ResponseBody<'offsetsForLeaderEpoch'> {
  return {
    throttleTimeMs: 0,
    topics: body.topics.map((topic) => ({
      topic: topic.topic,
      partitions: topic.partitions.map((partition) => {
        const view = lookup(topic.topic, partition.partition);
        const answer = typeof view === 'string' ? { errorName: view, leaderEpoch: -1, endOffset: -1 } : lastOffsetForLeaderEpoch(view, partition.currentLeaderEpoch, partition.leaderEpoch);
        return { errorCode: errorByName(answer.errorName).code, partition: partition.partition, leaderEpoch: answer.leaderEpoch, endOffset: answer.endOffset };
      }),
    })),
  };
}
