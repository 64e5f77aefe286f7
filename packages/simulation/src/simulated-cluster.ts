/**
 * A whole kactor cluster in one process: every broker node runs its real actors on one SimulatedClock, talks
 * over the in-memory transport and keeps its logs in memory. Deterministic by seed: the same seed gives the
 * same run. Used by the machine tests of the broker, controller and partition actors.
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
import { MemoryLogStore } from '@kactor/storage';
import type { InspectionEvent } from 'xstate';

export interface SimulatedClusterOptions {
  brokers?: number;
  seed?: number | string;
  /** Broker config overrides, Kafka names. */
  brokerConfig?: Record<string, string>;
  /** XState's inspect option for every broker's actors (BrokerNodeOptions.inspect); default none. */
  inspect?: ((event: InspectionEvent) => void) | undefined;
}

interface NodeSlot {
  brokerId: number;
  logStore: MemoryLogStore;
  metaProperties: MetaPropertiesStore;
  node: BrokerNode | undefined;
}

export const controllerUrl = 'memory://broker-0:9100';
/** The cluster credential of every simulated node (test clients do not present it). */
export const simulatedClusterSecret = 'simulated-cluster-secret';

export class SimulatedCluster {
  readonly clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  readonly network = new MemoryTransport({ clock: this.clock });
  private readonly random;
  private readonly slots: NodeSlot[] = [];
  private readonly logger = createLogger({ clock: this.clock });
  private restarts = 0;

  constructor(private readonly options: SimulatedClusterOptions = {}) {
    this.random = createSeededRandom(options.seed ?? 1);
    for (let brokerId = 0; brokerId < (options.brokers ?? 3); brokerId += 1) {
      this.slots.push({
        brokerId,
        logStore: new MemoryLogStore({ clock: this.clock }),
        metaProperties: new MemoryMetaPropertiesStore(),
        node: undefined,
      });
    }
  }

  node(brokerId: number): BrokerNode {
    const node = this.slots[brokerId]?.node;
    if (node === undefined) throw new Error(`broker ${brokerId} is not running`);
    return node;
  }

  get nodes(): BrokerNode[] {
    return this.slots.flatMap((slot) => (slot.node === undefined ? [] : [slot.node]));
  }

  async start(brokerId: number): Promise<BrokerNode> {
    const slot = this.slots[brokerId];
    if (slot === undefined) throw new Error(`no broker ${brokerId}`);
    this.restarts += 1;
    const roles = brokerId === 0 ? (['broker', 'controller'] as const) : (['broker'] as const);
    const config = parseConfig('broker', { 'node.id': String(brokerId), 'process.roles': roles.join(','), ...this.options.brokerConfig });
    const host = `broker-${brokerId}`;
    const node = await startBrokerNode({
      brokerId,
      host,
      port: 9100,
      processRoles: roles,
      controllerUrl,
      config,
      logStore: slot.logStore,
      metaProperties: slot.metaProperties,
      logDir: `memory://${host}`,
      clock: this.clock,
      random: fork(this.random, `${host}-${this.restarts}`),
      ids: createIdGenerator(fork(this.random, `${host}-ids-${this.restarts}`)),
      transport: this.network.forHost(host),
      logger: this.logger.child({ node: brokerId }),
      // Every node of the cluster shares one cluster credential, as `cluster up` gives its brokers.
      clusterSecret: simulatedClusterSecret,
      inspect: this.options.inspect,
    });
    slot.node = node;
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
    slot.node = undefined;
    slot.logStore = slot.logStore.reopen();
  }

  /** Kills a broker without telling anyone (kill -9): unflushed data may be lost on restart. */
  async kill(brokerId: number, options: { loseUnflushedData?: boolean } = {}): Promise<void> {
    const slot = this.slots[brokerId];
    if (slot?.node === undefined) return;
    this.network.disconnect(`broker-${brokerId}`);
    await slot.node.halt();
    slot.node = undefined;
    slot.logStore = slot.logStore.reopen(options);
  }

  /** Waits on the simulated clock for a condition, failing after `maxVirtualMs`. */
  until(condition: () => boolean, description: string, maxVirtualMs = 60_000): Promise<void> {
    return waitForSimulated(this.clock, condition, description, maxVirtualMs);
  }

  async advance(ms: number): Promise<void> {
    await this.clock.advanceByAsync(ms);
  }

  /** A raw RPC client on the simulated network, as a test client would use. */
  client(url = controllerUrl): SimulatedClient {
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

