/**
 * A whole kactor cluster in one process: every broker node runs its real actors on one SimulatedClock, talks
 * over the in-memory transport and keeps its logs in memory. Deterministic by seed: the same seed gives the
 * same run. Used by the machine tests of the broker, controller and partition actors.
 *
 * Each broker runs on its own ProcessClock over the shared clock, so a killed broker's timers never fire
 * again. The controller is any broker (`controllerId`), the bootstrap servers are every broker, and
 * `faults` holds any number of network faults between any two nodes at once.
 */
import { MemoryMetaPropertiesStore, startBrokerNode, type BrokerNode, type MetaPropertiesStore } from '@kactor/broker';
import type { ApiName, RequestBody, ResponseBody } from '@kactor/protocol';
import { parseConfig } from '@kactor/protocol';
import {
  createIdGenerator,
  createLogger,
  createSeededRandom,
  fork,
  MemoryTransport,
  RpcClient,
  SimulatedClock,
  waitForSimulated,
  type RpcResult,
} from '@kactor/runtime';
import { NetworkFaults } from './network-faults.js';
import { ProcessClock } from './process-clock.js';
import { MemoryLogStore, MemoryQuorumStateStore, type MemoryLog } from '@kactor/storage';
import type { InspectionEvent } from 'xstate';

export interface SimulatedClusterOptions {
  /** How many brokers (ids 0..brokers-1); default 3. */
  brokers?: number;
  /** The broker that also runs the controller; default 0. Ignored with `controllers`. */
  controllerId?: number;
  /**
   * KRaft mode (issue 12): brokers 0..controllers-1 are the metadata quorum's voters (`controller.quorum.voters`), each
   * also a controller, and the others observe. Omitted: one controller on broker `controllerId`, as before.
   */
  controllers?: number;
  seed?: number | string;
  /** One-way latency of every healthy link, in ms; default 0. */
  latencyMs?: number;
  /** Broker config overrides, Kafka names. */
  brokerConfig?: Record<string, string>;
  /** XState's inspect option for every broker's actors (BrokerNodeOptions.inspect); default none. */
  inspect?: ((event: InspectionEvent) => void) | undefined;
}

interface NodeSlot {
  brokerId: number;
  logStore: MemoryLogStore;
  metaProperties: MetaPropertiesStore;
  /** The node's `quorum-state` file (KRaft mode): kept across kills and restarts, like its disk. */
  quorumState: MemoryQuorumStateStore;
  node: BrokerNode | undefined;
  /** The running process's clock; halted when the broker is killed or stopped. */
  processClock: ProcessClock | undefined;
}

const brokerPort = 9100;
export const brokerHost = (brokerId: number): string => `broker-${brokerId}`;
const brokerUrl = (brokerId: number): string => `memory://${brokerHost(brokerId)}:${brokerPort}`;

/** The controller's URL when it runs on broker 0 (the default); `SimulatedCluster.controllerUrl` in general. */
export const controllerUrl = brokerUrl(0);
/** The cluster id every node of a KRaft simulated cluster is formatted with. */
const simulatedClusterId = 'simulated-kraft-cluster';
/** The cluster credential of every simulated node (test clients do not present it). */
export const simulatedClusterSecret = 'simulated-cluster-secret';

export class SimulatedCluster {
  readonly clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  readonly faults: NetworkFaults;
  readonly network: MemoryTransport;
  readonly controllerId: number;
  /** KRaft mode: the metadata quorum's voters (empty with a single controller). */
  readonly voterIds: readonly number[];
  private readonly random;
  private readonly slots: NodeSlot[] = [];
  private readonly logger = createLogger({ clock: this.clock });
  private restarts = 0;
  private readonly isolatedByPause = new Set<number>();

  constructor(private readonly options: SimulatedClusterOptions = {}) {
    this.random = createSeededRandom(options.seed ?? 1);
    this.faults = new NetworkFaults(fork(this.random, 'network-faults'), options.latencyMs ?? 0, this.clock);
    this.network = new MemoryTransport({ clock: this.clock, latencyMs: this.faults.latencyMs });
    this.network.setLinkFilter(this.faults.filter);
    const brokers = options.brokers ?? 3;
    if (options.controllers !== undefined && !(Number.isInteger(options.controllers) && options.controllers >= 1 && options.controllers <= brokers)) {
      throw new RangeError(`controllers must be 1..${brokers} (one voter per broker at most), got ${options.controllers}`);
    }
    this.voterIds = Array.from({ length: options.controllers ?? 0 }, (_, id) => id);
    this.controllerId = options.controllerId ?? 0;
    if (!Number.isInteger(this.controllerId) || this.controllerId < 0 || this.controllerId >= brokers) {
      throw new RangeError(`controllerId ${this.controllerId} is not one of the ${brokers} brokers`);
    }
    for (let brokerId = 0; brokerId < brokers; brokerId += 1) {
      this.slots.push({
        brokerId,
        logStore: new MemoryLogStore({ clock: this.clock }),
        metaProperties: new MemoryMetaPropertiesStore(),
        quorumState: new MemoryQuorumStateStore(),
        node: undefined,
        processClock: undefined,
      });
    }
  }

