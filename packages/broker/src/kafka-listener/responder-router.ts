/**
 * The broker's request handlers answer through one `Responder`; a request's reference says which edge it
 * came in on, and this sends the answer back there: Kafka listener connections (`kafka-…`) or kactor's
 * WebSocket RPC server.
 */
import type { ApiName, ResponseBody, WireError } from '@kactor/protocol';
import type { RequestRef, Responder } from '@kactor/runtime';
import { isKafkaConnectionId } from './kafka-listener.js';

export class ResponderRouter implements Responder {
  constructor(private readonly edges: { readonly kafka: Responder; readonly rpc: Responder }) {}

  respond<A extends ApiName>(ref: RequestRef & { readonly api: A }, body: ResponseBody<A>): void {
    this.edgeOf(ref).respond(ref, body);
  }

  respondError(ref: RequestRef, error: WireError): void {
    this.edgeOf(ref).respondError(ref, error);
  }

  finish(ref: RequestRef): void {
    this.edgeOf(ref).finish(ref);
  }

  private edgeOf(ref: RequestRef): Responder {
    return isKafkaConnectionId(ref.connectionId) ? this.edges.kafka : this.edges.rpc;
  }
}
