/**
 * A scenario's timeline on real time against real processes: members join (a new `kactor consume`), leave
 * (SIGTERM: a clean close), crash (SIGKILL), pause (SIGSTOP, then SIGCONT after the duration) and restart
 * (one by one or at once); brokers are killed, stopped and started through `cluster up`'s control channel;
 * partitions are added with an Admin client. What real processes cannot do (network partitions, slow or lossy
 * links, a member that stops polling while its heartbeats go on) is skipped, and listed for the report.
 */
import { fork, type Random } from '@kactor/runtime';
import { sleep } from './cli-process.js';
import type { MemberProcess } from './member-process.js';
import type { RealCluster } from './real-cluster.js';
import type { Drawn, MemberSelector, TimelineAction, TimelineEvent, TraceEvent } from './simulation-adapter.js';

/** What the timeline acts on, provided by the run. */
export interface TimelineContext {
  cluster: RealCluster;
  /** The run's time so far, in ms since its start. */
  nowMs(): number;
  emit(event: TraceEvent): void;
  /** The live members of a group (running or paused), lowest index first. */
  liveMembers(group: string): MemberProcess[];
  /** Starts member `index` of `group` (a new one: the next unused index); `onStarted` once its consumer starts joining. */
  startMember(group: string, index?: number, onStarted?: (timeMs: number) => void): MemberProcess;
  /** The run's random: the timeline draws from its forks, labelled as the simulated runner's (timeline.ts). */
  random: Random;
  drawValue(value: Drawn, random: Random): number;
  /** What `broker: coordinator` and `broker: leader` refer to. */
  firstGroup: string | undefined;
  firstTopic: string | undefined;
  /** Timeline events real processes cannot reproduce, in words. */
  skipped: string[];
}

/** Runs every event at its time; resolves once every action (including restarts that outlast it) is done. */
export async function runTimeline(events: readonly TimelineEvent[], context: TimelineContext): Promise<void> {
  const times = fork(context.random, 'timeline/at');
  const scheduled = events.map((event, index) => ({ event, index, atMs: Math.round(context.drawValue(event.at, times)) })).sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  const running: Array<Promise<void>> = [];
  for (const { event, index, atMs } of scheduled) {
    await sleep(atMs - context.nowMs());
    running.push(
      applyAction(event, context, fork(context.random, `timeline/${index}`)).catch((error: unknown) => {
        context.emit({ type: 'run.error', timeMs: context.nowMs(), error: `${event.action} at ${Math.round(atMs)} ms: ${error instanceof Error ? error.message : String(error)}` });
      }),
    );
  }
  await Promise.all(running);
}

function selectMembers(context: TimelineContext, group: string, selector: MemberSelector, random: Random): MemberProcess[] {
  const live = context.liveMembers(group);
  if ('all' in selector) return live;
  if ('member' in selector) return live.filter((member) => member.index === selector.member);
  if (selector.drawn !== true) return live.slice(0, selector.count);
  const pool = [...live];
  const chosen: MemberProcess[] = [];
  while (chosen.length < selector.count && pool.length > 0) chosen.push(...pool.splice(random.nextInt(pool.length), 1));
  return chosen.sort((a, b) => a.index - b.index);
}

function announce(context: TimelineContext, action: string, detail: string, group?: string, members?: readonly MemberProcess[]): void {
  context.emit({ type: 'timeline', timeMs: context.nowMs(), action, detail, ...(group === undefined ? {} : { group }), ...(members === undefined ? {} : { members: members.map((member) => member.name) }) });
}

async function stopMember(context: TimelineContext, member: MemberProcess, clean: boolean): Promise<void> {
  if (clean) {
    await member.close();
    context.emit({ type: 'member.closed', timeMs: context.nowMs(), group: member.group.name, member: member.name });
  } else {
    context.emit({ type: 'member.crashed', timeMs: context.nowMs(), group: member.group.name, member: member.name });
    await member.crash();
  }
}

async function brokerAction(context: TimelineContext, command: 'kill' | 'stop' | 'start', brokerId: number): Promise<void> {
  await context.cluster.control(command, brokerId);
  const type = command === 'kill' ? 'broker.killed' : command === 'stop' ? 'broker.stopped' : 'broker.started';
  context.emit({ type, timeMs: context.nowMs(), broker: brokerId });
}

