/**
 * What a Raft replica's host does with its messages, for the simulation (Kafka's RaftEventSimulationTest router plus
 * its NetworkClient/RequestManager): a `raft.send.*` message becomes the addressee's request or answer event, carried
 * by the RaftNetwork. Each request gets a correlation id; an answer carries the id of the request it answers; the
 * requester takes only the answer to its latest request of that kind to that node, once, so a duplicated or
 * superseded answer is dropped as over TCP (duplicated requests still reach the addressee twice). A request that gets
 * no answer within `controller.quorum.request.timeout.ms` (or whose addressee is down) fails back to the requester as
 * `raft.request.failed`.
 */
import type { SimulatedClock, TimerHandle } from '@kactor/runtime';
import type { RaftNetwork } from './raft-network.js';
import type { RaftReplicaActor, RaftSimNode } from './raft-sim-node.js';

type Emitted = Parameters<Parameters<RaftReplicaActor['on']>[1]>[0];
type Delivered = Parameters<RaftReplicaActor['send']>[0];
type RequestApi = 'vote' | 'beginQuorumEpoch' | 'endQuorumEpoch' | 'fetch' | 'fetchSnapshot';

const REQUEST_API: Partial<Record<Emitted['type'], RequestApi>> = {
  'raft.send.vote': 'vote',
  'raft.send.begin-quorum-epoch': 'beginQuorumEpoch',
  'raft.send.end-quorum-epoch': 'endQuorumEpoch',
  'raft.send.fetch': 'fetch',
  'raft.send.fetch-snapshot': 'fetchSnapshot',
};
const ANSWER_API: Partial<Record<Emitted['type'], RequestApi>> = {
  'raft.send.vote-answer': 'vote',
  'raft.send.begin-quorum-epoch-answer': 'beginQuorumEpoch',
  'raft.send.end-quorum-epoch-answer': 'endQuorumEpoch',
  'raft.send.fetch-answer': 'fetch',
  'raft.send.fetch-snapshot-answer': 'fetchSnapshot',
};

/** The event a replica's message becomes at its addressee. */
function deliveryOf(from: number, message: Emitted): Delivered | undefined {
  switch (message.type) {
    case 'raft.send.vote':
      return { type: 'raft.vote.request', from, request: message.request };
    case 'raft.send.vote-answer':
      return { type: 'raft.vote.response', response: { from, ...message.response } };
    case 'raft.send.begin-quorum-epoch':
      return { type: 'raft.begin-quorum-epoch.request', from, request: message.request };
    case 'raft.send.begin-quorum-epoch-answer':
      return { type: 'raft.begin-quorum-epoch.response', from, response: message.response };
    case 'raft.send.end-quorum-epoch':
      return { type: 'raft.end-quorum-epoch.request', from, request: message.request };
    case 'raft.send.end-quorum-epoch-answer':
      return { type: 'raft.end-quorum-epoch.response', from, response: message.response };
    case 'raft.send.fetch':
      return { type: 'raft.fetch.request', from, request: message.request };
    case 'raft.send.fetch-answer':
      return { type: 'raft.fetch.response', from, response: message.response };
    case 'raft.send.fetch-snapshot':
      return { type: 'raft.fetch-snapshot.request', from, request: message.request };
    case 'raft.send.fetch-snapshot-answer':
      return { type: 'raft.fetch-snapshot.response', from, response: message.response };
    default:
      return undefined;
  }
}

interface Connections {
  /** This node's requests awaiting an answer, by `addressee:api`, with their timeout. */
  readonly inFlight: Map<string, { readonly correlationId: number; readonly timeout: TimerHandle }>;
  /** Requests this node received and has not answered yet, by `requester:api`, oldest first. */
  readonly unanswered: Map<string, number[]>;
}

export interface RaftRouterOptions {
  /** controller.quorum.request.timeout.ms (Kafka's default 2000). */
  readonly requestTimeoutMs: number;
  /** Records one line of the trace a failure prints. */
  note(event: string): void;
}

export class RaftRouter {
  private nextCorrelationId = 0;
  private readonly connections = new Map<number, Connections>();
  /** The request being handled right now: the first answer of its kind to its requester answers it. */
  private handling: { readonly node: number; readonly key: string; readonly correlationId: number; answered: boolean } | undefined;
  /** Requests that failed back to their requester (timeout or addressee down). */
  failedRequests = 0;

