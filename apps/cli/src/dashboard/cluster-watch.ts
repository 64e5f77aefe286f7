/**
 * Keeps the cluster timeline going while no page is open: a leader change that happens before anyone looks
 * is still on the timeline when they do. Every `intervalMs` the watch takes a view of the cluster, unless a
 * page (or script) took one meanwhile, so an open page does not double the admin calls. A failed view is
 * the page's to report (it asks /api/cluster itself): the watch just tries again at the next interval.
 */
import type { Clock, TimerHandle } from '@kactor/runtime';
import type { ClusterSource } from './cluster-source.js';

export interface WatchedClusterSource extends ClusterSource {
  /** How long ago the last view was taken (Infinity before the first). */
  msSinceLastView(): number;
}

export interface ClusterWatch {
  stop(): void;
}

export function watchCluster(source: WatchedClusterSource, clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>, intervalMs: number): ClusterWatch {
  let stopped = false;
  let timer: TimerHandle | undefined;
  const schedule = () => {
    if (!stopped) timer = clock.setTimeout(tick, intervalMs);
  };
  const tick = () => {
    timer = undefined;
    if (source.msSinceLastView() < intervalMs) return schedule();
    source.cluster().then(schedule, schedule);
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
  };
}
