/**
 * Plays a recorded simulated run (./recorded-inspection.ts) into the dashboard's actor directory against
 * real time: at speed X, X simulated seconds pass per real second. Real waits between steps are the
 * CLI's business (library code never waits on the wall clock); each wait is short, so a pause, a step
 * or a stop takes effect at once.
 */
import type { InspectedActorDirectory } from './inspected-actors.js';
import type { RecordedEntry } from './recorded-inspection.js';

/** Longest single real wait: how soon a pause, a step or a stop is noticed, and how often the status updates. */
export const PLAYBACK_TICK_MS = 100;

export interface PlaybackControl {
  /** Simulated time shown now. */
  nowMs(): number;
  paused(): boolean;
  togglePause(): void;
  /** While paused: delivers the next recorded change (and everything at its same simulated time). */
  step(): void;
  stop(): void;
}

export interface PlaybackOptions {
  entries: readonly RecordedEntry[];
  directory: Pick<InspectedActorDirectory, 'receive' | 'disconnected'>;
  /** Simulated seconds per real second. */
  speed: number;
  /** Simulated time the playback starts from (the first entry's, by default). */
  startMs?: number;
  /** Where the playback ends (the run's end); default: the last entry's time. */
  endMs?: number;
  /** Wall-clock milliseconds (performance.now in the CLI). */
  realNow: () => number;
  wait: (ms: number) => Promise<void>;
  /** Called after every tick, for a status line. */
  onTick?: (control: PlaybackControl) => void;
}

export function playRecording(options: PlaybackOptions): { control: PlaybackControl; done: Promise<void> } {
  const { entries } = options;
  const startMs = options.startMs ?? entries[0]?.timeMs ?? 0;
  const endMs = Math.max(options.endMs ?? startMs, entries.at(-1)?.timeMs ?? startMs);
  let next = 0;
  let simulatedMs = startMs;
  let isPaused = false;
  let stopped = false;
  let stepRequested = false;
  // Simulated time = anchorSimulatedMs + (realNow - anchorRealMs) * speed; re-anchored on every pause and step.
  let anchorRealMs = options.realNow();
  let anchorSimulatedMs = startMs;

  const deliverUpTo = (timeMs: number) => {
    while (next < entries.length && (entries[next]?.timeMs ?? Infinity) <= timeMs) {
      const entry = entries[next] as RecordedEntry;
      if ('disconnect' in entry) options.directory.disconnected(entry.disconnect);
      else options.directory.receive(entry.connection, entry.message);
      next += 1;
    }
    simulatedMs = Math.max(simulatedMs, timeMs);
  };

  const control: PlaybackControl = {
    nowMs: () => simulatedMs,
    paused: () => isPaused,
    togglePause: () => {
      isPaused = !isPaused;
      anchorRealMs = options.realNow();
      anchorSimulatedMs = simulatedMs;
    },
    step: () => {
      if (isPaused) stepRequested = true;
    },
    stop: () => {
      stopped = true;
    },
  };

  const done = (async () => {
    deliverUpTo(startMs);
    while (!stopped && simulatedMs < endMs) {
      if (isPaused) {
        if (stepRequested) {
          stepRequested = false;
          deliverUpTo(entries[next]?.timeMs ?? endMs);
          anchorSimulatedMs = simulatedMs;
        }
      } else {
        const target = Math.min(endMs, anchorSimulatedMs + (options.realNow() - anchorRealMs) * options.speed);
        deliverUpTo(target);
      }
      options.onTick?.(control);
      if (simulatedMs >= endMs) break;
      const untilNextMs = isPaused ? PLAYBACK_TICK_MS : ((entries[next]?.timeMs ?? endMs) - simulatedMs) / options.speed;
      await options.wait(Math.max(1, Math.min(PLAYBACK_TICK_MS, untilNextMs)));
    }
    options.onTick?.(control);
  })();
  return { control, done };
}
