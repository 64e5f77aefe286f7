/**
 * What the run does at given simulated times (the timeline's events, the ends of timed faults, the steps of a
 * rolling restart), in time order, ties in the order they were added. The driver runs each between advances of the
 * clock, so an action may itself run the clock (a controlled shutdown waits for the broker to stop).
 */
export interface AgendaItem {
  /** Ms since the workload started. */
  atMs: number;
  run: () => void | Promise<void>;
}

export class Agenda {
  private readonly items: Array<AgendaItem & { order: number }> = [];
  private added = 0;

  add(atMs: number, run: AgendaItem['run']): void {
    const item = { atMs, run, order: this.added };
    this.added += 1;
    // Few items at a time: a sorted insert keeps `next()` O(1).
    let index = this.items.length;
    while (index > 0 && this.isAfter(this.items[index - 1] as AgendaItem & { order: number }, item)) index -= 1;
    this.items.splice(index, 0, item);
  }

  /** The earliest item, left in place. */
  peek(): AgendaItem | undefined {
    return this.items[0];
  }

  take(): AgendaItem | undefined {
    return this.items.shift();
  }

  private isAfter(a: { atMs: number; order: number }, b: { atMs: number; order: number }): boolean {
    return a.atMs > b.atMs || (a.atMs === b.atMs && a.order > b.order);
  }
}
