/**
 * The controller's admin requests (CreateTopics, DeleteTopics, CreatePartitions, ElectLeaders) and leaders' ISR
 * changes (AlterPartition), and when each is answered. A command's records are replayed first (a batch that breaks a
 * metadata invariant throws before it is written), then written, and the answer waits in a `PropagationWaiter`:
 * - single mode: the log is local, so the records are committed once written; an admin request is answered once
 *   every unfenced broker acknowledged the pushed image or its timeoutMs passed, an ISR change at once;
 * - quorum mode: an answer also waits for the Raft high watermark to pass its records (Kafka's
 *   deferredEventQueue.completeUpTo); an ISR change is then answered, an admin request once every unfenced broker
 *   has applied them (fetch progress, heartbeats) or its timeoutMs passed; a request that changes nothing waits for
 *   the uncommitted records it was decided on.
 */
import type { ResponseBody } from '@kactor/protocol';
import {
  code,
  countUnclean,
  nextOffsets,
  propagationTimerId,
  respond,
  topicDependencies,
  writeRecords,
  type AdminApi,
  type ControllerContext,
  type ControllerEffects,
  type ControllerRequestEvent,
} from './controller-context.js';
import { alterPartitionRequest } from './alter-partition-request.js';
import { electLeaders } from './elect-leaders.js';
import type { MetadataRecord } from './metadata-records.js';
import { replayAll } from './metadata-state.js';
import { notActiveControllerMessage, notControllerResponse, type ControllerApiRequest } from './not-controller.js';
import { waitersReadyToAnswer, type PropagationWaiter } from './propagation.js';
import { createPartitions, createTopics, deleteTopics } from './topic-commands.js';

type AdminRequestEvent = Extract<ControllerRequestEvent, { type: `request.${AdminApi}` }>;

/** The request an event carries, as the NOT_CONTROLLER builder takes it. */
export function controllerApiRequestOf(event: ControllerRequestEvent): ControllerApiRequest {
  return { api: event.type.slice('request.'.length), body: event.body } as ControllerApiRequest;
}

/** Answers NOT_CONTROLLER and renounces: the Raft replica refused the append, this node no longer leads. */
function refuseAsNotLeader(context: ControllerContext, event: ControllerRequestEvent, leaderId: number | undefined, effects: ControllerEffects): void {
  const body = notControllerResponse(controllerApiRequestOf(event), notActiveControllerMessage(leaderId));
  effects.run(() => respond(context, event.ref, body));
  effects.raise({ type: 'quorum.notLeader', leaderId });
}

/**
 * An answer that changes nothing. Quorum mode: it was computed from the speculative state, so while records are still
 * uncommitted it waits for the last of them (Kafka completes such an operation only once the writes before it are
 * committed): a client never sees a change that may still be rolled back.
 */
export function answerUnchanged(context: ControllerContext, event: ControllerRequestEvent, body: unknown, effects: ControllerEffects): void {
  const lastWritten = context.ports.log.logEndOffset - 1;
  if (context.mode === 'single' || lastWritten < context.highWatermark) {
    effects.run(() => respond(context, event.ref, body));
    return;
  }
  const waiter: PropagationWaiter = { id: context.nextWaiterId, ref: event.ref, request: controllerApiRequestOf(event), body, metadataOffset: lastWritten, committedOnly: true };
  effects.assign({ waiters: [...context.waiters, waiter], nextWaiterId: context.nextWaiterId + 1 });
}

export function handleAdminRequest(context: ControllerContext, event: AdminRequestEvent, effects: ControllerEffects): void {
  const { records, body } = runAdminCommand(context, event);
  if (records.length === 0) return answerUnchanged(context, event, body, effects);
  const withOffsets = nextOffsets(context, records);
  const nextState = replayAll(context.state, withOffsets);
  // The write is this transition's side effect (the log is synchronous, as the partition's append): a change that
  // cannot be written now is refused and not applied, so nothing answered is lost.
  const written = writeRecords(context, withOffsets, 'refuse');
  if (!written.written) {
    if (written.reason === 'notLeader') return refuseAsNotLeader(context, event, written.leaderId, effects);
    context.ports.logger.warn({ err: written.error, api: event.type }, 'refused an admin request: the metadata log cannot be written');
    effects.run(() => respond(context, event.ref, refusedForStorage(body, 'the metadata log cannot be written (a full disk?)')));
    return;
  }
  const waiterId = context.nextWaiterId;
  const waiter: PropagationWaiter = { id: waiterId, ref: event.ref, request: controllerApiRequestOf(event), body, metadataOffset: withOffsets[withOffsets.length - 1]?.offset ?? -1 };
  effects.assign({ state: nextState, uncleanLeaderElections: countUnclean(context, records), waiters: [...context.waiters, waiter], nextWaiterId: waiterId + 1 });
  effects.schedule({ type: 'timer.propagationDeadline', waiterId }, Math.max(0, event.body.timeoutMs), propagationTimerId(waiterId));
}

