/**
 * The Kafka clients' edge of a broker node (issue 16): translated bodies are checked against kactor's schemas
 * before a handler sees them, and answers find their edge by connection id.
 */
import type { ApiName, ResponseBody, WireError } from '@kactor/protocol';
import { createLogger, type InboundRequest, type RequestRef, type Responder } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { ResponderRouter } from '../kafka-listener/responder-router.js';
import { deliverChecked } from './kafka-clients.js';

const logger = createLogger({ level: 'silent' });

class RecordingResponder implements Responder {
  readonly answers: Array<{ connectionId: string; kind: string; error?: WireError }> = [];
  respond<A extends ApiName>(ref: RequestRef & { readonly api: A }, _body: ResponseBody<A>): void {
    this.answers.push({ connectionId: ref.connectionId, kind: 'body' });
  }
  respondError(ref: RequestRef, error: WireError): void {
    this.answers.push({ connectionId: ref.connectionId, kind: 'error', error });
  }
  finish(ref: RequestRef): void {
    this.answers.push({ connectionId: ref.connectionId, kind: 'none' });
  }
}

function metadataRequest(body: unknown): InboundRequest {
  const ref: RequestRef = { connectionId: 'kafka-1', correlationId: 7, api: 'metadata', version: 0, remoteAddress: '127.0.0.1:5000' };
  return { api: 'metadata', version: 0, correlationId: 7, body, ref } as InboundRequest;
}

describe('deliverChecked', () => {
  it('hands a body the schema accepts to the router unchanged', () => {
    const responder = new RecordingResponder();
    const delivered: InboundRequest[] = [];
    const request = metadataRequest({ topics: ['orders'], allowAutoTopicCreation: true });
    deliverChecked(request, responder, logger, (inbound) => delivered.push(inbound));
    expect(delivered).toEqual([request]);
    expect(responder.answers).toEqual([]);
  });

  it('answers a body the schema refuses with INVALID_REQUEST (42) instead of reaching the router', () => {
    const responder = new RecordingResponder();
    const delivered: InboundRequest[] = [];
    // A topic name longer than kactor's bound on strings: Kafka's int16 string allows it, kactor's schema does not.
    deliverChecked(metadataRequest({ topics: ['x'.repeat(40_000)], allowAutoTopicCreation: true }), responder, logger, (inbound) => delivered.push(inbound));
    expect(delivered).toEqual([]);
    expect(responder.answers).toEqual([{ connectionId: 'kafka-1', kind: 'error', error: expect.objectContaining({ code: 42, name: 'INVALID_REQUEST' }) }]);
  });
});

describe('ResponderRouter', () => {
  it('sends answers to Kafka connections to the Kafka listener and every other one to the RPC server', () => {
    const kafka = new RecordingResponder();
    const rpc = new RecordingResponder();
    const router = new ResponderRouter({ kafka, rpc });
    const ref = (connectionId: string): RequestRef => ({ connectionId, correlationId: 1, api: 'metadata', version: 0, remoteAddress: 'a' });
    router.respondError(ref('kafka-3'), { code: 42, name: 'INVALID_REQUEST', retriable: false, message: 'm' });
    router.finish(ref('ws-3'));
    router.finish(ref('kafka-4'));
    expect(kafka.answers.map((answer) => [answer.connectionId, answer.kind])).toEqual([['kafka-3', 'error'], ['kafka-4', 'none']]);
    expect(rpc.answers.map((answer) => [answer.connectionId, answer.kind])).toEqual([['ws-3', 'none']]);
  });
});
