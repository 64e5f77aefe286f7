/**
 * The connection from a process to an inspector relay: an Adapter for @statelyai/inspect's
 * `createInspector`, in place of its WebSocketAdapter, whose retry after a failed connection is a plain
 * 5 s `setTimeout` that `stop()` does not cancel — a process inspecting a relay that is not there would
 * never exit. Here the retry runs on the injected clock (give it unref'd timers) and `stop()` ends it.
 *
 * Until the socket is open, events wait in a bounded buffer. Every live actor's registration and latest
 * snapshot are kept apart from the rest and sent again on each (re)connection: a relay or dashboard that
 * restarted, or that started after the process, would otherwise never learn of actors registered before,
 * and could not show their later snapshots.
 *
 * An actor can be renamed after it registered (a consumer is named after its member id once the
 * coordinator gives it one): the kept registration is rewritten, so the relay learns the new name now and
 * again on every reconnection.
 */
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { WebSocket } from 'ws';
import type { Clock, TimerHandle } from '../clock/clock.js';

/** How long to wait before reconnecting to a relay that is gone or not started yet. */
export const INSPECTION_RECONNECT_MS = 1_000;
/** How long stop() waits for a connection still being opened, so the events kept until then are sent. */
export const INSPECTION_CLOSE_CONNECT_WAIT_MS = 2_000;
/** Events other than actor registrations kept while disconnected; older ones are dropped. */
export const INSPECTION_DEFERRED_EVENTS_MAX = 1_000;
/** Live actors whose registration and latest snapshot are kept for the next (re)connection. */
export const INSPECTION_DEFERRED_ACTORS_MAX = 10_000;

/** A snapshot status after which the actor is gone: nothing to register again (or to rename). */
export const finishedStatuses = new Set(['done', 'error', 'stopped']);

interface LiveActor {
  /** Rewritten when the actor is renamed; the latest version is what a reconnection sends. */
  registration: string;
  latestSnapshot: string | undefined;
  /** The latest snapshot is already waiting among the deferred events (sent in order with them). */
  latestSnapshotDeferred: boolean;
}

export interface InspectionSocketOptions {
  url: string;
  clock: Clock;
  stringify(event: StatelyInspectionEvent): string;
}

export class InspectionSocket {
  private socket: WebSocket | undefined;
  private retry: TimerHandle | undefined;
  private stopped = false;
  private readonly liveActors = new Map<string, LiveActor>();
  private deferredEvents: string[] = [];

  private url: string;

  constructor(private readonly options: InspectionSocketOptions) {
    this.url = options.url;
  }

  /** For a relay whose address is known only once it listens. */
  setUrl(url: string): void {
    this.url = url;
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (this.stopped || this.socket !== undefined) return;
    const socket = new WebSocket(this.url, { perMessageDeflate: false });
    this.socket = socket;
    socket.on('open', () => this.flush());
    socket.on('error', () => undefined); // 'close' follows and schedules the retry
    socket.on('close', () => {
      this.socket = undefined;
      if (this.stopped) return;
      this.retry = this.options.clock.setTimeout(() => {
        this.retry = undefined;
        this.start();
      }, INSPECTION_RECONNECT_MS);
    });
  }

  send(event: StatelyInspectionEvent): void {
    if (this.stopped) return;
    const message = this.options.stringify(event);
    const actor = this.remember(event, message);
    if (this.connected) {
      this.socket?.send(message);
      return;
    }
    // A registration goes out with its actor on the next connection; events and snapshots wait in order.
    if (event.type === '@xstate.actor' && actor !== undefined) return;
    if (actor !== undefined) actor.latestSnapshotDeferred = true;
    this.deferredEvents.push(message);
    if (this.deferredEvents.length > INSPECTION_DEFERRED_EVENTS_MAX) this.deferredEvents.shift();
  }

  /**
   * Gives a registered live actor a new name (`sessionId` as sent, with the process's prefix): its
   * registration goes out again with that name, now or, disconnected, on the next connection. The
   * registration also takes the latest snapshot sent, since it carries the one of when it was made and a
   * viewer shown it again would step back to that state; a latest snapshot still waiting among the deferred
   * events is left to them, which bring the actor forward in order. An actor whose registration has not
   * come through (or was not kept) is left alone: the caller names it in the registration itself.
   */
  renameActor(sessionId: string, name: string): void {
    if (this.stopped) return;
    const actor = this.liveActors.get(sessionId);
    if (actor === undefined) return;
    const registration = JSON.parse(actor.registration) as { name?: unknown };
    if (registration.name === name) return;
    const latest = actor.latestSnapshot === undefined || actor.latestSnapshotDeferred ? {} : { snapshot: (JSON.parse(actor.latestSnapshot) as { snapshot?: unknown }).snapshot };
    actor.registration = JSON.stringify({ ...registration, ...latest, name });
    if (this.connected) this.socket?.send(actor.registration);
  }

  /** Keeps a live actor's registration and latest snapshot; the actor when the message is one of those. */
  private remember(event: StatelyInspectionEvent, message: string): LiveActor | undefined {
    if (event.type === '@xstate.actor') {
      if (this.liveActors.size >= INSPECTION_DEFERRED_ACTORS_MAX) return undefined;
      const actor: LiveActor = { registration: message, latestSnapshot: undefined, latestSnapshotDeferred: false };
      this.liveActors.set(event.sessionId, actor);
      return actor;
    }
    if (event.type !== '@xstate.snapshot') return undefined;
    const actor = this.liveActors.get(event.sessionId);
    if (actor === undefined) return undefined;
    const status = (event.snapshot as { status?: unknown } | undefined)?.status;
    if (typeof status === 'string' && finishedStatuses.has(status)) {
      this.liveActors.delete(event.sessionId);
      return undefined;
    }
    actor.latestSnapshot = message;
    actor.latestSnapshotDeferred = false;
    return actor;
  }

  /** Closes the socket after what was sent is written; resolves once it is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry !== undefined) this.options.clock.clearTimeout(this.retry);
    this.retry = undefined;
    const socket = this.socket;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      if (socket.readyState !== WebSocket.CONNECTING) {
        socket.close();
        return;
      }
      // A short-lived process (`kactor produce` of a few lines) often stops before its first connection is
      // open: give the connection a bounded moment, so that what the process did still reaches the relay.
      const giveUp = this.options.clock.setTimeout(() => socket.terminate(), INSPECTION_CLOSE_CONNECT_WAIT_MS);
      socket.once('open', () => {
        this.options.clock.clearTimeout(giveUp);
        socket.close(); // after the 'open' handler above flushed everything kept
      });
      socket.once('close', () => this.options.clock.clearTimeout(giveUp));
    });
  }

  private flush(): void {
    for (const actor of this.liveActors.values()) {
      this.socket?.send(actor.registration);
      if (actor.latestSnapshot !== undefined && !actor.latestSnapshotDeferred) this.socket?.send(actor.latestSnapshot);
      actor.latestSnapshotDeferred = false;
    }
    for (const message of this.deferredEvents) this.socket?.send(message);
    this.deferredEvents = [];
  }
}
