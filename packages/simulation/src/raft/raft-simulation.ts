/**
 * A deterministic simulation of a KRaft quorum in the shape of Kafka's RaftEventSimulationTest: N voters and M
 * observers, each the Raft replica statechart over its own durable quorum-state and MemoryLog, on one simulated
 * clock, talking through a RaftNetwork whose delays, losses and duplicates come from one seeded random (as do the
 * replicas' election-timer jitter). Time moves one event at a time (a timer of a replica, a message delivery, a
 * write) and every invariant is checked after each one; the first violation stops the run with the seed, the time
 * and the last events.
 *
 * ```ts
 * const sim = new RaftSimulation({ seed: 7, voters: 3 });
 * sim.startAll();
 * sim.startWriter();
 * sim.runUntil(() => sim.leader() !== undefined, 10_000, 'a leader is elected');
 * sim.kill(sim.leader()!.id);
 * sim.runUntil(() => sim.committedWritesSince(mark) > 0, 20_000, 'progress after the kill');
 * sim.validate(); // ConsistentCommittedData over every node's whole committed prefix
 * ```
 */
import { createSeededRandom, fork, SimulatedClock, type Random } from '@kactor/runtime';
import { batchOf } from '../records.js';
import { RaftInvariants, type RaftViolation } from './raft-checkers.js';
import { DEFAULT_RAFT_NETWORK, RaftNetwork, type RaftNetworkOptions } from './raft-network.js';
import { RaftRouter } from './raft-router.js';
import { RaftSimNode } from './raft-sim-node.js';

export interface RaftSimulationOptions {
  readonly seed: number;
  /** Voters 0..voters-1 (1 to 5 in the scenarios). */
  readonly voters: number;
  /** Observers after the voters' ids. */
  readonly observers?: number;
  readonly network?: Partial<RaftNetworkOptions>;
  /** controller.quorum.election.timeout.ms (Kafka's default 1000). */
  readonly electionTimeoutMs?: number;
  /** controller.quorum.fetch.timeout.ms (Kafka's default 2000). */
  readonly fetchTimeoutMs?: number;
  /** controller.quorum.election.backoff.max.ms (Kafka's default 1000). */
  readonly electionBackoffMaxMs?: number;
  /** controller.quorum.retry.backoff.ms (Kafka's default 20). */
  readonly retryBackoffMs?: number;
  /** Mean time between the writer's appends. */
  readonly writeIntervalMs?: number;
  /** controller.quorum.request.timeout.ms (Kafka's default 2000): an unanswered request fails back after it. */
  readonly requestTimeoutMs?: number;
  /** How many of the last events a failure lists (default 40). */
  readonly traceLength?: number;
}

/** An invariant broken, or a liveness bound passed: says what, when, and the events before it. */
export class RaftSimulationError extends Error {
  override readonly name = 'RaftSimulationError';
}

const TRACE_LENGTH_DEFAULT = 40;

export class RaftSimulation {
  readonly clock = new SimulatedClock();
  readonly nodes: readonly RaftSimNode[];
  readonly network: RaftNetwork;
  readonly invariants = new RaftInvariants();
  readonly router: RaftRouter;
  /** Events handled so far (each followed by an invariant check). */
  events = 0;
  private readonly random: Random;
  private readonly trace: string[] = [];
  private writes = 0;
  private readonly writeIntervalMs: number;
  private writerRunning = false;
  private snapshotterRunning = false;

  constructor(readonly options: RaftSimulationOptions) {
    this.random = createSeededRandom(options.seed);
    this.network = new RaftNetwork(this.clock, fork(this.random, 'network'), { ...DEFAULT_RAFT_NETWORK, ...options.network });
    const voterIds = Array.from({ length: options.voters }, (_, index) => index);
    const settings = {
      voterIds,
      clusterId: 'raft-simulation',
      electionTimeoutMs: options.electionTimeoutMs ?? 1000,
      fetchTimeoutMs: options.fetchTimeoutMs ?? 2000,
      electionBackoffMaxMs: options.electionBackoffMaxMs ?? 1000,
      retryBackoffMs: options.retryBackoffMs ?? 20,
    };
    this.writeIntervalMs = options.writeIntervalMs ?? 100;
    this.nodes = Array.from({ length: options.voters + (options.observers ?? 0) }, (_, id) => new RaftSimNode(id, this.clock, settings));
    this.router = new RaftRouter(this.clock, this.network, this.nodes, { requestTimeoutMs: options.requestTimeoutMs ?? 2000, note: (event) => this.note(event) });
  }

