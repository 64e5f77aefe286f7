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

interface AddressWarnings {
  nextWarningAtMs: number;
  intervalMs: number;
}

export class ConnectionWarnings {
  private readonly addresses = new Map<string, AddressWarnings>();

  constructor(
    private readonly logger: Logger,
    /** reconnect.backoff.max.ms: the first quiet period. */
    private readonly firstIntervalMs: number,
  ) {}

  /** A request to `url` failed because no connection could be made; warns when this address is due. */
  failed(url: string, reason: string, nowMs: number): void {
    const state = this.addresses.get(url);
    if (state !== undefined && nowMs < state.nextWarningAtMs) return;
    const intervalMs = state === undefined ? Math.max(1, this.firstIntervalMs) : Math.min(state.intervalMs * 2, MAX_WARNING_INTERVAL_MS);
    this.addresses.set(url, { nextWarningAtMs: nowMs + intervalMs, intervalMs });
    this.logger.warn({ url }, `connection to ${url} failed (${reason}); retrying`);
  }

  succeeded(url: string): void {
    this.addresses.delete(url);
  }
}

/** The cause in a transport's "cannot connect to URL: cause" message (the RPC client's words), else undefined. */
export function connectFailureReason(url: string, message: string): string | undefined {
  const prefix = `cannot connect to ${url}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : undefined;
}
