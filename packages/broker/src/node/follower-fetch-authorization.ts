/**
 * A fetch that names a replica id (>= 0) is a follower's: it reads up to the leader's log end, past the high
 * watermark, and (once followers are wired) moves the leader's view of that follower, its ISR and high watermark.
 * Kafka lets only principals with ClusterAction send one and answers anyone else TOPIC_AUTHORIZATION_FAILED on every
 * partition (KafkaApis.handleFetchRequest); kactor requires the cluster principal, as for the control-plane APIs.
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { Principal } from '@kactor/runtime';

const empty = new Uint8Array(0);

export function isUnauthorizedFollowerFetch(body: RequestBody<'fetch'>, principal: Principal | undefined): boolean {
  return body.replicaId >= 0 && principal !== 'cluster';
}

export function unauthorizedFollowerFetchResponse(body: RequestBody<'fetch'>): ResponseBody<'fetch'> {
  const errorCode = errorByName('TOPIC_AUTHORIZATION_FAILED').code;
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    responses: body.topics.map((topic) => ({
      topic: topic.topic,
      partitions: topic.partitions.map((partition) => ({
        partitionIndex: partition.partition,
        errorCode,
        highWatermark: -1,
        lastStableOffset: -1,
        logStartOffset: -1,
        abortedTransactions: null,
        records: empty,
      })),
    })),
  };
}
