/**
 * Kafka's general sticky builder keeps consumers in a `TreeSet` ordered by (partitions held, member id)
 * and, for each partition, walks it from the start to the first consumer subscribed to the partition's
 * topic: O(C) per partition when many consumers cannot take it. Here consumers with the same
 * subscription share one indexed min-heap on the same order, and the first eligible consumer for a
 * topic is the least of the tops of the heaps whose subscription includes the topic: O(K + log C) for K
 * distinct subscriptions (usually a handful), same answer.
 *
 * The counts live in one array the builder changes; after changing a member's count it calls `update`.
 */
import type { StickyGroup } from './sticky-group.js';

export class MemberHeaps {
  /** Heap storage of all classes, each in its own slice `[classStart[k], classStart[k] + length[k])`. */
  private readonly slots: Int32Array;
  private readonly classStart: Int32Array;
  private readonly length: Int32Array;
  private readonly classOf: Int32Array;
  /** Where each member sits in its heap; -1 when removed. */
  private readonly slot: Int32Array;
  /** The classes whose members subscribe to each topic. */
  private readonly classesOfTopic: Int32Array[];

  constructor(
    group: StickyGroup,
    private readonly counts: Int32Array,
    private readonly rank: Int32Array,
  ) {
    const memberCount = group.members.length;
    const classIds = new Map<string, number>();
    this.classOf = new Int32Array(memberCount);
    const classTopics: Int32Array[] = [];
    const sizes: number[] = [];
    for (let m = 0; m < memberCount; m++) {
      const topics = group.memberTopics[m]!;
      const key = topics.join(',');
      let k = classIds.get(key);
      if (k === undefined) {
        classIds.set(key, (k = classTopics.length));
        classTopics.push(topics);
        sizes.push(0);
      }
      this.classOf[m] = k;
      sizes[k] = sizes[k]! + 1;
    }
    this.classStart = new Int32Array(sizes.length);
    for (let k = 1; k < sizes.length; k++) this.classStart[k] = this.classStart[k - 1]! + sizes[k - 1]!;
    this.length = new Int32Array(sizes.length);
    this.slots = new Int32Array(memberCount);
    this.slot = new Int32Array(memberCount).fill(-1);
    const lists: number[][] = group.topics.map(() => []);
    classTopics.forEach((topics, k) => topics.forEach((t) => lists[t]!.push(k)));
    this.classesOfTopic = lists.map((list) => Int32Array.from(list));
    for (let m = 0; m < memberCount; m++) this.push(m);
  }

  private less(a: number, b: number): boolean {
    const difference = this.counts[a]! - this.counts[b]!;
    return difference < 0 || (difference === 0 && this.rank[a]! < this.rank[b]!);
  }

  private place(k: number, index: number, m: number): void {
    this.slots[this.classStart[k]! + index] = m;
    this.slot[m] = index;
  }

  private siftUp(k: number, index: number): void {
    const base = this.classStart[k]!;
    const m = this.slots[base + index]!;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = this.slots[base + parent]!;
      if (!this.less(m, above)) break;
      this.place(k, index, above);
      index = parent;
    }
    this.place(k, index, m);
  }

  private siftDown(k: number, index: number): void {
    const base = this.classStart[k]!;
    const size = this.length[k]!;
    const m = this.slots[base + index]!;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && this.less(this.slots[base + right]!, this.slots[base + child]!)) child = right;
      const below = this.slots[base + child]!;
      if (!this.less(below, m)) break;
      this.place(k, index, below);
      index = child;
    }
    this.place(k, index, m);
  }

  private push(m: number): void {
    const k = this.classOf[m]!;
    const index = this.length[k]!;
    this.length[k] = index + 1;
    this.place(k, index, m);
    this.siftUp(k, index);
  }

  /** Takes a member out of consideration (Kafka's fixed consumers). */
  remove(m: number): void {
    const index = this.slot[m]!;
    if (index < 0) return;
    const k = this.classOf[m]!;
    const last = this.length[k]! - 1;
    this.length[k] = last;
    this.slot[m] = -1;
    if (index === last) return;
    const moved = this.slots[this.classStart[k]! + last]!;
    this.place(k, index, moved);
    this.siftUp(k, index);
    this.siftDown(k, this.slot[moved]!);
  }

  /** Restores the order after the member's count changed. */
  update(m: number): void {
    const index = this.slot[m]!;
    if (index < 0) return;
    const k = this.classOf[m]!;
    this.siftUp(k, index);
    this.siftDown(k, this.slot[m]!);
  }

  /** Restores the order after the member's count grew (it can only sink). */
  increased(m: number): void {
    const index = this.slot[m]!;
    if (index >= 0) this.siftDown(this.classOf[m]!, index);
  }

  /** Restores the order after the member's count shrank (it can only rise). */
  decreased(m: number): void {
    const index = this.slot[m]!;
    if (index >= 0) this.siftUp(this.classOf[m]!, index);
  }

  /** The first member in (count, member id) order subscribed to topic `t`, or -1. */
  firstFor(t: number): number {
    let best = -1;
    for (const k of this.classesOfTopic[t]!) {
      if (this.length[k] === 0) continue;
      const top = this.slots[this.classStart[k]!]!;
      if (best === -1 || this.less(top, best)) best = top;
    }
    return best;
  }
}
