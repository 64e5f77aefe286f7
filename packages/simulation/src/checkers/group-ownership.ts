/**
 * Two owners of a partition in a consumer group: no generation may assign a partition to two members,
 * and (with cooperative rebalancing) no member may be assigned a partition another still holds. Fed by
 * the consumers' own 'assigned', 'revoked' and 'lost' events.
 */
import type { Consumer, ConsumerEvent } from '@kactor/client';
import { sortedNames } from '../partition-names.js';

export interface DoubleOwner {
  generation: number;
  partition: string;
  owners: number;
}

/** Partitions one generation handed to more than one member: `byGeneration` is generation -> member -> partitions. */
export function findDoubleOwners(byGeneration: ReadonlyMap<number, ReadonlyMap<unknown, readonly string[]>>): DoubleOwner[] {
  const found: DoubleOwner[] = [];
  for (const [generation, owners] of byGeneration) {
    const counts = new Map<string, number>();
    for (const partitions of owners.values()) for (const partition of partitions) counts.set(partition, (counts.get(partition) ?? 0) + 1);
    for (const [partition, count] of counts) if (count > 1) found.push({ generation, partition, owners: count });
  }
  return found;
}

/**
 * What each member holds right now, from its events: a partition assigned to one member while another
 * still holds it is recorded in `doubleOwned`; `revoked` and `lost` list what each gave up.
 */
export class Ownership {
  readonly held = new Map<Consumer, Set<string>>();
  readonly doubleOwned: string[] = [];
  readonly revoked = new Map<Consumer, string[]>();
  readonly lost: string[] = [];

  watch(consumer: Consumer): void {
    this.held.set(consumer, new Set());
    consumer.on('event', (event: ConsumerEvent) => this.record(consumer, event));
  }

  /** Applies one consumer event (what `watch` does for each). */
  record(consumer: Consumer, event: ConsumerEvent): void {
    if (event.type !== 'assigned' && event.type !== 'revoked' && event.type !== 'lost') return;
    const mine = this.held.get(consumer) ?? new Set<string>();
    this.held.set(consumer, mine);
    for (const name of sortedNames(event.partitions)) {
      if (event.type === 'assigned') {
        for (const [other, theirs] of this.held) if (other !== consumer && theirs.has(name)) this.doubleOwned.push(name);
        mine.add(name);
      } else {
        mine.delete(name);
        if (event.type === 'lost') this.lost.push(name);
        else this.revoked.set(consumer, [...(this.revoked.get(consumer) ?? []), name]);
      }
    }
  }
}
