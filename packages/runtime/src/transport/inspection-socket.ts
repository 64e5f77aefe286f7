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
 *
 * A connection that fails is reported once through `onConnectionError` (issue 10: a wrong `--inspect` URL
 * used to be silent), with what failed: nothing listening, an HTTP answer instead of a handshake (a wrong
 * path is 404, a missing secret 401), or a kactor broker's port (its handshake carries NODE_ENDPOINT_HEADER).
 * A WebSocket server without INSPECTION_ENDPOINT_HEADER that is not a broker may be any relay speaking
 * Stately's inspection events: the socket streams to it and says so once. The retries go on quietly; a new
 * kind of failure, or the same one after a success, is reported again.
 */
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { Clock, TimerHandle } from '../clock/clock.js';
import { NODE_ENDPOINT_HEADER } from './constants.js';
import { INSPECTION_ENDPOINT_HEADER } from './inspection-access.js';
import { bearerHeader } from './secret.js';

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
  /** Presented as `Authorization: Bearer` (as to brokers) to an endpoint protected by the shared secret. */
  secret?: string | undefined;
  /** One line saying why a connection failed; once per kind of failure (see above). */
  onConnectionError?: ((message: string) => void) | undefined;
}

export class InspectionSocket {
  private socket: WebSocket | undefined;
  private retry: TimerHandle | undefined;
  private stopped = false;
  private readonly liveActors = new Map<string, LiveActor>();
  private deferredEvents: string[] = [];
  /** The failure last reported, so a retry failing the same way says nothing new. */
  private reportedFailure: string | undefined;

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
    const url = this.url;
    const headers = this.options.secret === undefined ? undefined : { authorization: bearerHeader(this.options.secret) };
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, { perMessageDeflate: false, ...(headers === undefined ? {} : { headers }) });
    } catch (error) {
      // A URL ws cannot use at all (the CLI checks the scheme; this is the rest): no retry would help.
      this.report(`cannot connect to ${url}: ${error instanceof Error ? error.message : String(error)}; not inspecting`);
      return;
    }
    this.socket = socket;
    let peer: 'inspection' | 'node' | 'unknown' = 'unknown';
    socket.on('upgrade', (response: IncomingMessage) => {
      if (response.headers[INSPECTION_ENDPOINT_HEADER] !== undefined) peer = 'inspection';
      else if (response.headers[NODE_ENDPOINT_HEADER] !== undefined) peer = 'node';
    });
    socket.on('open', () => {
      if (peer === 'node') {
        this.report(`${url} is a kactor broker, not an inspection endpoint (give a relay's or the dashboard's address); retrying every ${INSPECTION_RECONNECT_MS / 1000} s`);
        socket.terminate();
        return;
      }
      // A WebSocket server that does not name itself may be any relay speaking Stately's inspection events
      // (@statelyai/inspect's own, a user's): stream to it, and say once that it is not kactor's.
      if (peer === 'unknown') this.report(`${url} is not a kactor relay or dashboard; streaming to it as to any Stately inspection server`);
      else this.reportedFailure = undefined;
      this.flush();
    });
    socket.on('error', (error) => this.report(`cannot connect to ${url}: ${failureOf(error)}; retrying every ${INSPECTION_RECONNECT_MS / 1000} s`)); // 'close' follows and schedules the retry
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

  private report(message: string): void {
    if (this.stopped || message === this.reportedFailure) return;
    this.reportedFailure = message;
    this.options.onConnectionError?.(message);
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

/** What a failed connection attempt means to the user, from ws's error. */
function failureOf(error: Error): string {
  const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
  if (status === '404') return 'HTTP 404 (nothing receives inspection at this path: give a relay\'s or the dashboard\'s address)';
  if (status === '401') return 'HTTP 401 (the endpoint wants the shared secret: --secret-file or KACTOR_SECRET)';
  if (status === '403') return 'HTTP 403 (refused: another Host or Origin)';
  if (status !== undefined) return `HTTP ${status}`;
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' ? 'nothing is listening there (ECONNREFUSED)' : error.message;
}
