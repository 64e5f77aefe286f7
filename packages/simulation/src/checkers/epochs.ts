/**
 * Epochs going back: a partition's leader epoch (or any epoch: partition epoch, broker epoch, group
 * generation) as seen by one observer must never decrease. Feed it what the observer sees, in the order it
 * sees it (metadata responses, the leader epochs of consumed batches in offset order); a stale view that
 * repeats an epoch is fine, going back is the violation.
 */
export interface EpochRegression {
  /** What the epoch belongs to, e.g. `orders-0`. */
  key: string;
  /** Who saw it, e.g. a client or broker name. */
  observer: string;
  previousEpoch: number;
  epoch: number;
}

export class EpochWatch {
  private readonly latest = new Map<string, number>();
  readonly regressions: EpochRegression[] = [];

  observe(key: string, epoch: number, observer = 'test'): void {
    const slot = `${observer}\u0000${key}`;
    const previousEpoch = this.latest.get(slot);
    if (previousEpoch !== undefined && epoch < previousEpoch) {
      this.regressions.push({ key, observer, previousEpoch, epoch });
      return;
    }
    this.latest.set(slot, epoch);
  }
}

/** The regressions in a list of observations, in order. */
export function findEpochRegressions(observations: Iterable<{ key: string; epoch: number; observer?: string }>): EpochRegression[] {
  const watch = new EpochWatch();
  for (const { key, epoch, observer } of observations) watch.observe(key, epoch, observer);
  return watch.regressions;
}
