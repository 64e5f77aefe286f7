/**
 * Sends a transaction's markers to the leaders of its partitions (Kafka's TransactionMarkerChannelManager): one
 * WriteTxnMarkers per leader, with the coordinator epoch, and every partition's outcome reported back to the chart
 * (transaction-markers.ts says what each answer means). A partition without a leader now is reported `retry` at once,
 * a deleted one `gone`; an unreachable leader makes all its partitions `retry`. The chart retries after its backoff.
 */
import { errorByCode, type MetadataImage, type RequestBody } from '@kactor/protocol';
import type { Logger, PeerRequester } from '@kactor/runtime';
import { markerOutcome, planMarkers, type MarkerAnswer, type TxnMarkers } from './transaction-markers.js';
import type { TopicPartition } from './transaction-metadata.js';

export interface TransactionMarkerChannelOptions {
  peers: PeerRequester;
  currentImage(): MetadataImage | null;
  logger: Logger;
}

export class TransactionMarkerChannel {
  constructor(private readonly options: TransactionMarkerChannelOptions) {}

  send(markers: TxnMarkers, onAnswers: (answers: MarkerAnswer[]) => void): void {
    const image = this.options.currentImage();
    const plan = planMarkers(markers, (partition) => leaderOf(image, partition));
    const immediate: MarkerAnswer[] = [
      ...plan.withoutLeader.map((partition) => ({ topic: partition.topic, partition: partition.partition, outcome: 'retry' as const })),
      ...plan.gone.map((partition) => ({ topic: partition.topic, partition: partition.partition, outcome: 'gone' as const })),
    ];
    if (immediate.length > 0) onAnswers(immediate);
    for (const [leader, forLeader] of plan.byLeader) {
      const url = image?.brokers.find((broker) => broker.brokerId === leader)?.url;
      const retryAll = () => forLeader.partitions.map((partition) => ({ topic: partition.topic, partition: partition.partition, outcome: 'retry' as const }));
      if (url === undefined) {
        onAnswers(retryAll());
        continue;
      }
      this.options.peers.request(url, 'writeTxnMarkers', writeTxnMarkersBody(forLeader), (result) => {
        if (!result.ok) {
          this.options.logger.debug({ leader, error: result.error.message }, 'WriteTxnMarkers failed: the markers are sent again');
          onAnswers(retryAll());
          return;
        }
        const answers: MarkerAnswer[] = [];
        for (const marker of result.body.markers) {
          for (const topic of marker.topics) {
            for (const partition of topic.partitions) {
              const errorName = errorByCode(partition.errorCode)?.name ?? 'UNKNOWN_SERVER_ERROR';
              answers.push({ topic: topic.name, partition: partition.partitionIndex, outcome: markerOutcome(errorName) });
            }
          }
        }
        // A partition the leader did not answer for is sent again rather than forgotten.
        for (const partition of forLeader.partitions) {
          if (!answers.some((answer) => answer.topic === partition.topic && answer.partition === partition.partition)) answers.push({ topic: partition.topic, partition: partition.partition, outcome: 'retry' });
        }
        onAnswers(answers);
      });
    }
  }
}

/** The partition's leader in the image, null while it has none (or its broker is fenced), 'gone' once it does not exist. */
function leaderOf(image: MetadataImage | null, partition: TopicPartition): number | null | 'gone' {
  if (image === null) return null;
  const topic = image.topics.find((candidate) => candidate.name === partition.topic);
  const entry = topic?.partitions.find((candidate) => candidate.partitionIndex === partition.partition);
  if (topic === undefined || entry === undefined) return 'gone';
  if (entry.leader < 0) return null;
  const broker = image.brokers.find((candidate) => candidate.brokerId === entry.leader);
  return broker === undefined || broker.fenced ? null : entry.leader;
}

/** One WriteTxnMarkers for one leader: the transaction's marker for that leader's partitions, grouped by topic. */
export function writeTxnMarkersBody(markers: TxnMarkers): RequestBody<'writeTxnMarkers'> {
  const byTopic = new Map<string, number[]>();
  for (const partition of markers.partitions) byTopic.set(partition.topic, [...(byTopic.get(partition.topic) ?? []), partition.partition]);
  return {
    markers: [
      {
        producerId: markers.producerId,
        producerEpoch: markers.producerEpoch,
        transactionResult: markers.result === 'COMMIT',
        topics: [...byTopic.entries()].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
        coordinatorEpoch: markers.coordinatorEpoch,
      },
    ],
  };
}
