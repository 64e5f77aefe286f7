/**
 * Quorum mode (KRaft): the controller on a voter of the metadata quorum, Kafka's QuorumController. The Raft replica
 * tells it what is committed (`quorum.committed`), when this node becomes the leader with every committed record
 * replayed (`quorum.claimed`), when it stops leading (`quorum.renounced`) and how far each broker has applied the log
 * (`quorum.replicaProgress`). Standby controllers replay committed records only; the active one replays its own records
 * as it writes them (speculative state) and keeps the committed state beside it, to roll back to when it renounces
 * (Kafka's OffsetControlManager.deactivate reverting to the last committed snapshot).
 */
import { controllerApiRequestOf, notControllerResponseFor } from './admin-handling.js';
import { leaderImbalanceTimerId, propagationTimerId, respond, sessionTimerId, type ControllerContext, type ControllerEffects, type ControllerEvent, type ControllerRequestEvent } from './controller-context.js';
import { replayAll } from './metadata-state.js';
import { notActiveControllerMessage, notControllerResponse } from './not-controller.js';

type QuorumEventOf<T extends ControllerEvent['type']> = Extract<ControllerEvent, { type: T }>;

/** Committed records are replayed into the committed state, in order, once each; the high watermark only grows. */
export function replayCommittedRecords(context: ControllerContext, event: QuorumEventOf<'quorum.committed'>, effects: ControllerEffects): void {
  const beyond = event.records.find(({ offset }) => offset >= event.highWatermark);
  if (beyond !== undefined) throw new Error(`record at offset ${beyond.offset} delivered as committed below high watermark ${event.highWatermark}`);
  const committedState = replayAll(context.committedState, event.records);
  effects.assign({ committedState, highWatermark: Math.max(context.highWatermark, event.highWatermark) });
}

/**
 * A snapshot replaces the committed state (KIP-630); a standby adopts it next. The committed state never goes back:
 * a snapshot below the high watermark already replayed is a bug.
 */
export function loadCommittedSnapshot(context: ControllerContext, event: QuorumEventOf<'quorum.snapshotLoaded'>, effects: ControllerEffects): void {
  if (event.highWatermark < context.highWatermark) throw new Error(`a snapshot ending at ${event.highWatermark} is below the high watermark ${context.highWatermark} already replayed`);
  if (event.state.metadataOffset !== event.highWatermark - 1) throw new Error(`a snapshot ending at ${event.highWatermark} holds a state at offset ${event.state.metadataOffset}`);
  context.ports.logger.info({ highWatermark: event.highWatermark }, 'loaded a metadata snapshot');
  effects.assign({ committedState: event.state, highWatermark: event.highWatermark });
}

/** Kafka's LeaderNeverLoadSnapshot invariant: the active controller's state comes from its own log, never a snapshot. */
export function refuseSnapshotWhileActive(context: ControllerContext): never {
  throw new Error(`the active controller (node ${context.controllerId}) was asked to load a metadata snapshot: a leader never loads a metadata snapshot`);
}

/** A standby controller's state is the committed state. */
export function adoptCommittedState(context: ControllerContext, effects: ControllerEffects): void {
  effects.assign({ state: context.committedState });
}

/** A standby answers every controller API NOT_CONTROLLER, naming the controller it believes active (Kafka's ControllerExceptions). */
export function answerNotController(context: ControllerContext, event: ControllerRequestEvent, effects: ControllerEffects): void {
  const body = notControllerResponse(controllerApiRequestOf(event), notActiveControllerMessage(context.activeControllerId));
  effects.run(() => respond(context, event.ref, body));
}

/** Another node leads (or none does): remembered to name it in NOT_CONTROLLER answers. */
export function recordActiveController(event: QuorumEventOf<'quorum.renounced'>, effects: ControllerEffects): void {
  effects.assign({ activeControllerId: event.leaderId });
}

/** This node leads, with every committed record replayed: its state starts from the committed one (Kafka's claim). */
export function claimLeadership(context: ControllerContext, event: QuorumEventOf<'quorum.claimed'>, effects: ControllerEffects): void {
  context.ports.logger.info({ epoch: event.epoch, highWatermark: context.highWatermark, metadataOffset: context.committedState.metadataOffset }, 'became the active controller');
  effects.assign({ state: context.committedState, activeControllerId: context.controllerId, sessions: {}, propagation: {}, waiters: [] });
}

/**
 * Leadership lost (Kafka's renounce): every pending request is answered NOT_CONTROLLER, even though its records may
 * still commit under the next leader; timers are cancelled; the state rolls back to the committed one, and the soft
 * broker state (sessions, applied offsets) is dropped: the next active controller rebuilds its own.
 */
export function renounceLeadership(context: ControllerContext, event: QuorumEventOf<'quorum.renounced' | 'quorum.notLeader'>, effects: ControllerEffects): void {
  const activeControllerId = event.leaderId;
  context.ports.logger.warn({ activeControllerId, pending: context.waiters.length, rolledBackTo: context.committedState.metadataOffset, speculativeOffset: context.state.metadataOffset }, 'renounced: no longer the active controller');
  for (const waiter of context.waiters) {
    effects.cancel(propagationTimerId(waiter.id));
    const body = notControllerResponseFor(waiter, activeControllerId);
    effects.run(() => respond(context, waiter.ref, body));
  }
  const brokerIds = new Set([...Object.keys(context.sessions), ...Object.keys(context.state.brokers)].map(Number));
  for (const brokerId of brokerIds) effects.cancel(sessionTimerId(brokerId));
  effects.cancel(leaderImbalanceTimerId);
  effects.assign({ state: context.committedState, activeControllerId, sessions: {}, propagation: {}, waiters: [] });
}

/** How far a broker has applied the committed log (its fetches, KIP-1166): requests wait for every unfenced broker. */
export function recordReplicaProgress(context: ControllerContext, event: QuorumEventOf<'quorum.replicaProgress'>, effects: ControllerEffects): void {
  const broker = context.state.brokers[event.brokerId];
  // A fetching node that is not a registered, unfenced broker (yet) is nobody an answer waits for.
  if (broker === undefined || broker.fenced) return;
  const current = context.propagation[event.brokerId] ?? { brokerEpoch: broker.brokerEpoch, ackedOffset: -1, inFlightOffset: null, retryOnHeartbeat: false };
  if (context.propagation[event.brokerId] !== undefined && event.appliedOffset <= current.ackedOffset) return;
  effects.assign({ propagation: { ...context.propagation, [event.brokerId]: { ...current, ackedOffset: Math.max(current.ackedOffset, event.appliedOffset) } } });
}
