/**
 * The inspection of a simulated run, recorded for the dashboard: every broker actor's registration and
 * state changes, as the inspection messages a real `--inspect` process sends (the @statelyai/inspect format
 * the InspectedActorDirectory reads), each stamped with the simulated time it happened at.
 *
 * The simulation runs all brokers in one process, far faster than real time, so the run is recorded as it
 * goes and played back against real time (./recorded-playback.ts): the page sees each state at its own
 * simulated time, scaled by the replay's speed, exactly as the run went (the same seed gives the same run).
 *
 * XState numbers session ids per actor system (each root actor has its own), so each system gets its own
 * connection number, as each process has its own connection to a real dashboard; a killed or stopped
 * broker's connections close at that moment, as a killed process's socket does.
 */
import { createInspectionFilter } from '@kactor/runtime';
import type { AnyActorRef, InspectionEvent } from 'xstate';

export type RecordedEntry = { timeMs: number; connection: number; message: string } | { timeMs: number; disconnect: number };

/** A broker's process: alive from `startedMs`, dead from `stoppedMs` (a kill or a clean stop). */
export interface RecordedBroker {
  id: number;
  lives: Array<{ startedMs: number; stoppedMs?: number }>;
}

/** The trace events the recorder reads (the runner's TraceEvent, structurally). */
export type BrokerTrace = { type: string; broker?: number };

/** Bounds a long run's recording: a run past it is played up to where the recording stopped. */
export const RECORDED_INSPECTION_MAX_ENTRIES = 2_000_000;

export interface InspectionRecorder {
  /** The runner's RunOptions.inspect. */
  inspect(event: InspectionEvent): void;
  /** The runner's RunOptions.onTrace: broker kills, stops and starts. */
  onTrace(event: BrokerTrace): void;
  entries(): readonly RecordedEntry[];
  brokers(): readonly RecordedBroker[];
  /** Entries beyond the bound, not kept. */
  dropped(): number;
  /** The simulated time the workload started at (`run.started`), which the timeline's times count from. */
  workloadStartMs(): number | undefined;
}

interface ClockLike {
  now(): number;
}

/** The clock an actor runs on: kactor gives every actor its (simulated) process clock through createActor's `clock`. */
function clockOf(actorRef: AnyActorRef): ClockLike | undefined {
  const clock = (actorRef.system as { _clock?: Partial<ClockLike> } | undefined)?._clock;
  return typeof clock?.now === 'function' ? (clock as ClockLike) : undefined;
}

export function createInspectionRecorder(maxEntries: number = RECORDED_INSPECTION_MAX_ENTRIES): InspectionRecorder {
  const filter = createInspectionFilter();
  const entries: RecordedEntry[] = [];
  const connections = new WeakMap<object, number>();
  const brokerOfConnection = new Map<number, number>();
  const brokers = new Map<number, RecordedBroker>();
  // Registrations wait for the actor's first snapshot: XState announces an actor before it has one.
  const pending = new WeakMap<AnyActorRef, { name: string; definition: string }>();
  let lastClock: ClockLike | undefined;
  let dropped = 0;
  let workloadStartMs: number | undefined;

  const push = (entry: RecordedEntry) => {
    if (entries.length >= maxEntries) dropped += 1;
    else entries.push(entry);
  };
  const connectionOf = (actorRef: AnyActorRef): number => {
    const system = actorRef.system as object;
    let connection = connections.get(system);
    if (connection === undefined) {
      connection = brokerOfConnection.size + 1;
      connections.set(system, connection);
      const broker = /^broker-(\d+)\//.exec(actorRef.id)?.[1];
      brokerOfConnection.set(connection, broker === undefined ? -1 : Number(broker));
    }
    return connection;
  };
  const brokerSeen = (id: number, timeMs: number) => {
    if (!brokers.has(id)) brokers.set(id, { id, lives: [{ startedMs: timeMs }] });
  };

  return {
    inspect: (event) => {
      const kept = filter(event);
      if (kept === undefined || (kept.type !== '@xstate.actor' && kept.type !== '@xstate.snapshot')) return;
      const actorRef = event.actorRef as AnyActorRef;
      const clock = clockOf(actorRef);
      if (clock === undefined) return; // not a kactor actor on the simulated clock: its time is unknown
      lastClock = clock;
      const timeMs = clock.now();
      const connection = connectionOf(actorRef);
      const broker = brokerOfConnection.get(connection) ?? -1;
      if (broker >= 0) brokerSeen(broker, timeMs);
      if (kept.type === '@xstate.actor') {
        const config = (actorRef as unknown as { logic?: { config?: { id?: unknown } } }).logic?.config;
        const machineId = typeof config?.id === 'string' ? config.id : undefined;
        const name = actorRef.id === actorRef.sessionId && machineId !== undefined ? machineId : actorRef.id;
        pending.set(actorRef, { name, definition: JSON.stringify({ id: machineId ?? name }) });
        return;
      }
      const { value, status } = kept.snapshot as { value?: unknown; status?: unknown };
      const snapshot = { value: value ?? null, status: typeof status === 'string' ? status : 'active' };
      const registration = pending.get(actorRef);
      if (registration !== undefined) {
        pending.delete(actorRef);
        push({ timeMs, connection, message: JSON.stringify({ type: '@xstate.actor', sessionId: actorRef.sessionId, ...registration, snapshot }) });
        return;
      }
      push({ timeMs, connection, message: JSON.stringify({ type: '@xstate.snapshot', sessionId: actorRef.sessionId, snapshot }) });
    },
    onTrace: (event) => {
      if (lastClock === undefined) return;
      const timeMs = lastClock.now();
      if (event.type === 'run.started') workloadStartMs = timeMs;
      if (event.broker === undefined) return;
      if (event.type === 'broker.started') {
        const known = brokers.get(event.broker);
        if (known === undefined) brokers.set(event.broker, { id: event.broker, lives: [{ startedMs: timeMs }] });
        else if (known.lives.at(-1)?.stoppedMs !== undefined) known.lives.push({ startedMs: timeMs });
        return;
      }
      if (event.type !== 'broker.killed' && event.type !== 'broker.stopped') return;
      const life = brokers.get(event.broker)?.lives.at(-1);
      if (life !== undefined && life.stoppedMs === undefined) life.stoppedMs = timeMs;
      for (const [connection, broker] of brokerOfConnection) {
        if (broker !== event.broker) continue;
        push({ timeMs, disconnect: connection });
        brokerOfConnection.set(connection, -2); // closed: a restarted broker's actors come on new connections
      }
    },
    entries: () => entries,
    brokers: () => [...brokers.values()].sort((a, b) => a.id - b.id),
    dropped: () => dropped,
    workloadStartMs: () => workloadStartMs,
  };
}
