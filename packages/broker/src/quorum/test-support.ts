/**
 * A metadata quorum in one process for the host's tests: RaftReplicaHosts of voters and observers, each behind a
 * real RpcServer and RpcClientPool on runtime's in-memory transport, with MemoryLogs and memory `quorum-state`
 * stores, all on one SimulatedClock (deterministic by seed). A halted node keeps its log and quorum-state, as a
 * process killed with kill -9 keeps its disk, and can be started again.
 */
import { parseConfig, topicDefaults, wireError, type ApiName, type BrokerConfig, type RequestBody } from '@kactor/protocol';
import { createLogger, createSeededRandom, fork, MemoryTransport, RpcClientPool, RpcServer, SimulatedClock, waitForSimulated, type RpcResult } from '@kactor/runtime';
import { MemoryLogStore, MemoryQuorumStateStore, MemorySnapshotStore, type PartitionLog, type SnapshotId } from '@kactor/storage';
import { METADATA_TOPIC, METADATA_TOPIC_ID } from '../controller/metadata-log.js';
import { RaftReplicaHost, type CommittedMetadata, type LeaderChange, type ReplicaProgress } from './raft-replica-host.js';

export const CLUSTER_ID = 'quorum-host-test';
const CLUSTER_SECRET = 'quorum-host-test-secret';
const PORT = 9100;
const hostName = (id: number): string => `node-${id}`;
export const urlOf = (id: number): string => `memory://${hostName(id)}:${PORT}`;

export interface QuorumTestNode {
  readonly id: number;
  readonly host: RaftReplicaHost;
  readonly committed: CommittedMetadata[];
  readonly leaderChanges: LeaderChange[];
  readonly progress: ReplicaProgress[];
  /** Snapshots fetched from the leader that replaced this node's log (KIP-630). */
  readonly installed: SnapshotId[];
  readonly fatal: unknown[];
  readonly server: RpcServer;
  readonly peers: RpcClientPool;
}

export class QuorumTestCluster {
  readonly clock = new SimulatedClock();
  readonly network = new MemoryTransport({ clock: this.clock, latencyMs: 1 });
  readonly config: BrokerConfig;
  readonly voters: ReadonlyArray<{ id: number; url: string }>;
  private readonly random;
  private readonly logger = createLogger({ clock: this.clock });
  private readonly logs = new Map<number, PartitionLog>();
  private readonly stores = new Map<number, MemoryQuorumStateStore>();
  private readonly snapshotStores = new Map<number, MemorySnapshotStore>();
  private readonly running = new Map<number, QuorumTestNode>();
  private starts = 0;

  constructor(
    voterIds: readonly number[],
    seed: number | string = 1,
    private readonly hostOptions: { readonly maxFetchBytes?: number } = {},
  ) {
    this.random = createSeededRandom(seed);
    this.voters = voterIds.map((id) => ({ id, url: urlOf(id) }));
    this.config = parseConfig('broker', { 'node.id': '0', 'process.roles': 'broker' });
  }

  node(id: number): QuorumTestNode {
    const node = this.running.get(id);
    if (node === undefined) throw new Error(`node ${id} is not running`);
    return node;
  }

  get nodes(): QuorumTestNode[] {
    return [...this.running.values()];
  }

  logOf(id: number): PartitionLog {
    let log = this.logs.get(id);
    if (log === undefined) {
      const topicConfig = parseConfig('topic', {}, { defaults: topicDefaults(this.config) });
      log = new MemoryLogStore({ clock: this.clock }).open(METADATA_TOPIC, 0, METADATA_TOPIC_ID, topicConfig);
      this.logs.set(id, log);
    }
    return log;
  }

  /** The snapshots beside a node's log (its disk: kept across halts). */
  snapshotsOf(id: number): MemorySnapshotStore {
    let store = this.snapshotStores.get(id);
    if (store === undefined) {
      store = new MemorySnapshotStore();
      this.snapshotStores.set(id, store);
    }
    return store;
  }

