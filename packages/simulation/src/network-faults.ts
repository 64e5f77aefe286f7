/**
 * Faults on the simulated network, any number at a time, between any two nodes (host names): a node
 * isolated from everyone, a link cut, slowed or made lossy. The in-memory transport takes one link filter
 * and one latency function; this class is both, composing every fault in force, so faults can be added and
 * healed independently (a partition around broker 1 while the link 0-2 is slow).
 *
 * Links are symmetric: a fault between a and b applies to packets both ways. A lossy link drops each
 * packet with the given probability, drawn from the seeded random, so the same seed drops the same
 * packets. A dropped frame on a connection that stays open behaves as a stalled TCP stream does: the
 * request it carried is never answered and times out.
 *
 * A held host (holdHost) is a stopped process (SIGSTOP, a GC pause) whose connections stay open: what is sent to
 * it waits in its kernel's buffers, and what it sends leaves when it runs again. Every packet to or from it is
 * delayed until the hold ends; the transport keeps each connection FIFO, so the held packets arrive in the order
 * they were sent, at that instant, and nothing is lost.
 */
import type { LinkFilter, Random } from '@kactor/runtime';

const linkKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

export class NetworkFaults {
  private readonly isolated = new Set<string>();
  private readonly cut = new Set<string>();
  private readonly lossy = new Map<string, number>();
  private readonly slow = new Map<string, number>();
  /** Held hosts: the clock time until which packets to and from each wait. */
  private readonly held = new Map<string, number>();
  /** Held links: the clock time until which packets between the two ends wait. */
  private readonly heldLinks = new Map<string, number>();

  constructor(
    private readonly random: Random,
    /** One-way latency of every healthy link, in ms. */
    private readonly baseLatencyMs = 0,
    /** The network's clock, which holds count against (holdHost needs it). */
    private readonly clock?: { now(): number },
  ) {}

  /** Nothing reaches `host` and nothing leaves it; its connections stay open (a network partition). */
  isolate(host: string): void {
    this.isolated.add(host);
  }

  /** Ends `isolate(host)`; the faults on its links stay. */
  heal(host: string): void {
    this.isolated.delete(host);
  }

  isIsolated(host: string): boolean {
    return this.isolated.has(host);
  }

  /**
   * Packets to and from `host` wait until the clock reaches `untilMs` (a stopped process: its connections stay open,
   * nothing is read or sent until it runs again); then they arrive in the order they were sent.
   */
  holdHost(host: string, untilMs: number): void {
    if (this.clock === undefined) throw new Error('NetworkFaults.holdHost needs the network\'s clock (the constructor\'s third argument)');
    this.held.set(host, untilMs);
  }

  /** Ends `holdHost(host)` early: new packets travel at once (those already held still arrive in order, at its end). */
  releaseHost(host: string): void {
    this.held.delete(host);
  }

  /**
   * Packets between `a` and `b` wait until the clock reaches `untilMs`, then arrive in the order they were sent: a
   * partition of known length as TCP lives through it (the packets a firewall drops are retransmitted, and the
   * stream goes on once the link is back), where cutLink loses them as a stream that never recovers would.
   */
  holdLink(a: string, b: string, untilMs: number): void {
    if (this.clock === undefined) throw new Error('NetworkFaults.holdLink needs the network\'s clock (the constructor\'s third argument)');
    this.heldLinks.set(linkKey(a, b), untilMs);
  }

  /** Drops every packet between `a` and `b`. */
  cutLink(a: string, b: string): void {
    this.cut.add(linkKey(a, b));
  }

  /** Drops each packet between `a` and `b` with probability `dropProbability` (0 to 1). */
  lossyLink(a: string, b: string, dropProbability: number): void {
    if (!(dropProbability >= 0 && dropProbability <= 1)) throw new RangeError(`a drop probability is between 0 and 1, got ${dropProbability}`);
    this.lossy.set(linkKey(a, b), dropProbability);
  }

  /** Packets between `a` and `b` take `latencyMs` one way instead of the base latency. */
  slowLink(a: string, b: string, latencyMs: number): void {
    if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new RangeError(`a latency is a finite number >= 0, got ${latencyMs}`);
    this.slow.set(linkKey(a, b), latencyMs);
  }

  /** Removes every fault of the link between `a` and `b` (cut, lossy, slow). */
  healLink(a: string, b: string): void {
    const key = linkKey(a, b);
    this.cut.delete(key);
    this.lossy.delete(key);
    this.slow.delete(key);
    this.heldLinks.delete(key);
  }

  /** Removes every fault. */
  healAll(): void {
    this.isolated.clear();
    this.cut.clear();
    this.lossy.clear();
    this.slow.clear();
    this.held.clear();
    this.heldLinks.clear();
  }

  /** The transport's link filter (MemoryTransport.setLinkFilter). */
  readonly filter: LinkFilter = (fromHost, toHost) => {
    if (this.isolated.has(fromHost) || this.isolated.has(toHost)) return 'drop';
    // Every packet passes here: without a cut or lossy link there is no key to build.
    if (this.cut.size === 0 && this.lossy.size === 0) return 'deliver';
    const key = linkKey(fromHost, toHost);
    if (this.cut.has(key)) return 'drop';
    const dropProbability = this.lossy.get(key);
    if (dropProbability !== undefined && this.random.next() < dropProbability) return 'drop';
    return 'deliver';
  };

  /** The transport's latency function (MemoryTransportOptions.latencyMs). */
  readonly latencyMs = (fromHost: string, toHost: string): number => {
    const latencyMs = this.slow.size === 0 ? this.baseLatencyMs : (this.slow.get(linkKey(fromHost, toHost)) ?? this.baseLatencyMs);
    if ((this.held.size === 0 && this.heldLinks.size === 0) || this.clock === undefined) return latencyMs;
    const linkHeldUntilMs = this.heldLinks.size === 0 ? -Infinity : (this.heldLinks.get(linkKey(fromHost, toHost)) ?? -Infinity);
    const heldUntilMs = Math.max(this.held.get(fromHost) ?? -Infinity, this.held.get(toHost) ?? -Infinity, linkHeldUntilMs);
    return Math.max(latencyMs, heldUntilMs - this.clock.now());
  };
}
