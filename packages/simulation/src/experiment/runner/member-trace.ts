/**
 * What one incarnation of a member does, written to the run's trace: its consumer's lifecycle events (state,
 * assigned, revoked, lost, rebalance records), the records it processed, its acknowledged and failed commits, and
 * the leader epochs of what it reads.
 */
import type { ConsumerEvent, ConsumerRecord, TopicPartition, TopicPartitionOffset } from '@kactor/client';
import { errorName } from './error-name.js';
import type { MemberPlants } from './member-plants.js';
import { partitionName, partitionNames } from './partition-name.js';
import { recordIdOfValue } from './record-value.js';
import type { TraceWriter } from './trace-writer.js';

export class MemberTrace {
  /**
   * Per partition, the leader epoch of the last batch read since the partition was last assigned (or its position
   * moved back): along one stretch of reading a log, epochs never decrease. Each stretch is its own observer.
   */
  private readonly epochs = new Map<string, { observer: string; epoch: number }>();

  constructor(
    private readonly trace: TraceWriter,
    private readonly group: string,
    private readonly member: string,
    /** The member's count of reading stretches, shared by its incarnations so observers never repeat. */
    private readonly readingStretches: { count: number },
    private readonly plants: MemberPlants | undefined,
  ) {}

  processed(record: ConsumerRecord, generation: number): void {
    this.trace.write({
      type: 'record.processed',
      group: this.group,
      member: this.member,
      partition: partitionName(record),
      offset: record.offset,
      id: recordIdOfValue(record.value),
      generation,
    });
  }

  committed(offsets: readonly TopicPartitionOffset[], generation: number): void {
    for (const { topic, partition, offset } of [...offsets].sort((a, b) => (partitionName(a) < partitionName(b) ? -1 : 1))) {
      this.trace.write({ type: 'offset.committed', group: this.group, member: this.member, partition: partitionName({ topic, partition }), offset, generation });
    }
  }

  commitFailed(error: unknown): void {
    this.trace.write({ type: 'offset.commitFailed', group: this.group, member: this.member, error: errorName(error) });
  }

  /** The member reads `tp` from elsewhere than where it was (a seek back, a new assignment): a new stretch of epochs. */
  readFrom(tp: TopicPartition): void {
    this.epochs.delete(partitionName(tp));
  }

  /** A partition's leader epoch as this member reads it: traced when it changes (it only grows along a stretch of reading). */
  epochOf(record: ConsumerRecord): void {
    if (record.leaderEpoch < 0) return;
    const key = partitionName(record);
    let stretch = this.epochs.get(key);
    if (stretch?.epoch === record.leaderEpoch) return;
    if (stretch === undefined) {
      this.readingStretches.count += 1;
      stretch = { observer: `${this.member}#${this.readingStretches.count}`, epoch: record.leaderEpoch };
      this.epochs.set(key, stretch);
    }
    stretch.epoch = record.leaderEpoch;
    this.trace.write({ type: 'epoch.observed', observer: stretch.observer, key, epoch: record.leaderEpoch });
  }

  /** One of the consumer's lifecycle events; `generation` is the member's generation now. */
  consumerEvent(event: ConsumerEvent, generation: number): void {
    const { group, member } = this;
    switch (event.type) {
      case 'state':
        this.trace.write({ type: 'member.state', group, member, from: event.from, to: event.to, generation: event.generation });
        return;
      case 'assigned':
      case 'revoked':
      case 'lost': {
        const partitions = partitionNames(event.partitions);
        // A partition read again after it came back may start before what was read of it last time.
        for (const partition of partitions) this.epochs.delete(partition);
        if (event.type === 'revoked' && this.plants?.ignoresRevocation(partitions) === true) return;
        // The client names the generation the partitions were held in; a cooperative revocation comes after the member
        // joined the next one. The trace gives the generation the member is in when the event happens, so a member's
        // generations only go forward along its trace (the checkers' rule).
        this.trace.write({ type: `member.${event.type}`, group, member, partitions, generation: Math.max(event.generation, generation) });
        return;
      }
      case 'rebalance': {
        const { record } = event;
        this.trace.write({
          type: 'member.rebalance',
          group,
          member,
          trigger: record.trigger,
          generations: [...record.generations],
          startMs: this.trace.runTime(record.startMs),
          endMs: this.trace.runTime(record.endMs),
          pausedMs: record.pausedMs,
          partiallyPausedMs: record.partiallyPausedMs,
          completed: record.completed,
        });
        return;
      }
    }
  }
}
