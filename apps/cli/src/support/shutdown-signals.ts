/**
 * Stopping a long-running process on SIGINT or SIGTERM exactly once, and only when its shutdown is done.
 *
 * One Ctrl-C often reaches a process more than once: the terminal signals the whole process group, and a
 * wrapper in that group (tsx, pnpm) relays its own copy to its child. A listener registered with `once` is
 * gone by the second copy, and a process with no listener for a signal dies of it (so does a tsx child:
 * tsx's own handler exits when no other listener is left), before the logs are closed and the
 * clean-shutdown marker is written; the next start then recovers every log.
 *
 * Like Kafka's shutdown hook, the first signal starts the shutdown and it runs to completion: later signals
 * are only logged. The shutdown is bounded (a controlled shutdown waits at most broker.session.timeout.ms for
 * the controller), and kill -9 still stops the process at once, leaving the logs to recovery.
 */
import type { Clock, Logger } from '@kactor/runtime';

export type ShutdownSignal = 'SIGINT' | 'SIGTERM';

/** A signal this soon after the first is a copy of it (relayed by a wrapper, or sent by `cluster up` too): not worth a line. */
const duplicateSignalWindowMs = 1_000;

export interface ShutdownSignalHandle {
  /** Whether a shutdown was asked for (by a signal or `request`). */
  readonly requested: boolean;
  /** Starts the shutdown for another reason (e.g. the parent process went away); ignored once started. */
  request(reason: string): void;
}

/**
 * Listens for SIGINT and SIGTERM for the rest of the process's life; the first one (or `request`) runs
 * `shutdown` once, later ones are logged and ignored.
 */
export function shutdownOnSignals(
  logger: Logger,
  clock: Pick<Clock, 'now'>,
  shutdown: (reason: string) => void,
  target: Pick<NodeJS.Process, 'on'> = process,
): ShutdownSignalHandle {
  let requested = false;
  let requestedAtMs = 0;
  const request = (reason: string) => {
    if (requested) {
      const copy = clock.now() - requestedAtMs < duplicateSignalWindowMs;
      logger[copy ? 'debug' : 'info']({ signal: reason }, 'already shutting down: waiting for the logs to close (kill -9 stops at once and leaves them to recovery)');
      return;
    }
    requested = true;
    requestedAtMs = clock.now();
    shutdown(reason);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) target.on(signal, () => request(signal));
  return {
    get requested() {
      return requested;
    },
    request,
  };
}
