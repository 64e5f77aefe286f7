/**
 * `kactor experiment replay ... --dashboard`: the run's broker actors in the dashboard (the same page,
 * actor directory and statecharts as `kactor dashboard`), their states changing at their simulated times
 * paced against real time by --speed. The run is recorded as it executes (far faster than real time), then
 * played: on a terminal, space pauses and resumes, `n` steps to the next change while paused, `q` stops.
 */
import { performance } from 'node:perf_hooks';
import { systemClock } from '@kactor/runtime';
import { createInspectedActorDirectory } from '../dashboard/inspected-actors.js';
import { dashboardLimits } from '../dashboard/limits.js';
import { playRecording, type PlaybackControl } from '../dashboard/recorded-playback.js';
import { createInspectionRecorder, RECORDED_INSPECTION_MAX_ENTRIES } from '../dashboard/recorded-inspection.js';
import { startDashboardServer } from '../dashboard/server.js';
import { simulatedClusterSource } from '../dashboard/simulated-cluster-source.js';
import { createSimulatedGroups } from '../dashboard/simulated-groups.js';
import { createStatechartImages } from '../dashboard/statechart-images.js';
import { formatSeconds } from './experiment-output.js';
import type { OneRun, ReplayWatcher } from './experiment-replay.js';

/** The playback's real waits: the CLI's wall clock, never the simulated one. */
const realWait = (ms: number) => new Promise<void>((resolve) => systemClock.setTimeout(resolve, ms));

/** Starts the dashboard (printing its address first) and returns how the replay runs and plays in it. */
export async function dashboardWatcher(options: { speed: number; port: number }): Promise<ReplayWatcher> {
  const recorder = createInspectionRecorder();
  const statecharts = createStatechartImages();
  const actors = createInspectedActorDirectory({ maxActors: dashboardLimits.maxActors, maxRecentStates: dashboardLimits.maxRecentStates, machineNames: statecharts.machineNames });
  let playedMs = 0;
  let startMs = 0;
  // The status line counts from the workload's start, as the printed timeline does (the setup before it is negative).
  let zeroMs = 0;
  const groups = createSimulatedGroups(RECORDED_INSPECTION_MAX_ENTRIES);
  const source = simulatedClusterSource(recorder.brokers, () => playedMs, () => groups.groupsAt(playedMs - zeroMs, actors.list()));
  const server = await startDashboardServer({ source, actors, statecharts, port: options.port });
  process.stdout.write(`dashboard: ${server.url}\n`);
  let endMs: number | undefined;
  return {
    run: async (oneRun: OneRun) => {
      process.stderr.write('running the replay (recorded, then played in the dashboard)...\n');
      const result = await oneRun({
        inspect: recorder.inspect,
        onTrace: (event) => {
          recorder.onTrace(event);
          groups.observe(event);
        },
      });
      startMs = recorder.entries()[0]?.timeMs ?? 0;
      endMs = startMs + result.simulatedMs;
      zeroMs = recorder.workloadStartMs() ?? startMs;
      if (recorder.dropped() > 0) process.stderr.write(`the recording stopped after ${recorder.entries().length} inspection events (${recorder.dropped()} more not kept): the playback ends there\n`);
      return result;
    },
    afterPrint: async () => {
      try {
        await play(recorder.entries(), actors, options.speed, { startMs, endMs, zeroMs }, (control) => (playedMs = control.nowMs()));
      } finally {
        await server.close();
      }
    },
  };
}

type PlaybackOptions = Parameters<typeof playRecording>[0];

async function play(
  entries: PlaybackOptions['entries'],
  directory: PlaybackOptions['directory'],
  speed: number,
  { startMs, endMs, zeroMs }: { startMs: number; endMs: number | undefined; zeroMs: number },
  onTime: (control: PlaybackControl) => void,
): Promise<void> {
  const terminal = process.stdin.isTTY === true && process.stderr.isTTY === true;
  process.stderr.write(`playing at ${speed} simulated second${speed === 1 ? '' : 's'} per second${terminal ? ' (space: pause/resume, n: next change while paused, q: stop)' : ''}\n`);
  const status = (control: PlaybackControl) => {
    onTime(control);
    if (terminal) process.stderr.write(`\r${formatSeconds(control.nowMs() - zeroMs)} of ${formatSeconds((endMs ?? control.nowMs()) - zeroMs)}${control.paused() ? ' (paused)' : ''}   `);
  };
  const { control, done } = playRecording({ entries, directory, speed, startMs, ...(endMs === undefined ? {} : { endMs }), realNow: () => performance.now(), wait: realWait, onTick: status });
  let quit: () => void = () => undefined;
  const quitted = new Promise<void>((resolve) => (quit = resolve));
  const onKey = (key: Buffer) => {
    const text = key.toString();
    if (text === ' ') control.togglePause();
    else if (text === 'n') control.step();
    else if (text === 'q' || text === '\u0003') {
      control.stop();
      quit();
    }
  };
  const onSignal = () => {
    control.stop();
    quit();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (terminal) {
    process.stdin.setRawMode(true);
    process.stdin.on('data', onKey);
    process.stdin.resume();
  }
  try {
    await done;
    if (terminal) process.stderr.write('\n');
    process.stderr.write('played to the end of the run; the dashboard shows its last states until you stop it (q or Ctrl-C)\n');
    await quitted;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (terminal) {
      process.stdin.off('data', onKey);
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
  }
}