async function applyAction(event: TimelineAction, context: TimelineContext, random: Random): Promise<void> {
  switch (event.action) {
    case 'member.join': {
      // Announced when the first of them starts joining (see startMember), with every name it starts.
      let announced = false;
      const started: MemberProcess[] = [];
      const onStarted = (timeMs: number) => {
        if (announced) return;
        announced = true;
        context.emit({ type: 'timeline', timeMs, action: event.action, detail: `${event.count} member(s) join`, group: event.group, members: started.map((member) => member.name) });
      };
      for (let count = 0; count < event.count; count += 1) started.push(context.startMember(event.group, undefined, onStarted));
      return;
    }
    case 'member.leave':
    case 'member.crash': {
      const members = selectMembers(context, event.group, event, random);
      announce(context, event.action, `${members.length} member(s) ${event.action === 'member.leave' ? 'leave' : 'crash'}`, event.group, members);
      await Promise.all(members.map((member) => stopMember(context, member, event.action === 'member.leave')));
      return;
    }
    case 'member.pause': {
      const durationMs = Math.round(context.drawValue(event.durationMs, random));
      const members = selectMembers(context, event.group, event, random).filter((member) => !member.paused);
      announce(context, event.action, `${members.length} member(s) paused for ${Math.round(durationMs)} ms (SIGSTOP)`, event.group, members);
      for (const member of members) {
        member.pause();
        context.emit({ type: 'member.paused', timeMs: context.nowMs(), group: event.group, member: member.name, durationMs });
      }
      await sleep(durationMs);
      for (const member of members) {
        member.resume();
        context.emit({ type: 'member.resumed', timeMs: context.nowMs(), group: event.group, member: member.name });
      }
      return;
    }
    case 'member.rollingRestart': {
      const members = context.liveMembers(event.group);
      announce(context, event.action, `${members.length} member(s) restarted in turn (${event.clean ? 'closed' : 'killed'}, down ${event.downMs} ms, every ${event.intervalMs} ms)`, event.group, members);
      // Member i is stopped intervalMs x i after the action, as the simulated runner does, whatever the stops before
      // it cost: a real process's slow shutdown or start must not shift the rest of the timeline.
      await Promise.all(
        members.map(async (member, position) => {
          await sleep(position * event.intervalMs);
          await stopMember(context, member, event.clean);
          await sleep(event.downMs);
          context.startMember(event.group, member.index);
        }),
      );
      return;
    }
    case 'member.restart': {
      const members = selectMembers(context, event.group, event, random);
      announce(context, event.action, `${members.length} member(s) restarted at once (${event.clean ? 'closed' : 'killed'}, down ${event.downMs} ms)`, event.group, members);
      await Promise.all(members.map((member) => stopMember(context, member, event.clean)));
      await sleep(event.downMs);
      for (const member of members) context.startMember(event.group, member.index);
      return;
    }
    case 'broker.kill': {
      const brokerId = await resolveBroker(context, event.broker);
      announce(context, event.action, `broker ${brokerId} killed (SIGKILL)${typeof event.broker === 'string' ? `, the ${event.broker}` : ''}`);
      await brokerAction(context, 'kill', brokerId);
      return;
    }
    case 'broker.stop':
      announce(context, event.action, `broker ${event.broker} stopped (controlled shutdown)`);
      await brokerAction(context, 'stop', event.broker);
      return;
    case 'broker.restart':
      announce(context, event.action, `broker ${event.broker} started again`);
      await brokerAction(context, 'start', event.broker).catch(async (error: unknown) => {
        // A broker still running is restarted: stopped cleanly first, then started.
        if (!(error instanceof Error && error.message.includes('already running'))) throw error;
        await brokerAction(context, 'stop', event.broker);
        await brokerAction(context, 'start', event.broker);
      });
      return;
    case 'topic.addPartitions': {
      announce(context, event.action, `${event.topic} grows to ${event.partitions} partitions`);
      const [result] = await context.cluster.admin.createPartitions([{ name: event.topic, count: event.partitions }]);
      if (result?.error) throw result.error;
      context.emit({ type: 'topic.partitions', timeMs: context.nowMs(), topic: event.topic, partitions: event.partitions });
      return;
    }
    case 'member.slowPoll':
    case 'network.partition':
    case 'network.heal':
    case 'link.slow':
    case 'link.lossy':
      context.skipped.push(`${event.action} at ${Math.round(context.nowMs())} ms: ${skipReason[event.action]}`);
      return;
  }
}

const skipReason: Record<'member.slowPoll' | 'network.partition' | 'network.heal' | 'link.slow' | 'link.lossy', string> = {
  'member.slowPoll': 'the console consumer cannot stop polling while its heartbeats go on',
  'network.partition': 'real processes on 127.0.0.1 have no network to cut',
  'network.heal': 'real processes on 127.0.0.1 have no network to cut',
  'link.slow': 'real processes on 127.0.0.1 have no link to slow down',
  'link.lossy': 'real processes on 127.0.0.1 have no link to make lossy',
};

async function resolveBroker(context: TimelineContext, broker: number | 'coordinator' | 'leader'): Promise<number> {
  if (typeof broker === 'number') return broker;
  // As in the simulated runner: the coordinator of the scenario's first group, the leader of its first topic's partition 0.
  if (broker === 'coordinator') {
    if (context.firstGroup === undefined) throw new Error('broker.kill of the coordinator needs a group in the scenario');
    return context.cluster.coordinatorOf(context.firstGroup);
  }
  if (context.firstTopic === undefined) throw new Error('broker.kill of the leader needs a topic in the scenario');
  return context.cluster.leaderOf(context.firstTopic);
}
