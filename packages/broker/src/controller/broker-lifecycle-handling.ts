/**
 * The active controller's side of the brokers' lifecycle (KIP-631): registrations, heartbeats, session timers and
 * fencing, as handlers of the controller chart. The rules are the pure functions of broker-commands.ts; these apply
 * their records (replayed first, then written) and keep the soft state Kafka's BrokerHeartbeatManager keeps: sessions
 * and what each broker has applied. Registrations and heartbeats are answered at once, in both modes.
 */
import type { ResponseBody } from '@kactor/protocol';
import { brokerHeartbeat, heartbeatStatus, registerBroker, sessionExpired, type BrokerSession } from './broker-commands.js';
import {
  code,
  countUnclean,
  nextOffsets,
  respond,
  sessionTimerId,
  uncleanPolicy,
  writeRecords,
  type ControllerContext,
  type ControllerEffects,
  type ControllerRequestEvent,
  type WriteOutcome,
} from './controller-context.js';
import { notActiveControllerMessage, notControllerResponse } from './not-controller.js';
import { replayAll } from './metadata-state.js';
import { lowestActiveOffset } from './propagation.js';

type RequestOf<A extends string> = Extract<ControllerRequestEvent, { type: `request.${A}` }>;

function armSessionTimer(context: ControllerContext, effects: ControllerEffects, brokerId: number, incarnationId: string): void {
  effects.cancel(sessionTimerId(brokerId));
  effects.schedule({ type: 'timer.brokerSessionExpired', brokerId, incarnationId }, context.config.brokerSessionTimeoutMs, sessionTimerId(brokerId));
}

/** A write refused because this node no longer leads the quorum: the request gets NOT_CONTROLLER and the controller renounces. */
function refuseAsNotLeader(context: ControllerContext, effects: ControllerEffects, event: RequestOf<'brokerRegistration' | 'brokerHeartbeat'>, outcome: WriteOutcome): void {
  const leaderId = outcome.written || outcome.reason !== 'notLeader' ? undefined : outcome.leaderId;
  const api = event.type === 'request.brokerRegistration' ? 'brokerRegistration' : 'brokerHeartbeat';
  const body = notControllerResponse({ api, body: event.body } as Parameters<typeof notControllerResponse>[0], notActiveControllerMessage(leaderId));
  effects.run(() => respond(context, event.ref, body));
  effects.raise({ type: 'quorum.notLeader', leaderId });
}

/**
 * Brokers known from the log get one session timeout to show up again: until they heartbeat or re-register, their old
 * registration stands, and then they are fenced.
 */
export function armSessionTimersForReplayedBrokers(context: ControllerContext, effects: ControllerEffects): void {
  for (const broker of Object.values(context.state.brokers)) {
    if (!broker.fenced) effects.schedule({ type: 'timer.brokerSessionExpired', brokerId: broker.brokerId, incarnationId: broker.incarnationId }, context.config.brokerSessionTimeoutMs, sessionTimerId(broker.brokerId));
  }
}

/**
 * A newly active quorum controller (Kafka's ClusterControlManager.activate): every registered unfenced broker gets a
 * fresh session of broker.session.timeout.ms from now, so no broker is fenced because the controller failed over.
 * Admin answers wait only for the brokers heard from since (a heartbeat or a Fetch of the metadata log, which every
 * live broker sends within half a second): a broker that died with the old controller would otherwise hold every
 * answer until its session ends, a whole session timeout after each failover.
 */
export function activateClusterControl(context: ControllerContext, effects: ControllerEffects): void {
  const expiresAtMs = context.ports.clock.now() + context.config.brokerSessionTimeoutMs;
  const sessions: Record<number, BrokerSession> = {};
  for (const broker of Object.values(context.state.brokers)) {
    if (broker.fenced) continue;
    sessions[broker.brokerId] = { incarnationId: broker.incarnationId, expiresAtMs };
  }
  effects.assign({ sessions, propagation: {} });
}

export function handleBrokerRegistration(context: ControllerContext, event: RequestOf<'brokerRegistration'>, effects: ControllerEffects): void {
  const now = context.ports.clock.now();
  const outcome = registerBroker(context.state, context.sessions, event.body, now, uncleanPolicy(context));
  if (!outcome.ok) {
    // A broker restarted within its old session (after a kill, or after a failover gave every broker a fresh session)
    // retries every second until that session ends: expected and self-resolving, so not a warning each time.
    const level = outcome.errorName === 'DUPLICATE_BROKER_REGISTRATION' ? 'info' : 'warn';
    context.ports.logger[level]({ brokerId: event.body.brokerId, errorName: outcome.errorName }, outcome.errorMessage);
    const body: ResponseBody<'brokerRegistration'> = { throttleTimeMs: 0, errorCode: code(outcome.errorName), errorMessage: outcome.errorMessage, brokerEpoch: -1, clusterId: context.state.clusterId };
    effects.run(() => respond(context, event.ref, body));
    return;
  }
  // The broker epoch is the offset its RegisterBroker record gets (Kafka's offsetControl.nextWriteOffset()).
  const withOffsets = nextOffsets(context, outcome.records);
  const state = replayAll(context.state, withOffsets);
  const broker = state.brokers[event.body.brokerId];
  if (broker === undefined) throw new Error(`broker ${event.body.brokerId} missing after registration`);
  const written = writeRecords(context, withOffsets, 'defer');
  if (!written.written) return refuseAsNotLeader(context, effects, event, written);
  const sessions = { ...context.sessions, [broker.brokerId]: { incarnationId: broker.incarnationId, expiresAtMs: now + context.config.brokerSessionTimeoutMs } };
  const propagation = { ...context.propagation, [broker.brokerId]: { brokerEpoch: broker.brokerEpoch, ackedOffset: -1, inFlightOffset: null, retryOnHeartbeat: false } };
  effects.assign({ state, sessions, propagation, uncleanLeaderElections: countUnclean(context, outcome.records) });
  if (outcome.records.length > 0) context.ports.logger.info({ brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch, url: broker.url }, 'broker registered');
  armSessionTimer(context, effects, broker.brokerId, broker.incarnationId);
  const body: ResponseBody<'brokerRegistration'> = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, brokerEpoch: broker.brokerEpoch, clusterId: state.clusterId };
  effects.run(() => respond(context, event.ref, body));
}

