/**
 * AllocateProducerIds at the active controller (KIP-730): the block's ProducerIdsRecord is replayed, written, and the
 * block answered once the record is committed: at once in single mode (a written record is committed), once the
 * Raft high watermark passes it in quorum mode. A broker never holds ids the next controller does not know were
 * given out. A refusal (STALE_BROKER_EPOCH) changes nothing and is answered as other such answers are (see
 * answerUnchanged): in quorum mode only once the records it was decided on are committed.
 */
import type { ResponseBody } from '@kactor/protocol';
import { answerUnchanged, controllerApiRequestOf } from './admin-handling.js';
import { code, nextOffsets, respond, writeRecords, type ControllerContext, type ControllerEffects, type ControllerRequestEvent } from './controller-context.js';
import { replayAll } from './metadata-state.js';
import { notActiveControllerMessage, notControllerResponse } from './not-controller.js';
import { allocateProducerIds } from './producer-ids.js';
import type { PropagationWaiter } from './propagation.js';

type AllocateProducerIdsEvent = Extract<ControllerRequestEvent, { type: 'request.allocateProducerIds' }>;

const refusal = (errorCode: number, errorMessage: string): ResponseBody<'allocateProducerIds'> => ({ throttleTimeMs: 0, errorCode, errorMessage, producerIdStart: -1, producerIdLen: -1 });

export function handleAllocateProducerIds(context: ControllerContext, event: AllocateProducerIdsEvent, effects: ControllerEffects): void {
  const outcome = allocateProducerIds(context.state, event.body);
  if (!outcome.ok) {
    context.ports.logger.info({ brokerId: event.body.brokerId, brokerEpoch: event.body.brokerEpoch, errorName: outcome.errorName }, outcome.errorMessage);
    return answerUnchanged(context, event, refusal(code(outcome.errorName), outcome.errorMessage), effects);
  }
  const withOffsets = nextOffsets(context, [outcome.record]);
  const state = replayAll(context.state, withOffsets);
  // Refused rather than deferred on a full disk: a block answered before its record is written could be handed out again.
  const written = writeRecords(context, withOffsets, 'refuse');
  if (!written.written) {
    if (written.reason === 'notLeader') {
      effects.run(() => respond(context, event.ref, notControllerResponse(controllerApiRequestOf(event), notActiveControllerMessage(written.leaderId))));
      effects.raise({ type: 'quorum.notLeader', leaderId: written.leaderId });
      return;
    }
    context.ports.logger.warn({ err: written.error, brokerId: event.body.brokerId }, 'refused AllocateProducerIds: the metadata log cannot be written');
    effects.run(() => respond(context, event.ref, refusal(code('KAFKA_STORAGE_ERROR'), 'the metadata log cannot be written (a full disk?)')));
    return;
  }
  const body: ResponseBody<'allocateProducerIds'> = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, producerIdStart: outcome.producerIdStart, producerIdLen: outcome.producerIdLen };
  context.ports.logger.info({ brokerId: event.body.brokerId, producerIdStart: outcome.producerIdStart, producerIdLen: outcome.producerIdLen }, 'producer id block allocated');
  effects.assign({ state });
  if (context.mode === 'single') {
    effects.run(() => respond(context, event.ref, body));
    return;
  }
  const waiter: PropagationWaiter = { id: context.nextWaiterId, ref: event.ref, request: controllerApiRequestOf(event), body, metadataOffset: withOffsets[0]?.offset ?? -1, committedOnly: true };
  effects.assign({ waiters: [...context.waiters, waiter], nextWaiterId: context.nextWaiterId + 1 });
}
