/**
 * The inspection port: what every `createActor` call gets as XState's `inspect` option. Off by default,
 * and off means `inspect: undefined`, so XState builds no inspection events at all (not even calls a
 * no-op): an uninspected process pays nothing. On, events pass the filter (inspection-filter.ts), are
 * converted by @statelyai/inspect into the Stately Inspector's format, and go to a relay over an
 * InspectionSocket. Actor code never opens the socket: the process that wires the actors does.
 */
import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import type { Clock } from '../clock/clock.js';
import { finishedStatuses, INSPECTION_DEFERRED_ACTORS_MAX, InspectionSocket } from '../transport/inspection-socket.js';
import { createInspectionFilter, reduceSnapshot, type InspectedSnapshot } from './inspection-filter.js';

export type InspectFn = (event: InspectionEvent) => void;

export interface Inspection {
  /** XState's `inspect` option; undefined when inspection is off. */
  readonly inspect: InspectFn | undefined;
  /**
   * Lists an inspected actor under a new name from now on, for a name known only after the actor exists
   * (a consumer's member id): its registration is sent again with that name. Does nothing when inspection
   * is off or closed.
   */
  rename(actorRef: AnyActorRef, id: string): void;
  /** Stops sending; what was already converted is written before the socket closes. */
  close(): Promise<void>;
}

export const inspectionOff: Inspection = { inspect: undefined, rename: () => undefined, close: async () => undefined };

/** Depth at which @statelyai/inspect cuts nested values when stringifying (its default is 10). */
const SERIALIZATION_DEPTH_MAX = 8;

export interface InspectionOptions {
  /** The relay, e.g. `ws://127.0.0.1:9170`; a promise when the relay is still starting. */
  url: string | Promise<string>;
  /** Runs reconnect timers; give it unref'd timers so a missing relay does not keep the process alive. */
  clock: Clock;
  /**
   * Put before every session id (`x:3` becomes `<prefix>x:3`). XState numbers sessions per process, so
   * two processes streaming to one relay would otherwise show as one actor per number.
   */
  sessionPrefix?: string | undefined;
  /** The shared secret, presented to a relay or dashboard that asks for it (as to brokers). */
  secret?: string | undefined;
  /** Why the connection to the relay failed, once per kind of failure (a wrong URL must not be silent). */
  onConnectionError?: ((message: string) => void) | undefined;
}

export function createInspection(options: InspectionOptions): Inspection {
  const sessionPrefix = options.sessionPrefix ?? '';
  const socket = new InspectionSocket({ url: '', clock: options.clock, stringify: stringifyForViewer, secret: options.secret, onConnectionError: options.onConnectionError });
  const names = new RenamedActors();
  const inspector = createInspector(
    { send: (event: StatelyInspectionEvent) => socket.send(event) },
    {
      serializationDepthLimit: SERIALIZATION_DEPTH_MAX,
      // Actor registrations carry the actor's full snapshot (the converter reads it from the actor itself).
      serialize: (event) => {
        // Looked up before the prefix: rename() knows the actor's own session id.
        const named = names.apply(event);
        const prefixed = withSessionPrefix(named, sessionPrefix);
        return prefixed.type === '@xstate.actor' ? { ...prefixed, snapshot: reduceSnapshot(prefixed.snapshot as Partial<InspectedSnapshot>) } : prefixed;
      },
    },
  );
  let closed = false;
  void Promise.resolve(options.url).then(
    (url) => {
      if (closed) return;
      socket.setUrl(url);
      socket.start();
    },
    () => undefined, // the relay failed to start: the process reports it; events are dropped
  );
  const filter = createInspectionFilter();
  return {
    inspect: (event) => {
      if (closed) return;
      const kept = filter(event);
      if (kept !== undefined) inspector.inspect.next?.(kept);
    },
    rename: (actorRef, id) => {
      if (closed) return;
      // Both, because the registration may still be waiting for conversion (a later macrotask): then the
      // socket has nothing to rename yet and the name is applied as the registration passes serialize.
      names.set(actorRef.sessionId, id);
      socket.renameActor(`${sessionPrefix}${actorRef.sessionId}`, id);
    },
    close: async () => {
      closed = true;
      // @statelyai/inspect converts each event on a later macrotask; let those already queued reach the socket.
      await new Promise<void>((resolve) => options.clock.setTimeout(resolve, 0));
      await socket.stop();
    },
  };
}

/**
 * The names given by rename(), by the actor's own (unprefixed) session id, applied to its registration
 * when that is converted. An entry goes when the actor's finished snapshot passes; at most
 * INSPECTION_DEFERRED_ACTORS_MAX are kept (the oldest goes first), as many as the socket keeps actors.
 */
class RenamedActors {
  private readonly names = new Map<string, string>();

  set(sessionId: string, name: string): void {
    this.names.delete(sessionId); // so that the map's order is the order of the latest renames
    this.names.set(sessionId, name);
    if (this.names.size > INSPECTION_DEFERRED_ACTORS_MAX) this.names.delete(this.names.keys().next().value as string);
  }

  apply(event: StatelyInspectionEvent): StatelyInspectionEvent {
    if (this.names.size === 0) return event;
    const name = this.names.get(event.sessionId);
    if (name === undefined) return event;
    if (event.type === '@xstate.actor') return { ...event, name };
    const status = event.type === '@xstate.snapshot' ? (event.snapshot as { status?: unknown } | undefined)?.status : undefined;
    if (typeof status === 'string' && finishedStatuses.has(status)) this.names.delete(event.sessionId);
    return event;
  }
}

/**
 * JSON for the viewer that never throws: functions vanish, bigints become strings, bytes become their
 * length (a record batch as a JSON array of numbers would dwarf everything else), and an object seen
 * before becomes "[seen]" (cycles; the events are small enough that shared references are rare).
 */
export function stringifyForViewer(event: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(event, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function') return undefined;
    if (value instanceof Uint8Array) return { bytes: value.byteLength };
    if (isBufferJson(value)) return { bytes: value.data.length }; // Buffer.toJSON ran before the replacer
    if (value !== null && typeof value === 'object') {
      if (seen.has(value)) return '[seen]';
      seen.add(value);
      if (value instanceof Map) return Object.fromEntries(value);
      if (value instanceof Set) return [...value];
    }
    return value;
  });
}

function isBufferJson(value: unknown): value is { type: 'Buffer'; data: unknown[] } {
  return value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data);
}

/** Every reference to a session (its own, its parent's, its root's, an event's source) gets the prefix. */
export function withSessionPrefix(event: StatelyInspectionEvent, prefix: string): StatelyInspectionEvent {
  if (prefix === '') return event;
  const add = <T extends string | undefined>(id: T): T => (id === undefined ? id : (`${prefix}${id}` as T));
  const sessionId = add(event.sessionId);
  if (event.type === '@xstate.actor') return { ...event, sessionId, rootId: add(event.rootId), parentId: add(event.parentId) };
  if (event.type === '@xstate.event') return { ...event, sessionId, rootId: add(event.rootId), sourceId: add(event.sourceId) };
  return { ...event, sessionId, rootId: add(event.rootId) };
}
