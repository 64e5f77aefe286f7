/**
 * The connection from a process to an inspector relay: an Adapter for @statelyai/inspect's
 * `createInspector`, in place of its WebSocketAdapter, whose retry after a failed connection is a plain
 * 5 s `setTimeout` that `stop()` does not cancel — a process inspecting a relay that is not there would
 * never exit. Here the retry runs on the injected clock (give it unref'd timers) and `stop()` ends it.
 *
 * Until the socket is open, events wait in a bounded buffer; actor registrations are kept apart from the
 * rest, because a viewer that misses an actor's registration cannot show its later snapshots.
 */
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { WebSocket } from 'ws';
import type { Clock, TimerHandle } from '../clock/clock.js';

/** How long to wait before reconnecting to a relay that is gone or not started yet. */
export const INSPECTION_RECONNECT_MS = 1_000;
/** Events other than actor registrations kept while disconnected; older ones are dropped. */
export const INSPECTION_DEFERRED_EVENTS_MAX = 1_000;
/** Actor registrations kept while disconnected. */
export const INSPECTION_DEFERRED_ACTORS_MAX = 10_000;

export interface InspectionSocketOptions {
  url: string;
  clock: Clock;
  stringify(event: StatelyInspectionEvent): string;
}

export class InspectionSocket {
  private socket: WebSocket | undefined;
  private retry: TimerHandle | undefined;
  private stopped = false;
  private readonly deferredActors = new Map<string, string>();
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
    if (this.connected) {
      this.socket?.send(message);
      return;
    }
    if (event.type === '@xstate.actor') {
      if (this.deferredActors.size < INSPECTION_DEFERRED_ACTORS_MAX) this.deferredActors.set(event.sessionId, message);
      return;
    }
    this.deferredEvents.push(message);
    if (this.deferredEvents.length > INSPECTION_DEFERRED_EVENTS_MAX) this.deferredEvents.shift();
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
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close();
    });
  }

  private flush(): void {
    for (const message of this.deferredActors.values()) this.socket?.send(message);
    for (const message of this.deferredEvents) this.socket?.send(message);
    this.deferredActors.clear();
    this.deferredEvents = [];
  }
}