  constructor(
    private readonly clock: SimulatedClock,
    private readonly network: RaftNetwork,
    private readonly nodes: readonly RaftSimNode[],
    private readonly options: RaftRouterOptions,
  ) {}

  /** A process stopped: its connections are gone (its pending timeouts fire into nothing). */
  forget(id: number): void {
    const connections = this.connections.get(id);
    if (connections !== undefined) for (const { timeout } of connections.inFlight.values()) this.clock.clearTimeout(timeout);
    this.connections.delete(id);
  }

  /** Routes a new process's emitted messages (call before it starts). */
  wire(node: RaftSimNode, actor: RaftReplicaActor): void {
    const from = node.id;
    const own: Connections = { inFlight: new Map(), unanswered: new Map() };
    this.connections.set(from, own);
    actor.on('*', (message) => {
      if (!('to' in message)) return;
      const target = this.nodes[message.to];
      const event = deliveryOf(from, message);
      if (target === undefined || event === undefined) return;
      const request = REQUEST_API[message.type];
      const answer = ANSWER_API[message.type];
      let correlationId: number | undefined;
      if (request !== undefined) {
        correlationId = this.sendRequest(node, own, message.to, request, target.running);
        if (!target.running) return;
      } else if (answer !== undefined) {
        correlationId = this.takeUnanswered(own, `${message.to}:${answer}`, this.handling?.node === from ? this.handling : undefined);
        if (correlationId === undefined || !target.running) return;
      }
      const incarnation = target.incarnation;
      this.network.send(from, message.to, () => {
        // A restarted process has new connections: what was sent to the old one is gone.
        const connections = this.connections.get(message.to);
        if (target.incarnation !== incarnation || target.actor === undefined || connections === undefined) return;
        if (request !== undefined) {
          const key = `${from}:${request}`;
          connections.unanswered.set(key, [...(connections.unanswered.get(key) ?? []), correlationId!]);
        } else if (answer !== undefined) {
          const key = `${from}:${answer}`;
          const waiting = connections.inFlight.get(key);
          if (waiting === undefined || waiting.correlationId !== correlationId) return;
          this.clock.clearTimeout(waiting.timeout);
          connections.inFlight.delete(key);
        }
        this.options.note(`deliver ${message.type} ${from}->${message.to}`);
        this.handling = request === undefined ? undefined : { node: message.to, key: `${from}:${request}`, correlationId: correlationId!, answered: false };
        try {
          target.actor.send(event);
        } finally {
          this.handling = undefined;
        }
      });
    });
  }

  /** Registers a request (superseding an earlier one of its kind to that node) and arms its timeout. */
  private sendRequest(node: RaftSimNode, own: Connections, to: number, api: RequestApi, addresseeUp: boolean): number {
    const key = `${to}:${api}`;
    const correlationId = (this.nextCorrelationId += 1);
    const earlier = own.inFlight.get(key);
    if (earlier !== undefined) this.clock.clearTimeout(earlier.timeout);
    const incarnation = node.incarnation;
    // A connection to a stopped process is refused at once (after a round trip); silence waits out the timeout.
    const timeoutMs = addresseeUp ? this.options.requestTimeoutMs : 1;
    const timeout = this.clock.setTimeout(() => {
      if (own.inFlight.get(key)?.correlationId !== correlationId) return;
      own.inFlight.delete(key);
      if (node.incarnation !== incarnation || node.actor === undefined) return;
      this.failedRequests += 1;
      this.options.note(`request failed ${api} ${node.id}->${to}`);
      node.actor.send({ type: 'raft.request.failed', to, api });
    }, timeoutMs);
    own.inFlight.set(key, { correlationId, timeout });
    return correlationId;
  }

  /**
   * The request an answer answers: the first answer of that kind to the requester while its request is being handled
   * answers that request (the replica answers what it was asked before anything else); any other answer (a held Fetch
   * completed later) answers the oldest request still unanswered.
   */
  private takeUnanswered(own: Connections, key: string, handling: RaftRouter['handling']): number | undefined {
    const waiting = own.unanswered.get(key) ?? [];
    if (handling !== undefined && handling.key === key && !handling.answered) {
      handling.answered = true;
      const index = waiting.lastIndexOf(handling.correlationId);
      if (index >= 0) waiting.splice(index, 1);
      return handling.correlationId;
    }
    return waiting.shift();
  }
}
