export type { RequestRef, InboundRequest, Responder, RpcResult, RequestOptions, PeerRequester } from './rpc.js';
export { RpcServer, hardFrameLimitFactor, type RpcServerOptions, type RpcListenOptions } from './rpc-server.js';
export { RpcClient, type RpcClientOptions, type RpcClientState } from './rpc-client.js';
export { RpcClientPool, type RpcClientPoolOptions } from './rpc-client-pool.js';
