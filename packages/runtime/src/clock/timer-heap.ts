/**
 * A binary min-heap of timers ordered by (dueMs, sequence). The sequence number breaks ties, so timers
 * due at the same instant fire in the order they were armed, as Node's own timers do.
 *
 * A heap makes arming and firing O(log n); XState's SimulatedClock re-sorts every timer on every
 * flush, which is what makes it unusable with thousands of actors (toolchain reference, section 2).
 */
export interface HeapTimer {
  readonly dueMs: number;
  readonly sequence: number;
}

export class TimerHeap<T extends HeapTimer> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined) return undefined;
    if (items.length > 0) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Keeps only the items that pass `keep` and restores the heap order in O(n) (Floyd's heapify). */
  retain(keep: (item: T) => boolean): void {
    this.items = this.items.filter(keep);
    for (let index = (this.items.length >> 1) - 1; index >= 0; index -= 1) this.siftDown(index);
  }

  private siftUp(start: number): void {
    const items = this.items;
    const item = items[start] as T;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (!firesBefore(item, parent)) break;
      items[index] = parent;
      index = parentIndex;
    }
    items[index] = item;
  }

  private siftDown(start: number): void {
    const items = this.items;
    const length = items.length;
    const item = items[start] as T;
    let index = start;
    for (;;) {
      const leftIndex = 2 * index + 1;
      if (leftIndex >= length) break;
      const rightIndex = leftIndex + 1;
      let childIndex = leftIndex;
      if (rightIndex < length && firesBefore(items[rightIndex] as T, items[leftIndex] as T)) childIndex = rightIndex;
      const child = items[childIndex] as T;
      if (!firesBefore(child, item)) break;
      items[index] = child;
      index = childIndex;
    }
    items[index] = item;
  }
}

function firesBefore(a: HeapTimer, b: HeapTimer): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.sequence < b.sequence);
}