export function handleBrokerHeartbeat(context: ControllerContext, event: RequestOf<'brokerHeartbeat'>, effects: ControllerEffects): void {
  const shutdownOffset = context.sessions[event.body.brokerId]?.controlledShutdownOffset;
  // The broker's own report counts: it says which image it has applied.
  const reported = { ...context.propagation };
  const own = reported[event.body.brokerId];
  if (own !== undefined) reported[event.body.brokerId] = { ...own, ackedOffset: Math.max(own.ackedOffset, event.body.currentMetadataOffset) };
  const shutdownCaughtUp = shutdownOffset !== undefined && (lowestActiveOffset(context.state, reported) ?? shutdownOffset) >= shutdownOffset;
  const outcome = brokerHeartbeat(context.state, event.body, uncleanPolicy(context), shutdownCaughtUp);
  if (!outcome.ok) {
    const body: ResponseBody<'brokerHeartbeat'> = { throttleTimeMs: 0, errorCode: code(outcome.errorName), errorMessage: outcome.errorMessage, isCaughtUp: false, isFenced: true, shouldShutDown: false };
    effects.run(() => respond(context, event.ref, body));
    return;
  }
  const { brokerId } = event.body;
  const broker = context.state.brokers[brokerId];
  if (broker === undefined) return;
  const withOffsets = nextOffsets(context, outcome.records);
  const state = replayAll(context.state, withOffsets);
  const written = writeRecords(context, withOffsets, 'defer');
  if (!written.written) return refuseAsNotLeader(context, effects, event, written);
  const previous = context.propagation[brokerId];
  const propagation = {
    ...context.propagation,
    [brokerId]: {
      brokerEpoch: broker.brokerEpoch,
      ackedOffset: Math.max(previous?.ackedOffset ?? -1, event.body.currentMetadataOffset),
      inFlightOffset: previous?.inFlightOffset ?? null,
      retryOnHeartbeat: false,
    },
  };
  const shutDown = event.body.wantShutDown && state.brokers[brokerId]?.fenced === true;
  // Entering controlled shutdown now, or found in it with no offset (this controller restarted since): count from here.
  const enteredControlledShutdown = state.brokers[brokerId]?.inControlledShutdown === true && (!broker.inControlledShutdown || shutdownOffset === undefined);
  const sessions = {
    ...context.sessions,
    [brokerId]: {
      incarnationId: broker.incarnationId,
      expiresAtMs: context.ports.clock.now() + context.config.brokerSessionTimeoutMs,
      ...(enteredControlledShutdown ? { controlledShutdownOffset: state.metadataOffset } : shutdownOffset === undefined ? {} : { controlledShutdownOffset: shutdownOffset }),
    },
  };
  if (shutDown) {
    delete sessions[brokerId];
    delete propagation[brokerId];
  }
  effects.assign({ state, sessions, propagation, uncleanLeaderElections: countUnclean(context, outcome.records) });
  if (outcome.records.length > 0) {
    const after = state.brokers[brokerId];
    context.ports.logger.info({ brokerId, fenced: after?.fenced, inControlledShutdown: after?.inControlledShutdown }, 'broker status changed');
  }
  if (shutDown) effects.cancel(sessionTimerId(brokerId));
  else armSessionTimer(context, effects, brokerId, broker.incarnationId);
  const body: ResponseBody<'brokerHeartbeat'> = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, isCaughtUp: outcome.isCaughtUp, ...heartbeatStatus(state, brokerId, event.body.wantShutDown) };
  effects.run(() => respond(context, event.ref, body));
}

/** The broker was silent for broker.session.timeout.ms: it is fenced and its leadership moves. */
export function fenceExpiredBroker(context: ControllerContext, event: { brokerId: number }, effects: ControllerEffects): void {
  const records = sessionExpired(context.state, event.brokerId, uncleanPolicy(context));
  const withOffsets = nextOffsets(context, records);
  const state = replayAll(context.state, withOffsets);
  context.ports.logger.warn({ brokerId: event.brokerId, sessionTimeoutMs: context.config.brokerSessionTimeoutMs }, 'broker session expired: fencing it');
  const written = writeRecords(context, withOffsets, 'defer');
  if (!written.written) return effects.raise({ type: 'quorum.notLeader', leaderId: written.reason === 'notLeader' ? written.leaderId : undefined });
  const sessions = { ...context.sessions };
  delete sessions[event.brokerId];
  const propagation = { ...context.propagation };
  delete propagation[event.brokerId];
  effects.assign({ state, sessions, propagation, uncleanLeaderElections: countUnclean(context, records) });
}
