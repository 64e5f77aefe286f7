/**
 * A read-only set of partitions kept as an ascending array: what the `uniform` assignor hands out. At 10,000
 * members a `Set` per member and topic (most holding one to ten partitions) made allocation and garbage
 * collection most of an assignment's time; an array and one small object cost a fraction of that.
 */
export class SortedPartitions implements ReadonlySet<number> {
  private readonly partitions: readonly number[];

  /** `ascending` must be sorted and without duplicates; it is kept, not copied. */
  constructor(ascending: readonly number[]) {
    this.partitions = ascending;
  }

  get size(): number {
    return this.partitions.length;
  }

  has(partition: number): boolean {
    let low = 0;
    let high = this.partitions.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.partitions[middle]!;
      if (value === partition) return true;
      if (value < partition) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  values(): SetIterator<number> {
    return this.partitions.values();
  }

  keys(): SetIterator<number> {
    return this.partitions.values();
  }

  *entries(): SetIterator<[number, number]> {
    for (const partition of this.partitions) yield [partition, partition];
  }

  [Symbol.iterator](): SetIterator<number> {
    return this.partitions.values();
  }

  forEach(callback: (value: number, key: number, set: ReadonlySet<number>) => void, thisArg?: unknown): void {
    for (const partition of this.partitions) callback.call(thisArg, partition, partition, this);
  }
}
