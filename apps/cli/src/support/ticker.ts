/** A repeating timer on the system clock (the CLI's only clock), stopped by the returned function. */
import { systemClock, type TimerHandle } from '@kactor/runtime';

export function every(intervalMs: number, tick: () => void): () => void {
  let handle: TimerHandle = undefined;
  let stopped = false;
  const schedule = () => {
    handle = systemClock.setTimeout(() => {
      if (stopped) return;
      tick();
      schedule();
    }, intervalMs);
  };
  schedule();
  return () => {
    stopped = true;
    systemClock.clearTimeout(handle);
  };
}
