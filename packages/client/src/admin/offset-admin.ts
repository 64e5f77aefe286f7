/**
 * The admin client's `listOffsets` (Kafka's `Admin.listOffsets` with `OffsetSpec`): per partition the log
 * start offset (earliest), the high watermark (latest), or the first offset whose record timestamp is at or
 * after a time (forTimestamp; offset -1 when no record is that recent, as Kafka answers). Each partition is
 * asked at its leader (ListOffsets); a leader that moved is looked up again and asked again until the deadline.
 */
import type { AdminConfig, RequestBody } from '@kactor/protocol';
import { errorForCode, KafkaProtocolError, listOffsetsTimestamps } from '@kactor/protocol';
import type { ClientRuntime } from '../client-runtime.js';
import type { ClusterClient } from '../network/cluster-client.js';
import type { TopicPartition } from '../topic-partition.js';

/** Kafka's OffsetSpec: earliest, latest, or forTimestamp(ms since the epoch). */
export type OffsetSpec = { readonly kind: 'earliest' } | { readonly kind: 'latest' } | { readonly kind: 'timestamp'; readonly timestampMs: number };

/** Kafka's `ListOffsetsResultInfo`, or why the partition could not be answered. */
export interface ListOffsetsResult extends TopicPartition {
  /** -1 when a timestamp is newer than every record of the partition. */
  readonly offset: number;
  /** The found record's timestamp for forTimestamp; -1 otherwise. */
  readonly timestampMs: number;
  readonly leaderEpoch: number;
  readonly error: KafkaProtocolError | null;
}

type WithRetries = <T>(callName: string, deadlineMs: number, attempt: (refreshMetadata: boolean) => Promise<T>) => Promise<T>;

function specTimestamp(spec: OffsetSpec): number {
  if (spec.kind === 'earliest') return listOffsetsTimestamps.earliest;
  if (spec.kind === 'latest') return listOffsetsTimestamps.latest;
  return spec.timestampMs;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export async function listOffsetsAtLeaders(
  options: { cluster: ClusterClient; runtime: ClientRuntime; config: AdminConfig; withRetries: WithRetries },
  requests: ReadonlyArray<TopicPartition & { readonly spec: OffsetSpec }>,
  deadlineMs: number,
): Promise<ListOffsetsResult[]> {
  const { cluster, runtime, config, withRetries } = options;
  const results = new Map<string, ListOffsetsResult>();
  const answered = (topic: string, partition: number, fields: Omit<ListOffsetsResult, 'topic' | 'partition'>) => results.set(key(topic, partition), { topic, partition, ...fields });
  const failed = (tp: TopicPartition, error: KafkaProtocolError) => answered(tp.topic, tp.partition, { offset: -1, timestampMs: -1, leaderEpoch: -1, error });
  let pending = [...requests];
  try {
    await withRetries('listOffsets', deadlineMs, async () => {
      const metadata = await cluster.fetchMetadata([...new Set(pending.map((request) => request.topic))]);
      const byLeader = new Map<string, Map<string, RequestBody<'listOffsets'>['topics'][number]['partitions']>>();
      for (const request of pending) {
        if (metadata.partition(request.topic, request.partition) === undefined) {
          failed(request, KafkaProtocolError.from('UNKNOWN_TOPIC_OR_PARTITION', `${request.topic}-${request.partition} does not exist`));
          continue;
        }
        const leader = metadata.leaderFor(request.topic, request.partition);
        if (leader === undefined) throw KafkaProtocolError.from('LEADER_NOT_AVAILABLE', `${request.topic}-${request.partition} has no leader`);
        const topics = byLeader.get(leader.url) ?? new Map();
        byLeader.set(leader.url, topics);
        const partitions = topics.get(request.topic) ?? [];
        partitions.push({ partitionIndex: request.partition, currentLeaderEpoch: leader.leaderEpoch, timestamp: specTimestamp(request.spec) });
        topics.set(request.topic, partitions);
      }
      const timeoutMs = Math.max(1, Math.min(config.requestTimeoutMs, deadlineMs - runtime.clock.now()));
      let retriable: KafkaProtocolError | undefined;
      await Promise.all(
        [...byLeader].map(async ([url, topics]) => {
          const body: RequestBody<'listOffsets'> = { replicaId: -1, isolationLevel: 0, topics: [...topics].map(([name, partitions]) => ({ name, partitions })) };
          const response = await cluster.request(url, 'listOffsets', body, { timeoutMs });
          for (const topic of response.topics) {
            for (const partition of topic.partitions) {
              const error = partition.errorCode === 0 ? null : KafkaProtocolError.from(partition.errorCode, `${topic.name}-${partition.partitionIndex}: ${errorForCode(partition.errorCode).name}`);
              if (error !== null && error.retriable) retriable = error;
              else answered(topic.name, partition.partitionIndex, { offset: partition.offset, timestampMs: partition.timestamp, leaderEpoch: partition.leaderEpoch, error });
            }
          }
        }),
      );
      pending = pending.filter((request) => !results.has(key(request.topic, request.partition)));
      if (retriable !== undefined && pending.length > 0) throw retriable;
    });
  } catch (error) {
    if (!(error instanceof KafkaProtocolError)) throw error;
    for (const request of pending) if (!results.has(key(request.topic, request.partition))) failed(request, error);
  }
  return requests.map((request) => results.get(key(request.topic, request.partition)) ?? { topic: request.topic, partition: request.partition, offset: -1, timestampMs: -1, leaderEpoch: -1, error: KafkaProtocolError.from('UNKNOWN_SERVER_ERROR', `no answer for ${request.topic}-${request.partition}`) });
}
