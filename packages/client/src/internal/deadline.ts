/** Bounding a promise by a deadline on the injected clock. */
import type { Clock } from '@kactor/runtime';

/**
 * Settles like `promise`, or rejects with `onTimeout()` once the clock reaches `deadlineMs`. The timer is
 * cleared as soon as the promise settles, so nothing is left armed.
 */
export function withDeadline<T>(clock: Clock, promise: Promise<T>, deadlineMs: number, onTimeout: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(onTimeout()), Math.max(0, deadlineMs - clock.now()));
    promise.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
