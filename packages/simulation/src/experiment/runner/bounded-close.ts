/**
 * A clean stop with a deadline, as an orchestrator gives one: the process gets a grace period to close (commit,
 * revoke, leave the group), and is killed at its end if it has not finished (Kubernetes sends SIGKILL after
 * terminationGracePeriodSeconds). The deadline runs on the cluster's clock, outside the process, so a process
 * stopped meanwhile (SIGSTOP) is killed all the same.
 */
import type { Clock } from '@kactor/runtime';

/**
 * The grace period a clean stop gets before the process is killed: Kubernetes' default
 * terminationGracePeriodSeconds (30 s), which is also the consumer's default close timeout.
 */
export const CLOSE_GRACE_MS = 30_000;

/** How a stop ended: the process closed within the grace period, it ran out, or it was killed meanwhile. */
export type StopOutcome = 'closed' | 'grace-over' | 'killed';

/** A stop in progress: its outcome, and a way to end it at once (a kill -9 while it closes). */
export interface BoundedStop {
  readonly outcome: Promise<StopOutcome>;
  kill(): void;
}

export function boundedStop(clock: Clock, close: () => Promise<void>, graceMs = CLOSE_GRACE_MS): BoundedStop {
  let settle: (outcome: StopOutcome) => void = () => undefined;
  const outcome = new Promise<StopOutcome>((resolve) => {
    settle = resolve;
  });
  const timer = clock.setTimeout(() => settle('grace-over'), graceMs);
  void outcome.then(() => clock.clearTimeout(timer));
  close().then(
    () => settle('closed'),
    () => settle('closed'),
  );
  return { outcome, kill: () => settle('killed') };
}
