/**
 * Whether every group has caught up with what was acknowledged: for each partition of a group's topics, the group
 * processed a record at or past the last acknowledged offset. It tells the drain phase when to stop waiting; it is
 * no checker (the analyzers check every record), so one number per partition is all it keeps.
 */
import type { TraceEvent, TraceObserver } from '../trace.js';

export class CatchUp implements TraceObserver {
  /** Partition -> the highest acknowledged offset. */
  private readonly acked = new Map<string, number>();
  /** Topic -> its partition count now (run.started, topic.partitions). */
  private readonly partitions = new Map<string, number>();
  /** Group -> partition -> the highest processed offset. */
  private readonly processed = new Map<string, Map<string, number>>();

  /** `topicsByGroup`: each group's subscribed topics. */
  constructor(private readonly topicsByGroup: ReadonlyMap<string, readonly string[]>) {
    for (const group of topicsByGroup.keys()) this.processed.set(group, new Map());
  }

  observe(event: TraceEvent): void {
    if (event.type === 'run.started') {
      for (const [topic, count] of Object.entries(event.partitions)) this.partitions.set(topic, count);
    } else if (event.type === 'topic.partitions') {
      this.partitions.set(event.topic, event.partitions);
    } else if (event.type === 'record.acked') {
      this.acked.set(event.partition, Math.max(this.acked.get(event.partition) ?? -1, event.offset));
    } else if (event.type === 'record.processed') {
      const byPartition = this.processed.get(event.group);
      byPartition?.set(event.partition, Math.max(byPartition.get(event.partition) ?? -1, event.offset));
    }
  }

  /** A topic's partition count as the trace last said it (0 for a topic it never named). */
  partitionCount(topic: string): number {
    return this.partitions.get(topic) ?? 0;
  }

  caughtUp(): boolean {
    for (const [group, topics] of this.topicsByGroup) {
      const byPartition = this.processed.get(group);
      for (const [partition, offset] of this.acked) {
        if (!topics.some((topic) => partition.startsWith(`${topic}-`) && /^\d+$/.test(partition.slice(topic.length + 1)))) continue;
        if ((byPartition?.get(partition) ?? -1) < offset) return false;
      }
    }
    return true;
  }
}
