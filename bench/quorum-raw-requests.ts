/**
 * CreateTopics as a raw request, one connection per node: with `timeoutMs` 0 the controller answers once the
 * topic's records are committed, without waiting for the brokers to apply them. The Admin cannot send that: it
 * sends its call's own timeout as the request's. At most 5 requests in flight per connection, the Admin's
 * `max.in.flight.requests.per.connection`.
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
    const body = { topics: [{ name, numPartitions: 1, replicationFactor, assignments: [], configs: [] }], timeoutMs: 0, validateOnly: false };
    return new Promise((done) => client.request('createTopics', body, done));
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

