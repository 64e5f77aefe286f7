/**
 * Says, while a client keeps retrying, which broker address it cannot reach and why (Kafka's NetworkClient warns
 * "Connection to node -1 (...) could not be established"), so a dead bootstrap server is not a silent minute.
 *
 * One line per address at first failure, then again only after a quiet period that doubles each time (from
 * reconnect.backoff.max.ms up to `MAX_WARNING_INTERVAL_MS`), so a long outage is reported without flooding;
 * a success resets the address.
 */
import type { Logger } from '@kactor/runtime';

/** The longest quiet period between two warnings about one unreachable address. */
export const MAX_WARNING_INTERVAL_MS = 30_000;

interface KeyWarnings {
  nextWarningAtMs: number;
  intervalMs: number;
}

/** Warnings about a condition that lasts (keyed), logged at first and then after doubling quiet periods. */
export class ThrottledWarnings {
  private readonly keys = new Map<string, KeyWarnings>();

  constructor(
    private readonly logger: Logger,
    /** The first quiet period. */
    private readonly firstIntervalMs: number,
  ) {}

  /** The condition `key` holds now; logs `message` when this key is due. */
  warn(key: string, fields: Record<string, unknown>, message: string, nowMs: number): void {
    const state = this.keys.get(key);
    if (state !== undefined && nowMs < state.nextWarningAtMs) return;
    const intervalMs = state === undefined ? Math.max(1, this.firstIntervalMs) : Math.min(state.intervalMs * 2, MAX_WARNING_INTERVAL_MS);
    this.keys.set(key, { nextWarningAtMs: nowMs + intervalMs, intervalMs });
    this.logger.warn(fields, message);
  }

  /** The condition `key` ended: the next occurrence is reported at once. */
  clear(key: string): void {
    this.keys.delete(key);
  }

  /** Every key whose condition is no longer seen. */
  clearExcept(keep: (key: string) => boolean): void {
    for (const key of [...this.keys.keys()]) if (!keep(key)) this.keys.delete(key);
  }
}

export class ConnectionWarnings {
  private readonly warnings: ThrottledWarnings;

  constructor(logger: Logger, /** reconnect.backoff.max.ms: the first quiet period. */ firstIntervalMs: number) {
    this.warnings = new ThrottledWarnings(logger, firstIntervalMs);
  }

  /** A request to `url` failed because no connection could be made; warns when this address is due. */
  failed(url: string, reason: string, nowMs: number): void {
    this.warnings.warn(url, { url }, `connection to ${url} failed (${reason}); retrying`, nowMs);
  }

  succeeded(url: string): void {
    this.warnings.clear(url);
  }
}

/** The cause in a transport's "cannot connect to URL: cause" message (the RPC client's words), else undefined. */
export function connectFailureReason(url: string, message: string): string | undefined {
  const prefix = `cannot connect to ${url}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : undefined;
}
