import type { Principal } from './transport.js';

export interface ConnectionLimitOptions {
  /** max.connections: client connections open at once on the listener; undefined: no limit. */
  maxConnections?: number | undefined;
  /** max.connections.per.ip: client connections open at once from one address; undefined: no limit. */
  maxConnectionsPerIp?: number | undefined;
}

/** A slot taken by an admitted connection; `release` gives it back (again is harmless). */
export interface ConnectionSlot {
  release(): void;
}

export type Admission = { readonly admitted: true; readonly slot: ConnectionSlot } | { readonly admitted: false; readonly reason: string };

/**
 * Counts a listener's open client connections, in total and per peer address, and refuses one past
 * Kafka's `max.connections` or `max.connections.per.ip` (Kafka's SocketServer does the same when it
 * accepts). Cluster members are never counted nor refused: like Kafka's inter-broker listener, the control
 * plane must keep working while clients hold every slot. The reason names the limit, for the refused client.
 */
export class ConnectionLimiter {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly options: ConnectionLimitOptions) {
    for (const [name, value] of [
      ['max.connections', options.maxConnections],
      ['max.connections.per.ip', options.maxConnectionsPerIp],
    ] as const) {
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
        throw new RangeError(`${name} must be a whole number >= 0, got ${value}`);
      }
    }
  }

  get openClientConnections(): number {
    return this.total;
  }

  admit(address: string, principal: Principal): Admission {
    if (principal === 'cluster') return { admitted: true, slot: { release: () => undefined } };
    const { maxConnections, maxConnectionsPerIp } = this.options;
    if (maxConnections !== undefined && this.total >= maxConnections) {
      return { admitted: false, reason: `max.connections (${maxConnections}) reached: too many connections are open` };
    }
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (maxConnectionsPerIp !== undefined && fromAddress >= maxConnectionsPerIp) {
      return { admitted: false, reason: `max.connections.per.ip (${maxConnectionsPerIp}) reached for ${address}` };
    }
    this.total += 1;
    this.perAddress.set(address, fromAddress + 1);
    let released = false;
    return {
      admitted: true,
      slot: {
        release: () => {
          if (released) return;
          released = true;
          this.total -= 1;
          const left = (this.perAddress.get(address) ?? 1) - 1;
          if (left === 0) this.perAddress.delete(address);
          else this.perAddress.set(address, left);
        },
      },
    };
  }
}
