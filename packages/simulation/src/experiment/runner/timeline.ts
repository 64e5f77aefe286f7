/**
 * The scenario's timeline, applied to the running cluster: each event is resolved when its time comes (members and
 * brokers named, drawn values fixed, from the event's own fork of the run's random), traced as a `timeline` event,
 * then applied through the same operations a test or an operator would use: a consumer closed or killed, a process
 * paused, a broker killed or shut down, links cut, partitions added with the Admin client.
 */
import type { Admin } from '@kactor/client';
import type { Random } from '@kactor/runtime';
import { controllerRecord, replicaViews } from '../../replica-state.js';
import type { MemberSelector, TimelineAction, TimelineEvent } from '../model.js';
import { drawValue } from '../scenario/index.js';
import type { Agenda } from './agenda.js';
import type { ExperimentGroup } from './experiment-group.js';
import type { ExperimentMember } from './member.js';
import type { RunContext } from './run-context.js';

const linkKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** A timeline event that cannot be applied to this scenario (an unknown group, a broker that does not exist). */
export class TimelineError extends Error {
  override readonly name = 'TimelineError';
}

export class Timeline {
  /** Links the timeline made faulty and has not healed yet (network.heal heals these, not a paused process's isolation). */
  private readonly faultyLinks = new Map<string, [string, string]>();

  constructor(
    private readonly run: RunContext,
    private readonly groups: ReadonlyMap<string, ExperimentGroup>,
    private readonly admin: Admin,
    private readonly agenda: Agenda,
  ) {}

  /** Puts every event on the agenda at its time (drawn `at`s drawn now, in the scenario's order). */
  schedule(events: readonly TimelineEvent[]): void {
    const times = this.run.randomFor('timeline/at');
    events.forEach((event, index) => {
      const atMs = Math.round(drawValue(event.at, times));
      this.agenda.add(atMs, () => this.apply(event, this.run.randomFor(`timeline/${index}`)));
    });
  }

  /** Heals every link the timeline made faulty (the drain phase's first step). */
  healLinks(): void {
    for (const [a, b] of this.faultyLinks.values()) this.run.cluster.faults.healLink(a, b);
    this.faultyLinks.clear();
  }