  get ids(): number[] {
    return this.nodes.map((node) => node.id);
  }

  get voterIds(): number[] {
    return this.nodes.filter((node) => node.voter).map((node) => node.id);
  }

  node(id: number): RaftSimNode {
    const node = this.nodes[id];
    if (node === undefined) throw new RangeError(`no node ${id}`);
    return node;
  }

  startAll(): void {
    for (const node of this.nodes) if (!node.running) this.start(node.id);
  }

  /** Starts (or restarts) a node's process over its disk. */
  start(id: number): void {
    const node = this.node(id);
    const random = fork(this.random, `node-${id}-${node.incarnation + 1}`);
    this.note(`start ${id}`);
    node.start((bound) => random.nextInt(bound), (actor) => {
      this.router.wire(node, actor);
      actor.on('raft.shutdown-complete', () => {
        node.shutdownComplete = true;
      });
    });
    this.check();
  }

  /** kill -9 with power loss: unflushed log data is gone. */
  kill(id: number): void {
    this.note(`kill ${id}`);
    this.node(id).kill();
    this.router.forget(id);
    this.check();
  }

  /**
   * A graceful shutdown (Kafka's RaftEventSimulationTest `shutdown`): `raft.shutdown`, then the process exits once the
   * replica says its EndQuorumEpoch went out, or after `timeoutMs` (Kafka's 500 ms); its log is closed cleanly.
   */
  shutdown(id: number, timeoutMs = 500): void {
    const node = this.node(id);
    this.note(`shutdown ${id}`);
    node.shutdownComplete = false;
    node.actor?.send({ type: 'raft.shutdown' });
    this.check();
    const deadline = this.clock.now() + timeoutMs;
    for (let due = this.clock.nextTimerAt(); !node.shutdownComplete && due !== undefined && due <= deadline; due = this.clock.nextTimerAt()) this.step();
    this.note(`stop ${id}${node.shutdownComplete ? '' : ' (shutdown timed out)'}`);
    node.stop();
    this.router.forget(id);
    this.check();
  }

  /** Graceful resignation of a leader (Kafka's shutdown path up to EndQuorumEpoch); the process keeps running. */
  resign(id: number): void {
    this.note(`resign ${id}`);
    this.node(id).actor?.send({ type: 'raft.resign' });
    this.check();
  }

  /** Appends records every writeIntervalMs (jittered) on whichever node leads, as the active controller would. */
  startWriter(): void {
    if (this.writerRunning) return;
    this.writerRunning = true;
    const tick = () => {
      if (!this.writerRunning) return;
      const leader = this.leader();
      if (leader !== undefined) {
        this.writes += 1;
        this.note(`write w${this.writes} at ${leader.id}`);
        leader.actor!.send({ type: 'raft.append', records: batchOf([`w${this.writes}`], this.clock.now()) });
      }
      this.clock.setTimeout(tick, 1 + this.random.nextInt(this.writeIntervalMs * 2));
    };
    this.clock.setTimeout(tick, this.writeIntervalMs);
  }

  stopWriter(): void {
    this.writerRunning = false;
  }