  node(brokerId: number): BrokerNode {
    const node = this.slots[brokerId]?.node;
    if (node === undefined) throw new Error(`broker ${brokerId} is not running`);
    return node;
  }

  /** The controller's URL: broker `controllerId`, or in KRaft mode the quorum leader a running node knows (broker 0 while none). */
  get controllerUrl(): string {
    return brokerUrl(this.voterIds.length === 0 ? this.controllerId : (this.quorumLeader() ?? 0));
  }

  /** The broker running the active controller: `controllerId` while it runs, or in KRaft mode the quorum leader; undefined when none. */
  activeControllerId(): number | undefined {
    if (this.voterIds.length > 0) return this.quorumLeader();
    return this.isRunning(this.controllerId) ? this.controllerId : undefined;
  }

  /** KRaft mode: the leader of the metadata quorum that a majority of the running voters agree on, if any. */
  quorumLeader(): number | undefined {
    const named = this.nodes.flatMap((node) => {
      const leader = node.metadataQuorum?.leader();
      return leader?.leaderId === undefined ? [] : [`${leader.epoch}:${leader.leaderId}`];
    });
    const counts = new Map<string, number>();
    for (const key of named) counts.set(key, (counts.get(key) ?? 0) + 1);
    const agreed = [...counts].find(([key, count]) => count > this.voterIds.length / 2 && this.isRunning(Number(key.split(':')[1])));
    return agreed === undefined ? undefined : Number(agreed[0].split(':')[1]);
  }

  /** Every broker, as a client's `bootstrap.servers`. */
  get bootstrapServers(): string {
    return this.slots.map((slot) => `${brokerHost(slot.brokerId)}:${brokerPort}`).join(',');
  }

  /** The broker ids, running or not. */
  get brokerIds(): number[] {
    return this.slots.map((slot) => slot.brokerId);
  }

  /** Whether broker `brokerId` is running. */
  isRunning(brokerId: number): boolean {
    return this.slots[brokerId]?.node !== undefined;
  }

  /** The broker's log store (its disk): what it holds survives kills and restarts. */
  logStore(brokerId: number): MemoryLogStore {
    const slot = this.slots[brokerId];
    if (slot === undefined) throw new Error(`no broker ${brokerId}`);
    return slot.logStore;
  }

  /** Every broker's copy of a partition (from its disk, running or not), for `findReplicaDivergence`. */
  replicaLogs(topic: string, partition: number): Array<{ brokerId: number; log: MemoryLog }> {
    return this.slots.flatMap((slot) => {
      const log = slot.logStore.get(topic, partition);
      return log === undefined ? [] : [{ brokerId: slot.brokerId, log }];
    });
  }

  get nodes(): BrokerNode[] {
    return this.slots.flatMap((slot) => (slot.node === undefined ? [] : [slot.node]));
  }

  async start(brokerId: number): Promise<BrokerNode> {
    const slot = this.slots[brokerId];
    if (slot === undefined) throw new Error(`no broker ${brokerId}`);
    this.restarts += 1;
    if (slot.node !== undefined) throw new Error(`broker ${brokerId} is already running`);
    const kraft = this.voterIds.length > 0;
    const isController = kraft ? this.voterIds.includes(brokerId) : brokerId === this.controllerId;
    const roles = isController ? (['broker', 'controller'] as const) : (['broker'] as const);
    const quorumConfig = kraft ? { 'controller.quorum.voters': this.voterIds.map((id) => `${id}@${brokerHost(id)}:${brokerPort}`).join(',') } : {};
    const config = parseConfig('broker', { 'node.id': String(brokerId), 'process.roles': roles.join(','), ...quorumConfig, ...this.options.brokerConfig });
    const host = brokerHost(brokerId);
    const processClock = new ProcessClock(this.clock);
    const node = await startBrokerNode({
      brokerId,
      host,
      port: brokerPort,
      processRoles: roles,
      controllerUrl: kraft ? undefined : this.controllerUrl,
      ...(kraft ? { clusterId: simulatedClusterId, quorumStateStore: slot.quorumState } : {}),
      config,
      logStore: slot.logStore,
      metaProperties: slot.metaProperties,
      logDir: `memory://${host}`,
      clock: processClock,
      random: fork(this.random, `${host}-${this.restarts}`),
      ids: createIdGenerator(fork(this.random, `${host}-ids-${this.restarts}`)),
      transport: this.network.forHost(host),
      logger: this.logger.child({ node: brokerId }),
      // Every node of the cluster shares one cluster credential, as `cluster up` gives its brokers.
      clusterSecret: simulatedClusterSecret,
      inspect: this.options.inspect,
    });
    slot.node = node;
    slot.processClock = processClock;
    return node;
  }