  async start(id: number): Promise<QuorumTestNode> {
    const transport = this.network.forHost(hostName(id));
    const logger = this.logger.child({ node: id });
    const quorumState = this.stores.get(id) ?? new MemoryQuorumStateStore();
    this.stores.set(id, quorumState);
    const holder: { host?: RaftReplicaHost } = {};
    const server = new RpcServer({
      transport,
      logger,
      maxRequestBytes: this.config.socketRequestMaxBytes,
      maxQueuedRequestsPerConnection: this.config.queuedMaxRequests,
      onRequest: (request) => {
        if (holder.host?.handles(request.api, request.body) === true) holder.host.handle(request);
        else server.respondError(request.ref, wireError('INVALID_REQUEST', `${request.api} is not served here`));
      },
    });
    const listener = await server.listen({ host: hostName(id), port: PORT, clusterSecret: CLUSTER_SECRET });
    if (listener.url !== urlOf(id)) throw new Error(`node ${id} listens at ${listener.url}, not ${urlOf(id)}`);
    const peers = new RpcClientPool({
      transport,
      clock: this.clock,
      random: fork(this.random, `peers-${id}-${this.starts}`),
      logger,
      secret: CLUSTER_SECRET,
      requestTimeoutMs: this.config.requestTimeoutMs,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1_000,
      maxInFlightRequests: 5,
      maxQueuedRequests: 1_000,
      maxResponseBytes: this.config.socketRequestMaxBytes * 2,
    });
    const committed: CommittedMetadata[] = [];
    const leaderChanges: LeaderChange[] = [];
    const progress: ReplicaProgress[] = [];
    const fatal: unknown[] = [];
    const installed: SnapshotId[] = [];
    const host = new RaftReplicaHost({
      nodeId: id,
      clusterId: CLUSTER_ID,
      voters: this.voters,
      config: this.config,
      log: this.logOf(id),
      snapshots: this.snapshotsOf(id),
      quorumState,
      clock: this.clock,
      random: fork(this.random, `raft-${id}-${this.starts}`),
      logger,
      peers,
      responder: server,
      maxFetchBytes: this.hostOptions.maxFetchBytes,
      onCommitted: (batch) => committed.push(batch),
      onSnapshotInstalled: (snapshotId) => installed.push(snapshotId),
      onLeaderChanged: (change) => leaderChanges.push(change),
      onReplicaProgress: (reported) => progress.push(reported),
      onFatalError: (error) => fatal.push(error),
    });
    holder.host = host;
    this.starts += 1;
    const node: QuorumTestNode = { id, host, committed, leaderChanges, progress, installed, fatal, server, peers };
    this.running.set(id, node);
    host.start();
    return node;
  }

  /** kill -9: the replica stops, its connections reset and its port closes; its log and quorum-state stay. */
  halt(id: number): void {
    const node = this.node(id);
    this.running.delete(id);
    node.host.halt();
    node.peers.close();
    void node.server.close();
    this.network.disconnect(hostName(id));
  }

  /** The node every running node agrees leads (it says it leads, and the others name it). */
  agreedLeader(): number | undefined {
    const leaders = this.nodes.filter((node) => node.host.leader().leaderId === node.id);
    if (leaders.length !== 1) return undefined;
    const leader = leaders[0]!;
    const epoch = leader.host.leader().epoch;
    return this.nodes.every((node) => node.host.leader().leaderId === leader.id && node.host.leader().epoch === epoch) ? leader.id : undefined;
  }

  async until(condition: () => boolean, description: string, maxVirtualMs = 30_000): Promise<void> {
    await waitForSimulated(this.clock, condition, description, maxVirtualMs);
  }

  /** One request from outside the quorum, as a cluster member (`asCluster`) or as a plain client. */
  async request<A extends ApiName>(to: number, api: A, body: RequestBody<A>, asCluster = true): Promise<RpcResult<A>> {
    const pool = asCluster ? (this.memberClient ??= this.client(CLUSTER_SECRET)) : (this.plainClient ??= this.client(undefined));
    let result: RpcResult<A> | undefined;
    pool.request(urlOf(to), api, body, (answer) => (result = answer));
    await this.until(() => result !== undefined, `an answer to ${api} from node ${to}`);
    return result!;
  }

  close(): void {
    for (const id of [...this.running.keys()]) this.halt(id);
    this.memberClient?.close();
    this.plainClient?.close();
  }

  private memberClient: RpcClientPool | undefined;
  private plainClient: RpcClientPool | undefined;

  private client(secret: string | undefined): RpcClientPool {
    return new RpcClientPool({
      transport: this.network.forHost(secret === undefined ? 'test-client' : 'test-member'),
      clock: this.clock,
      random: fork(this.random, `client-${secret ?? 'plain'}`),
      logger: this.logger,
      secret,
      requestTimeoutMs: this.config.requestTimeoutMs,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1_000,
      maxInFlightRequests: 5,
      maxQueuedRequests: 100,
      maxResponseBytes: this.config.socketRequestMaxBytes * 2,
    });
  }
}
