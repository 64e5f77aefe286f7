/**
 * DescribeLogDirs answered from the partitions this broker hosts (kactor has one log directory per broker):
 * each partition's size, offsets, high watermark, leader epoch and segment count, sorted by topic and partition.
 * `topics` null asks for every hosted partition.
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import type { PartitionHost } from './partition-host.js';

type PartitionDirs = ResponseBody<'describeLogDirs'>['topics'][number]['partitions'];

export function describeLogDirs(body: RequestBody<'describeLogDirs'>, partitions: PartitionHost, logDir: string): ResponseBody<'describeLogDirs'> {
  const wanted = body.topics === null ? null : new Map(body.topics.map((topic) => [topic.topic, new Set(topic.partitions)]));
  const byTopic = new Map<string, PartitionDirs>();
  for (const { topic, partition } of partitions.hostedPartitions()) {
    if (wanted !== null && !wanted.get(topic)?.has(partition)) continue;
    const view = partitions.view(topic, partition);
    if (view === undefined) continue;
    const { log } = view.context.ports;
    const entries = byTopic.get(topic) ?? [];
    entries.push({
      partitionIndex: partition,
      errorCode: 0,
      partitionSize: log.sizeBytes,
      logStartOffset: log.logStartOffset,
      logEndOffset: log.logEndOffset,
      highWatermark: view.context.highWatermark,
      leaderEpoch: view.context.leaderEpoch,
      segmentCount: log.segmentCount,
    });
    byTopic.set(topic, entries);
  }
  const topics = [...byTopic.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, entries]) => ({ name, partitions: entries.sort((a, b) => a.partitionIndex - b.partitionIndex) }));
  return { throttleTimeMs: 0, errorCode: 0, logDir, topics };
}