  private async apply(event: TimelineAction, random: Random): Promise<void> {
    const { trace } = this.run;
    const nowMs = trace.now();
    switch (event.action) {
      case 'member.join': {
        const group = this.group(event.group);
        const names = Array.from({ length: event.count }, (_, n) => `${group.name}/member-${group.members.length + n}`);
        trace.write({ type: 'timeline', action: event.action, detail: `${event.count} member(s) join`, group: group.name, members: names });
        group.join(event.count);
        return;
      }
      case 'member.leave':
      case 'member.crash': {
        const group = this.group(event.group);
        const members = this.select(group, event, random);
        trace.write({ type: 'timeline', action: event.action, detail: event.action === 'member.leave' ? 'closed' : 'killed (kill -9)', group: group.name, members: names(members) });
        for (const member of members) {
          if (event.action === 'member.leave') void member.close();
          else member.crash();
        }
        return;
      }
      case 'member.pause':
      case 'member.slowPoll': {
        const group = this.group(event.group);
        const members = this.select(group, event, random);
        const durationMs = Math.round(drawValue(event.durationMs, random));
        trace.write({ type: 'timeline', action: event.action, detail: `for ${durationMs} ms`, group: group.name, members: names(members) });
        for (const member of members) {
          if (event.action === 'member.slowPoll') {
            member.slowPoll(durationMs);
            continue;
          }
          member.pause(durationMs);
          this.agenda.add(nowMs + durationMs, () => member.resume());
        }
        return;
      }
      case 'member.rollingRestart': {
        const group = this.group(event.group);
        const members = group.live();
        trace.write({ type: 'timeline', action: event.action, detail: `${event.clean ? 'closed' : 'killed'}, down ${event.downMs} ms, every ${event.intervalMs} ms`, group: group.name, members: names(members) });
        members.forEach((member, position) => this.restartAt(member, nowMs + position * event.intervalMs, event.downMs, event.clean));
        return;
      }
      case 'member.restart': {
        const group = this.group(event.group);
        const members = this.select(group, event, random);
        trace.write({ type: 'timeline', action: event.action, detail: `${event.clean ? 'closed' : 'killed'}, down ${event.downMs} ms`, group: group.name, members: names(members) });
        for (const member of members) this.restartAt(member, nowMs, event.downMs, event.clean);
        return;
      }
      case 'broker.kill': {
        const { broker, why } = await this.resolveBroker(event.broker);
        const running = broker !== undefined && this.run.cluster.isRunning(broker);
        const detail = broker === undefined ? `no broker: ${why}` : `broker ${broker}${why === undefined ? '' : ` (${why})`}${running ? '' : ', not running: nothing to kill'}`;
        trace.write({ type: 'timeline', action: event.action, detail });
        if (broker === undefined || !running) return;
        await this.run.cluster.kill(broker);
        trace.write({ type: 'broker.killed', broker });
        return;
      }
      case 'broker.restart': {
        this.checkBroker(event.broker);
        trace.write({ type: 'timeline', action: event.action, detail: `broker ${event.broker}` });
        if (this.run.cluster.isRunning(event.broker)) return;
        await this.run.cluster.start(event.broker);
        trace.write({ type: 'broker.started', broker: event.broker });
        return;
      }
      case 'broker.stop': {
        this.checkBroker(event.broker);
        trace.write({ type: 'timeline', action: event.action, detail: `broker ${event.broker} (controlled shutdown)` });
        if (!this.run.cluster.isRunning(event.broker)) return;
        await this.run.cluster.shutdown(event.broker);
        trace.write({ type: 'broker.stopped', broker: event.broker });
        return;
      }
      case 'network.partition':
      case 'link.slow':
      case 'link.lossy': {
        const links = this.links(event.between);
        const durationMs = event.durationMs === undefined ? undefined : Math.round(drawValue(event.durationMs, random));
        const what = event.action === 'network.partition' ? 'cut' : event.action === 'link.slow' ? `${event.latencyMs} ms one way` : `${event.lossRate} of packets dropped`;
        trace.write({ type: 'timeline', action: event.action, detail: `${event.between[0].join(',')} | ${event.between[1].join(',')}: ${what}${durationMs === undefined ? '' : ` for ${durationMs} ms`}` });
        for (const [a, b] of links) {
          // A partition of known length is lived through as TCP does (packets retransmitted, the streams go on when it
          // ends): a request sent meanwhile arrives late, not never, and its answer does not wait out a 305 s timeout.
          if (event.action === 'network.partition' && durationMs !== undefined) this.run.cluster.faults.holdLink(a, b, this.run.cluster.clock.now() + durationMs);
          else if (event.action === 'network.partition') this.run.cluster.faults.cutLink(a, b);
          else if (event.action === 'link.slow') this.run.cluster.faults.slowLink(a, b, event.latencyMs);
          else this.run.cluster.faults.lossyLink(a, b, event.lossRate);
          this.faultyLinks.set(linkKey(a, b), [a, b]);
        }
        if (durationMs !== undefined) this.agenda.add(nowMs + durationMs, () => this.heal(links));
        return;
      }
      case 'network.heal':
        trace.write({ type: 'timeline', action: event.action, detail: `${this.faultyLinks.size} link(s) healed` });
        this.healLinks();
        return;
      case 'topic.addPartitions': {
        trace.write({ type: 'timeline', action: event.action, detail: `${event.topic} grows to ${event.partitions} partitions` });
        const [result] = await this.run.settle(this.admin.createPartitions([{ name: event.topic, count: event.partitions }]), `${event.topic} grows to ${event.partitions} partitions`);
        if (result?.error) trace.write({ type: 'run.error', error: `topic.addPartitions ${event.topic}: ${result.error.message}` });
        else trace.write({ type: 'topic.partitions', topic: event.topic, partitions: event.partitions });
        return;
      }
    }
  }

  /** Stops `member` at `atMs` (closed or killed) and starts it again `downMs` later, same client.id and instance id. */
  private restartAt(member: ExperimentMember, atMs: number, downMs: number, clean: boolean): void {
    this.agenda.add(atMs, () => {
      if (clean) void member.close();
      else member.crash();
    });
    this.agenda.add(atMs + downMs, () => member.start());
  }

  private heal(links: ReadonlyArray<[string, string]>): void {
    for (const [a, b] of links) {
      this.run.cluster.faults.healLink(a, b);
      this.faultyLinks.delete(linkKey(a, b));
    }
  }

  private group(name: string): ExperimentGroup {
    const group = this.groups.get(name);
    if (group === undefined) throw new TimelineError(`the timeline names group "${name}", which the scenario does not define`);
    return group;
  }