/**
 * A leader's ISR change (AlterPartition): answered as soon as the records are committed, not once every broker has
 * the new image, because the leader adopts the ISR from the answer (KIP-497). A change that cannot be written is
 * refused as a whole with KAFKA_STORAGE_ERROR and the leader keeps its committed ISR.
 */
export function handleAlterPartition(context: ControllerContext, event: Extract<ControllerRequestEvent, { type: 'request.alterPartition' }>, effects: ControllerEffects): void {
  const { records, body } = alterPartitionRequest(context.state, event.body);
  if (records.length === 0) return answerUnchanged(context, event, body, effects);
  // The offsets the records get, read before the append moves the log end past them.
  const withOffsets = nextOffsets(context, records);
  const nextState = replayAll(context.state, withOffsets);
  const written = writeRecords(context, withOffsets, 'refuse');
  if (!written.written) {
    if (written.reason === 'notLeader') return refuseAsNotLeader(context, event, written.leaderId, effects);
    context.ports.logger.warn({ err: written.error, brokerId: event.body.brokerId }, 'refused an ISR change: the metadata log cannot be written');
    const refused: ResponseBody<'alterPartition'> = { throttleTimeMs: 0, errorCode: code('KAFKA_STORAGE_ERROR'), topics: [] };
    effects.run(() => respond(context, event.ref, refused));
    return;
  }
  effects.assign({ state: nextState });
  if (context.mode === 'single') {
    effects.run(() => respond(context, event.ref, body));
    return;
  }
  const waiter: PropagationWaiter = { id: context.nextWaiterId, ref: event.ref, request: controllerApiRequestOf(event), body, metadataOffset: withOffsets[withOffsets.length - 1]?.offset ?? -1, committedOnly: true };
  effects.assign({ waiters: [...context.waiters, waiter], nextWaiterId: context.nextWaiterId + 1 });
}

/** Whether the records of `waiter` are committed: always in single mode (a written record is), below the high watermark in quorum mode. */
export function isCommitted(context: ControllerContext, waiter: PropagationWaiter): boolean {
  return context.mode === 'single' || waiter.metadataOffset < context.highWatermark;
}

/** The waiters that can be answered now. */
export function readyWaiters(context: ControllerContext): PropagationWaiter[] {
  if (context.mode === 'single') return waitersReadyToAnswer(context.state, context.propagation, context.waiters);
  const committed = context.waiters.filter((waiter) => isCommitted(context, waiter));
  const propagated = new Set(waitersReadyToAnswer(context.state, context.propagation, committed).map((waiter) => waiter.id));
  return committed.filter((waiter) => waiter.committedOnly === true || waiter.deadlinePassed === true || propagated.has(waiter.id));
}

export function answerReadyWaiters(context: ControllerContext, effects: ControllerEffects): void {
  const ready = readyWaiters(context);
  if (ready.length === 0) return;
  const readyIds = new Set(ready.map((waiter) => waiter.id));
  effects.assign({ waiters: context.waiters.filter((waiter) => !readyIds.has(waiter.id)) });
  for (const waiter of ready) {
    effects.cancel(propagationTimerId(waiter.id));
    effects.run(() => respond(context, waiter.ref, waiter.body));
  }
}

