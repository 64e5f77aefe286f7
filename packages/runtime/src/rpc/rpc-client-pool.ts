/**
 * One RPC client per peer URL, created on first use: how a node talks to other nodes (brokers to the
 * controller, the controller to brokers, clients to every broker).
 */
import type { ApiName, RequestBody } from '@kactor/protocol';
import type { RequestOptions, PeerRequester, RpcResult } from './rpc.js';
import { RpcClient, type RpcClientOptions } from './rpc-client.js';

export type RpcClientPoolOptions = Omit<RpcClientOptions, 'url'>;

export class RpcClientPool implements PeerRequester {
  private readonly clients = new Map<string, RpcClient>();

  constructor(private readonly options: RpcClientPoolOptions) {}

  client(url: string): RpcClient {
    let client = this.clients.get(url);
    if (client === undefined) {
      client = new RpcClient({ ...this.options, url, logger: this.options.logger.child({ peer: url }) });
      this.clients.set(url, client);
    }
    return client;
  }

  request<A extends ApiName>(url: string, api: A, body: RequestBody<A>, onResult: (result: RpcResult<A>) => void, options?: RequestOptions): void {
    this.client(url).request(api, body, onResult, options);
  }

  /** Closes the client of one peer (for example a broker that left the cluster). */
  forget(url: string): void {
    this.clients.get(url)?.close();
    this.clients.delete(url);
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
