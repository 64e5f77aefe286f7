/**
 * One combined broker and controller node on a simulated clock and the in-memory network, with raw RPC
 * clients that present whichever secret a test gives them: for tests of what a node lets a client do.
 */
import { MemoryMetaPropertiesStore, startBrokerNode, type BrokerNode } from '@kactor/broker';
import type { ApiName, RequestBody } from '@kactor/protocol';
import { parseConfig } from '@kactor/protocol';
import { createIdGenerator, createLogger, createSeededRandom, fork, MemoryTransport, RpcClient, SimulatedClock, waitForSimulated, type RpcResult } from '@kactor/runtime';
import { MemoryLogStore } from '@kactor/storage';

export const singleNodeClusterSecret = 'the-cluster-secret';

export interface SingleNode {
  clock: SimulatedClock;
  network: MemoryTransport;
  node: BrokerNode;
  /** A client from the node `fromHost` (default `intruder`), presenting `secret`. */
  client(secret: string | undefined, fromHost?: string): RpcClient;
  /** Sends a request and runs the simulation until it is answered. */
  call<A extends ApiName>(client: RpcClient, api: A, body: RequestBody<A>): Promise<RpcResult<A>>;
}

const started: BrokerNode[] = [];

export async function haltSingleNodes(): Promise<void> {
  for (const node of started.splice(0)) await node.halt();
}

export async function startSingleNode(options: { secret?: string | undefined; brokerConfig?: Record<string, string> } = {}): Promise<SingleNode> {
  const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  const network = new MemoryTransport({ clock });
  const random = createSeededRandom('single-node');
  const logger = createLogger({ clock, level: 'silent' });
  const node = await startBrokerNode({
    brokerId: 0,
    host: 'broker-0',
    port: 9100,
    processRoles: ['broker', 'controller'],
    // One broker: __consumer_offsets gets one replica, as a lone `kactor broker` does (Kafka's default 3 could not be placed).
    config: parseConfig('broker', { 'node.id': '0', 'process.roles': 'broker,controller', 'offsets.topic.replication.factor': '1', ...options.brokerConfig }),
    logStore: new MemoryLogStore({ clock }),
    metaProperties: new MemoryMetaPropertiesStore(),
    logDir: 'memory://broker-0',
    clock,
    random: fork(random, 'broker-0'),
    ids: createIdGenerator(fork(random, 'broker-0-ids')),
    transport: network.forHost('broker-0'),
    logger,
    secret: options.secret,
    clusterSecret: singleNodeClusterSecret,
  });
  started.push(node);
  await waitForSimulated(clock, () => node.brokerState() === 'RUNNING', 'the broker runs');
  let clients = 0;
  const client = (secret: string | undefined, fromHost = 'intruder') =>
    new RpcClient({
      url: node.url,
      transport: network.forHost(fromHost),
      clock,
      random: fork(random, `client-${(clients += 1)}`),
      logger,
      secret,
      requestTimeoutMs: 30_000,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1_000,
      maxInFlightRequests: 5,
      maxQueuedRequests: 100,
      maxResponseBytes: 1 << 24,
    });
  const call = async <A extends ApiName>(rpc: RpcClient, api: A, body: RequestBody<A>): Promise<RpcResult<A>> => {
    let result: RpcResult<A> | undefined;
    rpc.request(api, body, (answer) => (result = answer));
    await waitForSimulated(clock, () => result !== undefined, `${api} answered`);
    return result as RpcResult<A>;
  };
  return { clock, network, node, client, call };
}
