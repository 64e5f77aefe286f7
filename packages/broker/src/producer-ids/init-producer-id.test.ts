/**
 * InitProducerId at a broker (Kafka's TransactionCoordinatorTest cases for the handler's own checks): an idempotent
 * producer gets a fresh id with epoch 0 from any broker; a transactional one is checked and handed to the transaction
 * coordinator, NOT_COORDINATOR where there is none.
 */
import { errorByName, quotedName, wireLimits, type RequestBody, type ResponseBody } from '@kactor/protocol';
import type { RequestRef, Responder } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { handleInitProducerId, type InitProducerIdOptions } from './init-producer-id.js';
import type { ProducerIdResult } from './producer-id-manager.js';

const ref = { connectionId: 'c', correlationId: 1, api: 'initProducerId', version: 0, remoteAddress: 'test' } as const satisfies RequestRef;
const idempotent: RequestBody<'initProducerId'> = { transactionalId: null, transactionTimeoutMs: -7, producerId: 12, producerEpoch: 3 };

function setup(results: ProducerIdResult[], transactional?: InitProducerIdOptions['transactional']) {
  const answers: unknown[] = [];
  const responder: Responder = { respond: (_ref, body) => void answers.push(body), respondError: () => undefined, finish: () => undefined };
  const options: InitProducerIdOptions = {
    generator: { generateProducerId: (onDone) => onDone(results.shift() ?? { ok: false, errorName: 'UNKNOWN_SERVER_ERROR' }) },
    responder,
    transactionMaxTimeoutMs: 900_000,
    transactional,
  };
  return { answers, send: (body: RequestBody<'initProducerId'>) => handleInitProducerId(ref, body, options) };
}

describe('InitProducerId at a broker', () => {
  it('without a transactional id: a fresh producer id, epoch 0; the timeout and the old id/epoch are ignored', () => {
    const { answers, send } = setup([{ ok: true, producerId: 4000 }, { ok: true, producerId: 4001 }]);
    send(idempotent);
    send(idempotent);
    expect(answers).toEqual([
      { throttleTimeMs: 0, errorCode: 0, errorMessage: null, producerId: 4000, producerEpoch: 0 },
      { throttleTimeMs: 0, errorCode: 0, errorMessage: null, producerId: 4001, producerEpoch: 0 },
    ] satisfies Array<ResponseBody<'initProducerId'>>);
  });

  it('without a transactional id, no block yet: the generator\'s COORDINATOR_LOAD_IN_PROGRESS (retriable) with id and epoch -1', () => {
    const { answers, send } = setup([{ ok: false, errorName: 'COORDINATOR_LOAD_IN_PROGRESS' }]);
    send(idempotent);
    expect(answers).toEqual([{ throttleTimeMs: 0, errorCode: errorByName('COORDINATOR_LOAD_IN_PROGRESS').code, errorMessage: null, producerId: -1, producerEpoch: -1 }]);
  });

  it('with a transactional id: empty is INVALID_REQUEST, a timeout outside (0, transaction.max.timeout.ms] INVALID_TRANSACTION_TIMEOUT, else NOT_COORDINATOR without a coordinator', () => {
    const { answers, send } = setup([]);
    const transactional = (transactionalId: string, transactionTimeoutMs: number) => send({ transactionalId, transactionTimeoutMs, producerId: -1, producerEpoch: -1 });
    transactional('', 60_000);
    transactional('tx-1', 0);
    transactional('tx-1', 900_001);
    transactional('tx-1', 900_000);
    expect(answers.map((answer) => (answer as ResponseBody<'initProducerId'>).errorCode)).toEqual(
      (['INVALID_REQUEST', 'INVALID_TRANSACTION_TIMEOUT', 'INVALID_TRANSACTION_TIMEOUT', 'NOT_COORDINATOR'] as const).map((name) => errorByName(name).code),
    );
    expect(answers.every((answer) => (answer as ResponseBody<'initProducerId'>).producerId === -1)).toBe(true);
  });

  it('NOT_COORDINATOR quotes a transactional id of 32,767 characters by its first 249, so the answer still decodes (found by the broker fuzz test)', () => {
    const { answers, send } = setup([]);
    const longId = 'x'.repeat(wireLimits.maxStringChars);
    send({ transactionalId: longId, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    const message = (answers[0] as ResponseBody<'initProducerId'>).errorMessage!;
    expect(message).toBe(`this broker is not the transaction coordinator of ${quotedName(longId)}`);
    expect(message.length).toBeLessThan(400);
  });

  it('with a transactional id and a transaction coordinator: it gets the request and answers it; no id is generated here', () => {
    const handed: unknown[] = [];
    const { answers, send } = setup([{ ok: true, producerId: 1 }], (_ref, body) => handed.push(body));
    send({ transactionalId: 'tx-1', transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    expect(handed).toEqual([{ transactionalId: 'tx-1', transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 }]);
    expect(answers).toEqual([]);
  });
});
