/**
 * InitProducerId at a broker (Kafka's TransactionCoordinator.handleInitProducerId, KIP-98):
 * - without a transactional id (an idempotent producer) any broker answers a fresh producer id from its block, epoch
 *   0; the producer id and epoch in the request and its transaction timeout are ignored, as in Kafka;
 * - with one, an empty id is INVALID_REQUEST and a transaction timeout outside (0, transaction.max.timeout.ms] is
 *   INVALID_TRANSACTION_TIMEOUT, checked here as Kafka checks them before looking for the coordinator; then the
 *   transaction coordinator of the id answers (`transactional`), and a broker without one answers NOT_COORDINATOR.
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, quotedName } from '@kactor/protocol';
import type { RequestRef, Responder } from '@kactor/runtime';
import type { ProducerIdGenerator } from './producer-id-manager.js';

type InitProducerIdRef = RequestRef & { readonly api: 'initProducerId' };

export interface InitProducerIdOptions {
  generator: ProducerIdGenerator;
  responder: Responder;
  /** transaction.max.timeout.ms */
  transactionMaxTimeoutMs: number;
  /**
   * The transaction coordinator's InitProducerId (fencing the previous epoch, aborting its open transaction), which
   * answers `ref` itself; undefined while this broker has none, and then the answer is NOT_COORDINATOR.
   */
  transactional?: ((ref: InitProducerIdRef, body: RequestBody<'initProducerId'> & { transactionalId: string }) => void) | undefined;
}

export function initProducerIdRefusal(errorName: Parameters<typeof errorByName>[0], errorMessage: string | null = null): ResponseBody<'initProducerId'> {
  return { throttleTimeMs: 0, errorCode: errorByName(errorName).code, errorMessage, producerId: -1, producerEpoch: -1 };
}

export function handleInitProducerId(ref: InitProducerIdRef, body: RequestBody<'initProducerId'>, options: InitProducerIdOptions): void {
  const { transactionalId } = body;
  if (transactionalId === null) {
    options.generator.generateProducerId((result) => {
      options.responder.respond(
        ref,
        result.ok
          ? { throttleTimeMs: 0, errorCode: 0, errorMessage: null, producerId: result.producerId, producerEpoch: 0 }
          : initProducerIdRefusal(result.errorName === 'NONE' ? 'UNKNOWN_SERVER_ERROR' : result.errorName),
      );
    });
    return;
  }
  if (transactionalId === '') return options.responder.respond(ref, initProducerIdRefusal('INVALID_REQUEST', 'the transactional id must not be empty'));
  if (body.transactionTimeoutMs <= 0 || body.transactionTimeoutMs > options.transactionMaxTimeoutMs) {
    const message = `transaction.timeout.ms ${body.transactionTimeoutMs} is not in (0, ${options.transactionMaxTimeoutMs}] (transaction.max.timeout.ms)`;
    return options.responder.respond(ref, initProducerIdRefusal('INVALID_TRANSACTION_TIMEOUT', message));
  }
  // The transaction coordinator plugs in here (issue 13): until it does, no broker coordinates any transactional id.
  // The id is quoted (cut at 249 characters), so the message fits in a wire string whatever the id's length.
  if (options.transactional === undefined) return options.responder.respond(ref, initProducerIdRefusal('NOT_COORDINATOR', `this broker is not the transaction coordinator of ${quotedName(transactionalId)}`));
  options.transactional(ref, { ...body, transactionalId });
}
