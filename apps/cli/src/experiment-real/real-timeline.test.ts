import { createSeededRandom } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import type { MemberProcess } from './member-process.js';
import type { RealCluster } from './real-cluster.js';
import { runTimeline, type TimelineContext } from './real-timeline.js';
import type { TimelineEvent, TraceEvent } from './simulation-adapter.js';

/** A member that records what the timeline did to it instead of signalling a process. */
function fakeMember(index: number, actions: string[]): MemberProcess {
  const member = {
    name: `app/member-${index}`,
    index,
    group: { name: 'app' },
    paused: false,
    running: true,
    isRunning: () => member.running,
    crash: async () => {
      member.running = false;
      actions.push(`crash ${member.name}`);
    },
    close: async () => {
      member.running = false;
      actions.push(`close ${member.name}`);
    },
    pause: () => {
      member.paused = true;
      actions.push(`pause ${member.name}`);
    },
    resume: () => {
      member.paused = false;
      actions.push(`resume ${member.name}`);
    },
  };
  return member as unknown as MemberProcess;
}

function fakeContext(members: MemberProcess[], actions: string[], trace: TraceEvent[]): TimelineContext {
  const cluster = { control: async (command: string, brokerId: number) => void actions.push(`${command} broker ${brokerId}`) } as unknown as RealCluster;
  return {
    cluster,
    nowMs: () => 0,
    emit: (event) => trace.push(event),
    liveMembers: () => members.filter((member) => member.isRunning()),
    startMember: (_group, index) => {
      const member = fakeMember(index ?? members.length, actions);
      actions.push(`start ${member.name}`);
      members.push(member);
      return member;
    },
    random: createSeededRandom(1),
    drawValue: (value) => (typeof value === 'number' ? value : 0),
    firstGroup: 'app',
    firstTopic: 'events',
    skipped: [],
  };
}

describe('the timeline against real processes', () => {
  it('crashes, closes, pauses and kills brokers as the events say, in time order', async () => {
    const actions: string[] = [];
    const trace: TraceEvent[] = [];
    const members = [0, 1, 2].map((index) => fakeMember(index, actions));
    const events: TimelineEvent[] = [
      { at: 2, action: 'member.leave', group: 'app', member: 2 },
      { at: 1, action: 'member.crash', group: 'app', count: 1 },
      { at: 3, action: 'member.pause', group: 'app', all: true, durationMs: 1 },
      { at: 4, action: 'broker.kill', broker: 1 },
      { at: 5, action: 'broker.restart', broker: 1 },
    ];
    await runTimeline(events, fakeContext(members, actions, trace));
    expect(actions).toEqual(['crash app/member-0', 'close app/member-2', 'pause app/member-1', 'resume app/member-1', 'kill broker 1', 'start broker 1']);
    expect(trace.map((event) => event.type)).toEqual([
      'timeline',
      'member.crashed',
      'timeline',
      'member.closed',
      'timeline',
      'member.paused',
      'member.resumed',
      'timeline',
      'broker.killed',
      'timeline',
      'broker.started',
    ]);
  });

  it('skips what real processes cannot do, and says so', async () => {
    const actions: string[] = [];
    const context = fakeContext([fakeMember(0, actions)], actions, []);
    await runTimeline(
      [
        { at: 0, action: 'network.partition', between: [['broker-0'], ['app']] },
        { at: 0, action: 'link.lossy', between: [['broker-0'], ['broker-1']], lossRate: 0.1 },
        { at: 0, action: 'member.slowPoll', group: 'app', member: 0, durationMs: 5_000 },
      ],
      context,
    );
    expect(actions).toEqual([]);
    expect(context.skipped.map((note) => note.split(' ')[0])).toEqual(['network.partition', 'link.lossy', 'member.slowPoll']);
  });

  it('restarts members in turn with the same indexes, member i stopped intervalMs x i after the action', async () => {
    const actions: string[] = [];
    const members = [0, 1].map((index) => fakeMember(index, actions));
    await runTimeline([{ at: 0, action: 'member.rollingRestart', group: 'app', intervalMs: 40, downMs: 5, clean: true }], fakeContext(members, actions, []));
    expect(actions).toEqual(['close app/member-0', 'start app/member-0', 'close app/member-1', 'start app/member-1']);
  });
});
