/**
 * The RPC layer's contract, on top of a Transport: requests with correlation ids, responses validated where
 * they enter the node, timeouts on the injected clock, reconnects with backoff, and per-connection limits.
 * Actors use the callback forms (results arrive as plain calls that the actor turns into events, never as
 * exceptions); application code uses the promise forms.
 */
import type { ApiName, ApiRequest, RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { Principal } from '../transport/transport.js';

/** Identifies an inbound request so that its answer goes back on the right connection. */
export interface RequestRef {
  readonly connectionId: string;
  readonly correlationId: number;
  readonly api: ApiName;
  readonly version: number;
  /** The peer address, for logs. */
  readonly remoteAddress: string;
  /** What the connection authenticated as (absent: `client`); the server refuses control-plane APIs to clients. */
  readonly principal?: Principal;
  /**
   * The client.id of the request header, where the edge's protocol has one (Kafka's header does; kactor's own
   * does not). Kafka's group tools show it per member (`kafka-consumer-groups --describe`'s CLIENT-ID).
   */
  readonly clientId?: string;
}

/** A validated inbound request with its reference. */
export type InboundRequest = ApiRequest & { readonly ref: RequestRef };

/** Answers inbound requests. Every request must get exactly one `respond`, `respondError` or `finish`. */
export interface Responder {
  respond<A extends ApiName>(ref: RequestRef & { readonly api: A }, body: ResponseBody<A>): void;
  /** Answers with an error-response frame (`{ code, name, retriable, message }`). */
  respondError(ref: RequestRef, error: WireError): void;
  /** Completes a request that gets no response (Produce with acks=0), releasing its in-flight slot. */
  finish(ref: RequestRef): void;
}

export type RpcResult<A extends ApiName> = { ok: true; body: ResponseBody<A> } | { ok: false; error: WireError };

export interface RequestOptions {
  /** Defaults to the client's `request.timeout.ms`. Expiry fails the request with REQUEST_TIMED_OUT. */
  timeoutMs?: number;
  /** False for requests the peer never answers (Produce with acks=0): the result is reported once sent. */
  expectResponse?: boolean;
}

/** Sends requests to other nodes by URL (one connection per URL, opened on demand). */
export interface PeerRequester {
  request<A extends ApiName>(url: string, api: A, body: RequestBody<A>, onResult: (result: RpcResult<A>) => void, options?: RequestOptions): void;
}