  /** The members an event acts on, among the live ones: by index, the lowest `count` (or `count` drawn), or all. */
  private select(group: ExperimentGroup, selector: MemberSelector, random: Random): ExperimentMember[] {
    const live = group.live();
    if ('all' in selector) return live;
    if ('member' in selector) return live.filter((member) => member.index === selector.member);
    if (selector.drawn !== true) return live.slice(0, selector.count);
    const pool = [...live];
    const chosen: ExperimentMember[] = [];
    while (chosen.length < selector.count && pool.length > 0) chosen.push(...pool.splice(random.nextInt(pool.length), 1));
    return chosen.sort((a, b) => a.index - b.index);
  }

  /** Every pair of hosts across the two sides: `broker-N`, a member's host, or a group's name for all its members. */
  private links(between: readonly [readonly string[], readonly string[]]): Array<[string, string]> {
    const hosts = (names: readonly string[]): string[] => names.flatMap((name) => this.groups.get(name)?.hosts() ?? [name]);
    const [left, right] = [hosts(between[0]), hosts(between[1])];
    return left.flatMap((a) => right.filter((b) => b !== a).map((b): [string, string] => [a, b]));
  }

  private checkBroker(broker: number): void {
    if (!this.run.cluster.brokerIds.includes(broker)) throw new TimelineError(`the timeline names broker ${broker}; the cluster has brokers 0..${this.run.cluster.brokerIds.length - 1}`);
  }

  /**
   * A broker by id, or the first group's coordinator, or the leader of the first topic's partition 0 among the
   * running brokers, with why it was picked. The controller's image and the brokers' metadata may still name a
   * leader killed seconds ago (until its session times out): then the leader is the running replica that acts as
   * leader now (the highest leader epoch), else the first running in-sync replica, the one the controller will elect.
   */
  private async resolveBroker(broker: number | 'coordinator' | 'leader'): Promise<{ broker: number | undefined; why?: string }> {
    if (typeof broker === 'number') {
      this.checkBroker(broker);
      return { broker };
    }
    if (broker === 'leader') return this.runningLeader();
    const coordinator = await this.coordinator();
    return { broker: coordinator, why: 'the coordinator' };
  }

  private async runningLeader(): Promise<{ broker: number | undefined; why: string }> {
    const { cluster } = this.run;
    const topic = this.run.scenario.topics[0]?.name;
    if (topic === undefined) throw new TimelineError('broker.kill leader: the scenario has no topic');
    const partition = `${topic}-0`;
    // The controller's image when a controller runs; else what the brokers still tell the Admin client.
    const record = controllerRecord(cluster, topic, 0);
    let named = record?.leader;
    if (named === undefined) {
      const [description] = await this.run.settle(this.admin.describeTopics([topic]), `the leader of ${partition}`);
      named = description?.partitions.find((candidate) => candidate.partition === 0)?.leader;
    }
    if (named !== undefined && named >= 0 && cluster.isRunning(named)) return { broker: named, why: `the leader of ${partition}` };
    const stale = named !== undefined && named >= 0 ? `; the metadata still names broker ${named}, which is not running` : '';
    const acting = replicaViews(cluster, topic, 0)
      .filter((view) => view.state === 'Leader')
      .sort((a, b) => b.leaderEpoch - a.leaderEpoch || a.brokerId - b.brokerId)[0];
    if (acting !== undefined) return { broker: acting.brokerId, why: `the running replica leading ${partition}${stale}` };
    const inSync = record?.isr.find((id) => cluster.isRunning(id));
    if (inSync !== undefined) return { broker: inSync, why: `the first running in-sync replica of ${partition}${stale}` };
    return { broker: undefined, why: `no running broker leads ${partition}${stale}` };
  }

  private async coordinator(): Promise<number> {
    const group = [...this.groups.values()][0];
    if (group === undefined) throw new TimelineError('broker.kill coordinator: the scenario has no group');
    const [description] = await this.run.settle(this.admin.describeGroups([group.name]), `the coordinator of ${group.name}`);
    const coordinator = description?.coordinator?.nodeId;
    if (coordinator === undefined) throw new TimelineError(`broker.kill coordinator: the coordinator of ${group.name} was not found`);
    return coordinator;
  }
}

const names = (members: readonly ExperimentMember[]): string[] => members.map((member) => member.name);
