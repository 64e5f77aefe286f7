/**
 * WriteTxnMarkers at a partition leader (Kafka's KafkaApis.handleWriteTxnMarkersRequest, KIP-98): a transaction
 * coordinator tells this broker that a producer's transaction is decided, and every named partition gets its COMMIT or
 * ABORT marker with acks=all. A `__consumer_offsets` partition's marker goes through the group coordinator (which
 * writes it through the coordinator runtime, then applies or drops the producer's pending offsets); any other
 * partition's is appended by its leader, which checks it as Kafka checks a coordinator's marker (epochs). The answer
 * lists every partition with its outcome, once all are known.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { TransactionMarker } from '../coordinator-runtime/coordinator-shard.js';

export interface WriteTxnMarkersPorts {
  /** The topic whose markers the group coordinator writes (`__consumer_offsets`). */
  offsetsTopic: string;
  /** A `__consumer_offsets` partition's marker, through the group coordinator. */
  completeGroupTransaction(partition: number, marker: TransactionMarker, onDone: (errorName: ErrorName) => void): void;
  /** Any other partition's marker, appended by the partition's leader here with acks=all. */
  writeMarker(topic: string, partition: number, marker: TransactionMarker, onDone: (errorName: ErrorName) => void): void;
}

export function handleWriteTxnMarkers(body: RequestBody<'writeTxnMarkers'>, ports: WriteTxnMarkersPorts, respond: (answer: ResponseBody<'writeTxnMarkers'>) => void): void {
  const answer: ResponseBody<'writeTxnMarkers'> = {
    markers: body.markers.map((marker) => ({
      producerId: marker.producerId,
      topics: marker.topics.map((topic) => ({ name: topic.name, partitions: topic.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode: -2 })) })),
    })),
  };
  let remaining = answer.markers.reduce((sum, marker) => sum + marker.topics.reduce((count, topic) => count + topic.partitions.length, 0), 0);
  if (remaining === 0) {
    respond(answer);
    return;
  }
  body.markers.forEach((request, markerIndex) => {
    const marker: TransactionMarker = { producerId: request.producerId, producerEpoch: request.producerEpoch, result: request.transactionResult ? 'COMMIT' : 'ABORT', coordinatorEpoch: request.coordinatorEpoch };
    request.topics.forEach((topic, topicIndex) => {
      topic.partitionIndexes.forEach((partition, partitionIndex) => {
        const entry = answer.markers[markerIndex]?.topics[topicIndex]?.partitions[partitionIndex];
        const done = (errorName: ErrorName) => {
          if (entry === undefined || entry.errorCode !== -2) return;
          entry.errorCode = errorByName(errorName).code;
          remaining -= 1;
          if (remaining === 0) respond(answer);
        };
        if (topic.name === ports.offsetsTopic) ports.completeGroupTransaction(partition, marker, done);
        else ports.writeMarker(topic.name, partition, marker, done);
      });
    });
  });
}
