/**
 * Decides which of XState's inspection events a viewer gets, before @statelyai/inspect defers and
 * stringifies them (its own `filter` runs only after that work, so filtering there saves nothing).
 *
 * Kept: actor created, events, snapshots — what the Stately Inspector draws. Dropped:
 * - `@xstate.microstep` and `@xstate.action` (XState internals; the inspector ignores them anyway);
 * - high-rate events (heartbeats, polls, produce appends, high watermark moves, replication fetches): the event itself, and
 *   the snapshot it caused unless that snapshot's state value changed — so a heartbeat answered
 *   REBALANCE_IN_PROGRESS that moves a consumer from `stable` to `joining` still shows.
 * Snapshots are reduced to `{status, value, context, output, error}` with the injected `ports` removed:
 * loggers, logs and sockets are not state, and serialising them is most of the cost.
 */
import type { ActorRefLike, InspectionEvent } from 'xstate';

/** Events that arrive every heartbeat interval, every poll, or every produce request. */
export const HIGH_RATE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'app.poll',
  'timer.heartbeatDue',
  'request.heartbeat',
  'response.heartbeat',
  'heartbeat.sendNow',
  'heartbeat.succeeded',
  'request.brokerHeartbeat',
  'produce.append',
  'produce.completed',
  'timer.produceExpired',
  'partition.highWatermarkAdvanced',
  'request.offsetCommit',
  'records.appended',
  // Replication: every follower fetch at the leader, every answer at the follower and its fetcher.
  'replica.fetch',
  'follower.fetchResponse',
  'fetch.responded',
]);

export interface InspectedSnapshot {
  status: 'active' | 'done' | 'error' | 'stopped';
  value: unknown;
  context: unknown;
  output?: unknown;
  error?: unknown;
}

/** Returns the event to forward (possibly reduced), or undefined to drop it. */
export type InspectionFilter = (event: InspectionEvent) => InspectionEvent | undefined;

export function createInspectionFilter(): InspectionFilter {
  // The last state value forwarded per actor, to let through a high-rate event's snapshot that changed it.
  const lastValue = new WeakMap<ActorRefLike, string>();
  const firstSnapshot = new WeakMap<ActorRefLike, unknown>();
  return (event) => {
    if (event.type !== '@xstate.actor' && event.type !== '@xstate.event' && event.type !== '@xstate.snapshot') return undefined;
    if (event.type === '@xstate.actor') return withFirstSnapshot(event, firstSnapshot);
    const highRate = HIGH_RATE_EVENT_TYPES.has(event.event.type);
    if (event.type === '@xstate.event') return highRate ? undefined : event;
    const snapshot = event.snapshot as Partial<InspectedSnapshot>;
    if (!firstSnapshot.has(event.actorRef)) firstSnapshot.set(event.actorRef, snapshot);
    const value = JSON.stringify(snapshot.value ?? null);
    const unchanged = lastValue.get(event.actorRef) === value;
    if (highRate && unchanged) return undefined;
    lastValue.set(event.actorRef, value);
    return { ...event, snapshot: reduceSnapshot(snapshot) as unknown as typeof event.snapshot };
  };
}

export function reduceSnapshot(snapshot: Partial<InspectedSnapshot> | undefined): InspectedSnapshot {
  if (snapshot === undefined) return { status: 'active', value: undefined, context: undefined };
  const reduced: InspectedSnapshot = { status: snapshot.status ?? 'active', value: snapshot.value, context: withoutPorts(snapshot.context) };
  if (snapshot.output !== undefined) reduced.output = snapshot.output;
  if (snapshot.error !== undefined) reduced.error = snapshot.error instanceof Error ? { name: snapshot.error.name, message: snapshot.error.message } : snapshot.error;
  return reduced;
}

function withoutPorts(context: unknown): unknown {
  if (context === null || typeof context !== 'object' || !('ports' in context)) return context;
  const { ports: _ports, ...rest } = context as Record<string, unknown>;
  return rest;
}

/**
 * @statelyai/inspect converts events a macrotask later and reads a new actor's snapshot from the actor
 * then, by which time it may have moved on (a consumer is already `joining` when its registration is
 * converted): the viewer would start from the wrong state and then see the initial one. XState announces
 * the actor before its first snapshot exists, so the registration is given the actor's first snapshot
 * (the one after `xstate.init`), recorded when it passes.
 */
function withFirstSnapshot(event: InspectionEvent & { type: '@xstate.actor' }, firstSnapshot: WeakMap<ActorRefLike, unknown>): InspectionEvent {
  const actorRef = event.actorRef as ActorRefLike & { getSnapshot(): unknown };
  const frozen = Object.create(actorRef, { getSnapshot: { value: () => firstSnapshot.get(actorRef) ?? actorRef.getSnapshot() } }) as typeof event.actorRef;
  return { ...event, actorRef: frozen };
}
