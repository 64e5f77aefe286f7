/**
 * Raw requests for the quorum benchmarks, one connection per node, at most 5 requests in flight on each (the
 * Admin's `max.in.flight.requests.per.connection`):
 * - CreateTopics with `timeoutMs` 0: the controller answers once the topic's records are committed, without waiting
 *   for the brokers to apply them. The Admin cannot send that: it sends its call's own timeout as the request's.
 * - DescribeQuorum to one node: whether that node leads the metadata quorum now, without the Admin's search (which
 *   asks for metadata first, and may ask a dead node first).
 */
import type { ClientRuntime } from '@kactor/client';
import { RpcClient, type RpcResult } from '@kactor/runtime';

/** One raw connection per node. */
export class RawClients {
  private readonly clients = new Map<number, RpcClient>();
  constructor(
    private readonly runtime: ClientRuntime,
    private readonly urlOf: (nodeId: number) => string,
  ) {}

  createTopic(nodeId: number, name: string, replicationFactor: number): Promise<RpcResult<'createTopics'>> {
    const body = { topics: [{ name, numPartitions: 1, replicationFactor, assignments: [], configs: [] }], timeoutMs: 0, validateOnly: false };
    const client = this.clientOf(nodeId);
    return new Promise((done) => client.request('createTopics', body, done));
  }

  /** Whether `nodeId` answers DescribeQuorum as the leader of `__cluster_metadata` (false on any error). */
  async leadsQuorum(nodeId: number): Promise<boolean> {
    const body = { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] };
    const client = this.clientOf(nodeId);
    const answer = await new Promise<RpcResult<'describeQuorum'>>((done) => client.request('describeQuorum', body, done, { timeoutMs: 1_000 }));
    if (!answer.ok || answer.body.errorCode !== 0) return false;
    const partition = answer.body.topics[0]?.partitions[0];
    return partition?.errorCode === 0 && partition.leaderId === nodeId;
  }

  private clientOf(nodeId: number): RpcClient {
    let client = this.clients.get(nodeId);
    if (client === undefined) {
      client = new RpcClient({
        url: this.urlOf(nodeId),
        transport: this.runtime.transport,
        clock: this.runtime.clock,
        random: this.runtime.random,
        logger: this.runtime.logger,
        requestTimeoutMs: 5_000,
        reconnectBackoffMs: 50,
        reconnectBackoffMaxMs: 1_000,
        maxInFlightRequests: 5,
        maxQueuedRequests: 100,
        maxResponseBytes: 16 * 1024 * 1024,
      });
      this.clients.set(nodeId, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

