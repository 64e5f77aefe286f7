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
import { RaftSimNode, type RaftReplicaActor } from './raft-sim-node.js';

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
  /** Events handled so far (each followed by an invariant check). */
  events = 0;
  private readonly random: Random;
  private readonly trace: string[] = [];
  private writes = 0;
  private readonly writeIntervalMs: number;
  private writerRunning = false;
  private nextCorrelationId = 0;
  /** The request being delivered right now (answers emitted while the addressee handles it answer it). */
  private handling: { readonly node: number; readonly key: string; readonly correlationId: number; answered: boolean } | undefined;
  /** Per running node: its requests awaiting an answer (by addressee and API) and the requests it has not answered. */
  private readonly connections = new Map<number, { inFlight: Map<string, number>; unanswered: Map<string, number[]> }>();

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
    node.start((bound) => random.nextInt(bound), (actor) => this.wire(node, actor));
    this.check();
  }

  /** kill -9 with power loss: unflushed log data is gone. */
  kill(id: number): void {
    this.note(`kill ${id}`);
    this.node(id).kill();
    this.connections.delete(id);
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

  /**
   * Routes a replica's emitted messages to their addressee through the network, as a host would: each request gets
   * a correlation id, the addressee's answer carries the id of the oldest request of that kind it has not answered,
   * and the requester takes only the answer to its latest request of that kind to that node, once (Kafka's
   * RequestManager and correlation ids). So a duplicated or superseded answer is dropped, as over TCP, while
   * duplicated requests still reach the addressee twice.
   */
  private wire(node: RaftSimNode, actor: RaftReplicaActor): void {
    const from = node.id;
    const inFlight = new Map<string, number>();
    const unanswered = new Map<string, number[]>();
    this.connections.set(from, { inFlight, unanswered });
    actor.on('*', (message) => {
      if (!('to' in message)) return;
      const target = this.nodes[message.to];
      const event = deliveryOf(from, message);
      if (target === undefined || event === undefined || !target.running) return;
      const incarnation = target.incarnation;
      const request = REQUEST_API[message.type];
      const answer = ANSWER_API[message.type];
      let correlationId: number | undefined;
      if (request !== undefined) {
        correlationId = (this.nextCorrelationId += 1);
        inFlight.set(`${message.to}:${request}`, correlationId);
      } else if (answer !== undefined) {
        correlationId = this.takeUnanswered(unanswered, `${message.to}:${answer}`, this.handling?.node === from ? this.handling : undefined);
        if (correlationId === undefined) return;
      }
      this.network.send(from, message.to, () => {
        // A restarted process has new connections: what was sent to the old one is gone.
        const connections = this.connections.get(message.to);
        if (target.incarnation !== incarnation || target.actor === undefined || connections === undefined) return;
        if (request !== undefined) {
          const key = `${from}:${request}`;
          connections.unanswered.set(key, [...(connections.unanswered.get(key) ?? []), correlationId!]);
        } else if (answer !== undefined) {
          const key = `${from}:${answer}`;
          if (connections.inFlight.get(key) !== correlationId) return;
          connections.inFlight.delete(key);
        }
        this.note(`deliver ${message.type} ${from}->${message.to}`);
        this.handling = request === undefined ? undefined : { node: message.to, key: `${from}:${request}`, correlationId: correlationId!, answered: false };
        try {
          target.actor.send(event);
        } finally {
          this.handling = undefined;
        }
      });
    });
  }

  /**
   * The request an answer answers: the first answer of that kind to the requester while its request is being handled
   * answers that request (the replica answers what it was asked before anything else); any other answer (a held Fetch
   * completed later) answers the oldest request still unanswered.
   */
  private takeUnanswered(unanswered: Map<string, number[]>, key: string, handling: RaftSimulation['handling']): number | undefined {
    const waiting = unanswered.get(key) ?? [];
    if (handling !== undefined && handling.key === key && !handling.answered) {
      handling.answered = true;
      const index = waiting.lastIndexOf(handling.correlationId);
      if (index >= 0) waiting.splice(index, 1);
      return handling.correlationId;
    }
    return waiting.shift();
  }
}

const REQUEST_API: Partial<Record<string, string>> = {
  'raft.send.vote': 'vote',
  'raft.send.begin-quorum-epoch': 'beginQuorumEpoch',
  'raft.send.end-quorum-epoch': 'endQuorumEpoch',
  'raft.send.fetch': 'fetch',
};
const ANSWER_API: Partial<Record<string, string>> = {
  'raft.send.vote-answer': 'vote',
  'raft.send.begin-quorum-epoch-answer': 'beginQuorumEpoch',
  'raft.send.end-quorum-epoch-answer': 'endQuorumEpoch',
  'raft.send.fetch-answer': 'fetch',
};

type Emitted = Parameters<Parameters<RaftReplicaActor['on']>[1]>[0];
type Delivered = Parameters<RaftReplicaActor['send']>[0];

/** The event a replica's message becomes at its addressee (what a host does with a request or an answer). */
function deliveryOf(from: number, message: Emitted): Delivered | undefined {
  switch (message.type) {
    case 'raft.send.vote':
      return { type: 'raft.vote.request', from, request: message.request };
    case 'raft.send.vote-answer':
      return { type: 'raft.vote.response', response: { from, ...message.response } };
    case 'raft.send.begin-quorum-epoch':
      return { type: 'raft.begin-quorum-epoch.request', from, request: message.request };
    case 'raft.send.end-quorum-epoch':
      return { type: 'raft.end-quorum-epoch.request', from, request: message.request };
    case 'raft.send.end-quorum-epoch-answer':
      return { type: 'raft.end-quorum-epoch.response', from, response: message.response };
    case 'raft.send.fetch':
      return { type: 'raft.fetch.request', from, request: message.request };
    case 'raft.send.fetch-answer':
      return { type: 'raft.fetch.response', from, response: message.response };
    default:
      // BeginQuorumEpoch answers: the replica takes the voter's next Fetch as its acknowledgement.
      return undefined;
  }
}
