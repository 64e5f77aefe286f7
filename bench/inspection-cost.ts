/**
 * What live inspection costs (issue 5), and that it costs nothing when off.
 * - XState in this process: events/s through one actor created
 *   with no inspect option, with `inspectionOff.inspect` (undefined: the path every uninspected kactor
 *   actor takes), with a no-op callback (what XState itself spends once anything observes), and inspected through createInspection to a relay — once with an event the filter keeps
 *   (converted, stringified and sent) and once with a high-rate one it drops. Inspected runs are timed until
 *   @statelyai/inspect's deferred conversions have run, so the figure includes them.
 * - A real cluster: the group coordinator's heartbeat rate (as in the `groups` part) with the brokers
 *   started without and with `--inspect` (heartbeats are filtered, so this is the cost of XState building
 *   inspection events and of the filter on a busy broker).
 */
import { createInspection, inspectionOff, startInspectionRelay, SystemClock, type InspectFn } from '@kactor/runtime';
import { assign, createActor, setup } from 'xstate';
import { startBenchCluster } from './cluster-process.js';
import { measureHeartbeats } from './heartbeat-throughput.js';

/** `flip` changes state (the filter keeps it); `app.poll` only counts, as a consumer's poll does (the filter drops it). */
const flipper = setup({
  types: { context: {} as { count: number }, events: {} as { type: 'flip' } | { type: 'app.poll' } },
  actions: { count: assign({ count: ({ context }) => context.count + 1 }) },
}).createMachine({
  id: 'flipper',
  context: { count: 0 },
  initial: 'a',
  on: { 'app.poll': { actions: 'count' } },
  states: {
    a: { on: { flip: { target: 'b', actions: 'count' } } },
    b: { on: { flip: { target: 'a', actions: 'count' } } },
  },
});

type Variant = 'no option' | 'off (inspect: undefined)' | 'no-op inspect callback' | 'on, kept events' | 'on, filtered events';

const drained = () => new Promise((resolve) => setTimeout(resolve, 0)); // after every 0 ms timer queued before it

async function eventsPerSecond(events: number, eventType: 'flip' | 'app.poll', inspect: InspectFn | undefined | 'absent'): Promise<number> {
  const started = performance.now();
  const actor = inspect === 'absent' ? createActor(flipper) : createActor(flipper, { inspect });
  actor.start();
  for (let index = 0; index < events; index += 1) actor.send({ type: eventType });
  if (inspect !== 'absent' && inspect !== undefined) await drained();
  const seconds = (performance.now() - started) / 1000;
  actor.stop();
  return events / seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export interface InspectionCostResult {
  actor: Array<{ variant: Variant; eventsPerSecond: number; runs: number[] }>;
  heartbeats: { off: number; on: number; offRuns: number[]; onRuns: number[] };
}

export async function measureInspectionCost(options: { basePort: number; events: number; rounds: number; heartbeatDurationMs: number }): Promise<InspectionCostResult> {
  const relay = await startInspectionRelay({ host: '127.0.0.1', port: 0 });
  try {
    const inspection = createInspection({ url: relay.url, clock: new SystemClock({ unrefTimers: true }) });
    const variants: Array<[Variant, () => Promise<number>]> = [
      ['no option', () => eventsPerSecond(options.events, 'flip', 'absent')],
      ['off (inspect: undefined)', () => eventsPerSecond(options.events, 'flip', inspectionOff.inspect)],
      // XState's own share: it builds microstep, action, event and snapshot records for any observer.
      ['no-op inspect callback', () => eventsPerSecond(options.events, 'app.poll', () => undefined)],
      ['on, kept events', () => eventsPerSecond(options.events, 'flip', inspection.inspect)],
      ['on, filtered events', () => eventsPerSecond(options.events, 'app.poll', inspection.inspect)],
    ];
    const runs = new Map<Variant, number[]>(variants.map(([variant]) => [variant, []]));
    await eventsPerSecond(options.events, 'flip', 'absent'); // warm-up: JIT
    // Rounds alternate the variants, so a slower stretch of a shared machine hits all of them alike.
    for (let round = 0; round < options.rounds; round += 1) for (const [variant, run] of variants) runs.get(variant)?.push(await run());
    await inspection.close();

    const heartbeatRuns = async (extraArgs: string[]) => {
      // Three runs on one cluster; the median, since a shared machine's load comes and goes.
      const cluster = await startBenchCluster(options.basePort, ['group.initial.rebalance.delay.ms=0'], extraArgs);
      try {
        const rates: number[] = [];
        for (let run = 0; run < 3; run += 1) {
          const result = await measureHeartbeats(cluster.bootstrap, { groupId: `bench-inspect-${run}`, members: 100, durationMs: options.heartbeatDurationMs, inFlight: 50 });
          rates.push(result.heartbeatsPerSecond);
        }
        return rates;
      } finally {
        await cluster.stop();
      }
    };
    const offRuns = await heartbeatRuns([]);
    const onRuns = await heartbeatRuns(['--inspect', relay.url]);
    return {
      actor: variants.map(([variant]) => ({ variant, eventsPerSecond: median(runs.get(variant) ?? []), runs: runs.get(variant) ?? [] })),
      heartbeats: { off: median(offRuns), on: median(onRuns), offRuns, onRuns },
    };
  } finally {
    await relay.close();
  }
}