  /**
   * Every `intervalMs` (jittered) each running node snapshots its committed entries and moves its log start up to the
   * snapshot (KIP-630), so a node that falls behind must read a snapshot (FetchSnapshot) to catch up.
   */
  startSnapshotter(intervalMs: number): void {
    if (this.snapshotterRunning) return;
    this.snapshotterRunning = true;
    const tick = () => {
      if (!this.snapshotterRunning) return;
      for (const node of this.nodes) {
        if (!node.running) continue;
        const id = node.takeSnapshot();
        if (id !== undefined) this.note(`snapshot ${id.endOffset}-${id.epoch} at ${node.id}`);
      }
      this.check();
      this.clock.setTimeout(tick, 1 + this.random.nextInt(intervalMs * 2));
    };
    this.clock.setTimeout(tick, intervalMs);
  }

  stopSnapshotter(): void {
    this.snapshotterRunning = false;
  }

  /** How many writes the writer has attempted (a mark for `committedWritesSince`). */
  get writeCount(): number {
    return this.writes;
  }

  /**
   * Committed writes numbered above `mark` (committed as the invariant checker saw it). Write numbers grow along the
   * committed log (each write goes to the end of the current leader's log), so only its tail is read.
   */
  committedWritesSince(mark: number): number {
    const committed = this.invariants.consistentCommittedData.committedEntries();
    let count = 0;
    for (let offset = committed.length - 1; offset >= 0; offset -= 1) {
      const write = /:w(\d+)$/.exec(committed[offset]!);
      if (write === null) continue;
      if (Number(write[1]) <= mark) break;
      count += 1;
    }
    return count;
  }

  /** The running Leader of the highest epoch. */
  leader(): RaftSimNode | undefined {
    let leader: RaftSimNode | undefined;
    for (const node of this.nodes) if (node.stateName() === 'Leader' && (leader === undefined || node.epoch()! > leader.epoch()!)) leader = node;
    return leader;
  }

  /** Runs every event due in the next `durationMs`, checking the invariants after each. */
  runFor(durationMs: number): void {
    const target = this.clock.now() + durationMs;
    for (let due = this.clock.nextTimerAt(); due !== undefined && due <= target; due = this.clock.nextTimerAt()) this.step();
    this.clock.advanceTo(target);
  }

  /** Runs events until `condition` holds (checked after each), failing with `what` after `boundMs` of simulated time. */
  runUntil(condition: () => boolean, boundMs: number, what: string): void {
    const deadline = this.clock.now() + boundMs;
    while (!condition()) {
      const due = this.clock.nextTimerAt();
      if (due === undefined || due > deadline) this.fail(`liveness: ${what} did not happen within ${boundMs} ms`);
      this.step();
    }
  }

  /** The end-of-run validation: every running node's committed prefix against the committed data, from offset 0. */
  validate(): void {
    this.report(this.invariants.consistentCommittedData.validateAll(this.nodes.map((node) => node.view())));
  }

  /** One line per node, for failure messages. */
  describe(): string {
    return this.nodes
      .map((node) => `node ${node.id}${node.voter ? '' : ' (observer)'}: ${node.stateName() ?? 'killed'} epoch ${node.epoch() ?? '-'} hw ${node.highWatermark() ?? '-'} leo ${node.logEntries().length}`)
      .join('; ');
  }

  private step(): void {
    this.clock.runNext();
    this.events += 1;
    this.check();
  }

  private check(): void {
    for (const node of this.nodes) {
      const crash = node.crash();
      if (crash !== undefined) this.fail(`node ${node.id}'s replica crashed: ${crash instanceof Error ? (crash.stack ?? crash.message) : String(crash)}`);
    }
    this.report(this.invariants.check(this.nodes.map((node) => node.view())));
  }

  private report(violations: readonly RaftViolation[]): void {
    if (violations.length > 0) this.fail(violations.map((violation) => `${violation.invariant}: ${violation.detail}`).join('\n'));
  }

  private fail(message: string): never {
    throw new RaftSimulationError(`${message}\nat t=${this.clock.now()} ms after ${this.events} events; ${this.describe()}\nlast events:\n  ${this.trace.join('\n  ')}`);
  }

  private note(event: string): void {
    this.trace.push(`t=${this.clock.now()} ${event}`);
    if (this.trace.length > (this.options.traceLength ?? TRACE_LENGTH_DEFAULT)) this.trace.shift();
  }
}
