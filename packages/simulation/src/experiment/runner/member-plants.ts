/**
 * The planted bugs that live in a member's application (see PlantedBug): each armed on member-0 of the scenario's
 * first group and fired once, through the real consumer (a real commit, a real seek), so the checkers see the
 * violation come out of a whole run rather than out of a doctored trace.
 */
import type { Consumer, ConsumerRecord, TopicPartition, TopicPartitionOffset } from '@kactor/client';
import type { PlantedBug } from './run-options.js';

export interface MemberPlantActions {
  /** Commits `offsets` with commitSync and traces them once acknowledged. */
  commit(consumer: Consumer, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Moves the consumer's position back (the member starts a new stretch of reading). */
  seek(consumer: Consumer, tp: TopicPartition, offset: number): void;
}

export class MemberPlants {
  private fired = false;
  private readonly firstCommitted = new Map<string, TopicPartitionOffset>();

  constructor(private readonly bug: PlantedBug) {}

  /** skip-revocation: whether the application ignores this revocation (the first that takes partitions away). */
  ignoresRevocation(partitions: readonly unknown[]): boolean {
    if (this.bug !== 'skip-revocation' || this.fired || partitions.length === 0) return false;
    this.fired = true;
    return true;
  }

  /** After a batch was processed and committed (`offsets`, the next offsets to read of the batch's partitions). */
  async afterBatch(consumer: Consumer, records: readonly ConsumerRecord[], offsets: readonly TopicPartitionOffset[], actions: MemberPlantActions): Promise<void> {
    if (this.fired) return;
    if (this.bug === 'commit-backwards') await this.commitBackwards(consumer, offsets, actions);
    else if (this.bug === 'duplicate-delivery') this.deliverAgain(consumer, records, actions);
  }

  /** Once a partition has moved on since its first batch: commit it forward, then back to where it was first. */
  private async commitBackwards(consumer: Consumer, offsets: readonly TopicPartitionOffset[], actions: MemberPlantActions): Promise<void> {
    for (const next of offsets) {
      const key = `${next.topic}-${next.partition}`;
      const first = this.firstCommitted.get(key);
      if (first === undefined) {
        this.firstCommitted.set(key, next);
        continue;
      }
      if (next.offset <= first.offset) continue;
      this.fired = true;
      await actions.commit(consumer, [next]);
      await actions.commit(consumer, [first]);
      return;
    }
  }

  /** The batch's first partition is read again from the batch's first record: the consumer delivers it twice. */
  private deliverAgain(consumer: Consumer, records: readonly ConsumerRecord[], actions: MemberPlantActions): void {
    const first = records[0];
    if (first === undefined) return;
    this.fired = true;
    actions.seek(consumer, { topic: first.topic, partition: first.partition }, first.offset);
  }
}