/** timeoutMs passed: answered now if its records are committed, else as soon as they are (the brokers are not waited for). */
export function answerExpiredWaiter(context: ControllerContext, event: { waiterId: number }, effects: ControllerEffects): void {
  const waiter = context.waiters.find((candidate) => candidate.id === event.waiterId);
  if (waiter === undefined) return;
  if (!isCommitted(context, waiter)) {
    effects.assign({ waiters: context.waiters.map((candidate) => (candidate.id === waiter.id ? { ...candidate, deadlinePassed: true } : candidate)) });
    return;
  }
  effects.assign({ waiters: context.waiters.filter((candidate) => candidate.id !== event.waiterId) });
  effects.run(() => respond(context, waiter.ref, waiter.body));
}

/**
 * The controller stops with its node. Committed changes succeeded even if not every broker has heard yet; in quorum
 * mode the others get NOT_CONTROLLER (they may still commit under the next leader, which the client learns by asking).
 */
export function answerAllWaiters(context: ControllerContext, effects: ControllerEffects): void {
  for (const waiter of context.waiters) {
    const body = isCommitted(context, waiter) ? waiter.body : notControllerResponseFor(waiter, context.activeControllerId);
    effects.run(() => respond(context, waiter.ref, body));
  }
  effects.assign({ waiters: [] });
}

/** NOT_CONTROLLER in the shape of the request a waiter answers. */
export function notControllerResponseFor(waiter: PropagationWaiter, activeControllerId: number | undefined): unknown {
  return notControllerResponse(waiter.request, notActiveControllerMessage(activeControllerId));
}

function runAdminCommand(context: ControllerContext, event: AdminRequestEvent): { records: MetadataRecord[]; body: unknown } {
  switch (event.type) {
    case 'request.createTopics': {
      const outcome = createTopics(context.state, event.body, topicDependencies(context));
      const body: ResponseBody<'createTopics'> = {
        throttleTimeMs: 0,
        topics: outcome.results.map((result) => ({
          name: result.name,
          topicId: result.topicId,
          errorCode: code(result.errorName),
          errorMessage: result.errorMessage,
          numPartitions: result.numPartitions,
          replicationFactor: result.replicationFactor,
        })),
      };
      return { records: outcome.records, body };
    }
    case 'request.deleteTopics': {
      const outcome = deleteTopics(context.state, event.body);
      const body: ResponseBody<'deleteTopics'> = {
        throttleTimeMs: 0,
        responses: outcome.results.map((result) => ({ name: result.name, topicId: result.topicId, errorCode: code(result.errorName), errorMessage: result.errorMessage })),
      };
      return { records: outcome.records, body };
    }
    case 'request.createPartitions': {
      const outcome = createPartitions(context.state, event.body, topicDependencies(context));
      const body: ResponseBody<'createPartitions'> = {
        throttleTimeMs: 0,
        results: outcome.results.map((result) => ({ name: result.name, errorCode: code(result.errorName), errorMessage: result.errorMessage })),
      };
      return { records: outcome.records, body };
    }
    case 'request.electLeaders':
      return electLeaders(context.state, event.body);
  }
}

/**
 * An admin response whose every change is refused with KAFKA_STORAGE_ERROR (56); answers the command had
 * already refused keep their own error.
 */
function refusedForStorage(body: unknown, errorMessage: string): unknown {
  const storageErrorCode = code('KAFKA_STORAGE_ERROR');
  const refuse = <T extends { errorCode: number; errorMessage: string | null }>(result: T): T =>
    result.errorCode === 0 ? { ...result, errorCode: storageErrorCode, errorMessage } : result;
  const response = body as {
    topics?: Array<{ errorCode: number; errorMessage: string | null }>;
    responses?: Array<{ errorCode: number; errorMessage: string | null }>;
    results?: Array<{ errorCode: number; errorMessage: string | null }>;
    replicaElectionResults?: Array<{ topic: string; partitionResult: Array<{ errorCode: number; errorMessage: string | null }> }>;
  };
  return {
    ...response,
    ...(response.replicaElectionResults === undefined
      ? {}
      : { replicaElectionResults: response.replicaElectionResults.map((topic) => ({ ...topic, partitionResult: topic.partitionResult.map(refuse) })) }),
    ...(response.topics === undefined ? {} : { topics: response.topics.map(refuse) }),
    ...(response.responses === undefined ? {} : { responses: response.responses.map(refuse) }),
    ...(response.results === undefined ? {} : { results: response.results.map(refuse) }),
  };
}