  async startAll(): Promise<void> {
    for (const slot of this.slots) await this.start(slot.brokerId);
    await this.until(() => this.nodes.every((node) => node.brokerState() === 'RUNNING'), 'every broker RUNNING');
  }

  /** Controlled shutdown of one broker, keeping its logs for a restart. */
  async shutdown(brokerId: number): Promise<void> {
    const slot = this.slots[brokerId];
    const node = slot?.node;
    if (slot === undefined || node === undefined) return;
    const done = node.shutdown();
    await this.until(() => node.brokerState() === 'NOT_RUNNING', `broker ${brokerId} stopped`);
    await done;
    if (this.isolatedByPause.delete(brokerId)) this.faults.heal(brokerHost(brokerId));
    slot.processClock?.halt();
    slot.processClock = undefined;
    // The process exits: the OS resets whatever connections it still has, as for a kill. A peer cut off from it
    // meanwhile would otherwise keep a half-open connection to an address the next incarnation listens on again.
    this.network.disconnect(brokerHost(brokerId));
    slot.node = undefined;
    slot.logStore = slot.logStore.reopen();
  }

  /** Kills a broker without telling anyone (kill -9): unflushed data may be lost on restart. */
  async kill(brokerId: number, options: { loseUnflushedData?: boolean } = {}): Promise<void> {
    const slot = this.slots[brokerId];
    if (slot?.node === undefined) return;
    if (this.isolatedByPause.delete(brokerId)) this.faults.heal(brokerHost(brokerId));
    // The process dies first: none of its timers fires again, whatever halt() still does.
    slot.processClock?.halt();
    slot.processClock = undefined;
    this.network.disconnect(brokerHost(brokerId));
    await slot.node.halt();
    slot.node = undefined;
    slot.logStore = slot.logStore.reopen(options);
  }

  /**
   * Stops a broker's process without killing it (SIGSTOP, a long GC pause): its timers wait and nothing
   * reaches it or leaves it (its host is isolated), while its connections stay open. `resume` undoes both.
   */
  pause(brokerId: number): void {
    const slot = this.slots[brokerId];
    if (slot?.processClock === undefined || slot.processClock.isPaused) return;
    slot.processClock.pause();
    const host = brokerHost(brokerId);
    if (!this.faults.isIsolated(host)) {
      this.faults.isolate(host);
      this.isolatedByPause.add(brokerId);
    }
  }

  resume(brokerId: number): void {
    const slot = this.slots[brokerId];
    if (slot?.processClock === undefined || !slot.processClock.isPaused) return;
    if (this.isolatedByPause.delete(brokerId)) this.faults.heal(brokerHost(brokerId));
    slot.processClock.resume();
  }

  /** Waits on the simulated clock for a condition, failing after `maxVirtualMs`. */
  until(condition: () => boolean, description: string, maxVirtualMs = 60_000): Promise<void> {
    return waitForSimulated(this.clock, condition, description, maxVirtualMs);
  }

  async advance(ms: number): Promise<void> {
    await this.clock.advanceByAsync(ms);
  }

  /** A raw RPC client on the simulated network, as a test client would use. */
  client(url = this.controllerUrl): SimulatedClient {
    const rpc = new RpcClient({
      url,
      transport: this.network.forHost('test-client'),
      clock: this.clock,
      random: fork(this.random, 'test-client'),
      logger: this.logger,
      requestTimeoutMs: 30_000,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1_000,
      maxInFlightRequests: 5,
      maxQueuedRequests: 1_000,
      maxResponseBytes: 200 * 1024 * 1024,
    });
    return new SimulatedClient(this, rpc);
  }
}

export class SimulatedClient {
  constructor(
    private readonly cluster: SimulatedCluster,
    readonly rpc: RpcClient,
  ) {}

  /** Sends a request and runs the simulation until it is answered. */
  async call<A extends ApiName>(api: A, body: RequestBody<A>): Promise<ResponseBody<A>> {
    let result: RpcResult<A> | undefined;
    this.rpc.request(api, body, (answer) => (result = answer));
    await this.cluster.until(() => result !== undefined, `${api} answered`);
    if (result === undefined || !result.ok) throw new Error(`${api} failed: ${JSON.stringify(result && !result.ok ? result.error : result)}`);
    return result.body;
  }
}

