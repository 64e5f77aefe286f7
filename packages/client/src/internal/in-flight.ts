/** Promises under way that a close() waits for (bounded by a deadline on the injected clock). */
import type { Clock } from '@kactor/runtime';
import { withDeadline } from './deadline.js';

export class InFlight {
  private readonly promises = new Set<Promise<unknown>>();

  get size(): number {
    return this.promises.size;
  }

  add(promise: Promise<unknown>): void {
    this.promises.add(promise);
    void promise.then(
      () => this.promises.delete(promise),
      () => this.promises.delete(promise),
    );
  }

  /** Resolves once every promise under way settled, or at `deadlineMs`, whichever comes first; never rejects. */
  async settle(clock: Clock, deadlineMs: number): Promise<void> {
    if (this.promises.size === 0) return;
    await withDeadline(clock, Promise.allSettled([...this.promises]), deadlineMs, () => undefined).catch(() => undefined);
  }
}
