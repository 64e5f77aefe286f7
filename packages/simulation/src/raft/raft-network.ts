/**
 * The message router of a Raft simulation (Kafka's RaftEventSimulationTest `MessageRouter` with its network
 * filters): every message is delivered after a random delay, may be lost or duplicated, all drawn from one seeded
 * random, and is dropped when a filter blocks its direction at send or at delivery time. Filters are one-way, so a
 * partition can be asymmetric (`DropOutboundRequestsTo`): A hears B while B never hears A.
 */
import type { Random, SimulatedClock } from '@kactor/runtime';

export interface RaftNetworkOptions {
  /** One-way delay drawn uniformly in [minDelayMs, maxDelayMs]. */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Each message is lost with this probability (0 to 1). */
  readonly dropProbability: number;
  /** Each delivered message is delivered twice with this probability (0 to 1), the copy with its own delay. */
  readonly duplicateProbability: number;
}

export const DEFAULT_RAFT_NETWORK: RaftNetworkOptions = { minDelayMs: 1, maxDelayMs: 10, dropProbability: 0, duplicateProbability: 0 };

const directionKey = (from: number, to: number): string => `${from}>${to}`;

export class RaftNetwork {
  private readonly blocked = new Set<string>();
  private options: RaftNetworkOptions;
  /** Messages sent, lost (randomly or by a filter) and duplicated: a scenario can show its faults happened. */
  readonly counts = { sent: 0, lost: 0, blocked: 0, duplicated: 0 };

  constructor(
    private readonly clock: SimulatedClock,
    private readonly random: Random,
    options: RaftNetworkOptions = DEFAULT_RAFT_NETWORK,
  ) {
    this.options = options;
  }

  /** Changes delay, loss and duplication from now on (a scenario calms the network before its liveness check). */
  configure(options: Partial<RaftNetworkOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** Nothing sent by `from` reaches `to` (the other direction is untouched). */
  blockOneWay(from: number, to: number): void {
    this.blocked.add(directionKey(from, to));
  }

  /** No message between `a` and `b`, either way. */
  cut(a: number, b: number): void {
    this.blockOneWay(a, b);
    this.blockOneWay(b, a);
  }

  /** Nothing reaches `id` and nothing leaves it (Kafka's DropAllTraffic). */
  isolate(id: number, everyone: readonly number[]): void {
    for (const other of everyone) if (other !== id) this.cut(id, other);
  }

  /** Nodes talk only within their own group. */
  partition(groups: readonly (readonly number[])[]): void {
    for (const [index, group] of groups.entries()) {
      for (const other of groups.slice(index + 1)) for (const a of group) for (const b of other) this.cut(a, b);
    }
  }

  /** Every filter removed (Kafka's PermitAllTraffic); loss and duplication stay as configured. */
  healAll(): void {
    this.blocked.clear();
  }

  isBlocked(from: number, to: number): boolean {
    return this.blocked.has(directionKey(from, to));
  }

  /** Sends one message: `deliver` runs later (maybe twice, maybe never). */
  send(from: number, to: number, deliver: () => void): void {
    this.counts.sent += 1;
    if (this.isBlocked(from, to)) {
      this.counts.blocked += 1;
      return;
    }
    if (this.random.next() < this.options.dropProbability) {
      this.counts.lost += 1;
      return;
    }
    const copies = this.random.next() < this.options.duplicateProbability ? 2 : 1;
    if (copies === 2) this.counts.duplicated += 1;
    for (let copy = 0; copy < copies; copy += 1) {
      this.clock.setTimeout(() => {
        // A partition that started while the message was on its way stops it too.
        if (this.isBlocked(from, to)) this.counts.blocked += 1;
        else deliver();
      }, this.delayMs());
    }
  }

  private delayMs(): number {
    const { minDelayMs, maxDelayMs } = this.options;
    return minDelayMs + this.random.nextInt(maxDelayMs - minDelayMs + 1);
  }
}
