/**
 * Rebalance episodes per group, from a trigger to a stable group (see GroupView for "stable"), measured.
 *
 * - An episode starts at a trigger: a timeline action naming the group or some of its members, or one of
 *   its members starting, crashing or closing. A trigger that leaves the group stable (a short GC pause, a
 *   slow link) opens a tentative episode: it becomes a rebalance when the group stops being stable, and is
 *   dropped when a paused member resumes with the group still stable, when a newer trigger replaces it or
 *   when the run ends. Without a trigger, a stable group that stops being stable (a member leaves its stable
 *   state, partitions are added, a member loses its partitions) starts an episode there.
 * - Triggers during an episode (or at the same time as the tentative one) join it; it ends when the group is stable again. The group's first forming
 *   (members joining at the start) is not a rebalance; a group that never forms is reported as one
 *   unfinished rebalance, triggered by `formation`, so a stuck group cannot hide.
 * - Measured: the generations (classic) or member epochs (KIP-848) newer than any seen before the trigger;
 *   the partitions whose holder at the end differs from their holder at the trigger (a crashed member's
 *   partitions included; partitions nobody held at the trigger, such as added ones, are assigned, not
 *   moved); per member that held something at the trigger, the time it held none of that (paused) or some
 *   but not all (partially paused), until it crashed or closed or the episode ended; and per partition the
 *   time no live member held it. The member.rebalance records are not used: each covers one member's own
 *   rebalance, not the group's episode, so the paused times come from the assigned, revoked and lost events.
 * - Only what happens in the run's window (RunWindow: from the workload's start until run.ended or the
 *   scenario's duration) is measured: an episode still open then is unfinished (no stableMs) and counts up to
 *   the window's end; events after it (the runner's drain phase) are ignored here. Events of the setup before
 *   it (the runner lets the groups form first) only bring the groups' views up to date: a group stable when
 *   the window opens has formed, and its first episode is the first thing that unsettles it after that.
 *
 * Cost: O(1) per event besides the holdings an event lists; O(partitions) when an episode opens and closes.
 */
import type { RebalanceMeasurement } from '../model.js';
import type { TraceEvent, TraceObserver } from '../trace.js';
import { GroupView, groupOfMember } from './group-view.js';
import { RunWindow } from './run-window.js';
import { type HoldingsEvent, isGeneration } from './trace-vocabulary.js';

interface MemberAccount {
  readonly atTrigger: ReadonlySet<string>;
  stillHeld: number;
  live: boolean;
  sinceMs: number;
  pausedMs: number;
  partiallyPausedMs: number;
}

interface Episode {
  trigger: string;
  triggerMs: number;
  /** Opened by a trigger (or, provisionally, by an event) while the group was still stable. */
  tentative: boolean;
  /** Opened only in case this event unsettles the group: dropped right after it if it does not. */
  provisional: boolean;
  readonly holderAtTrigger: Map<string, string>;
  readonly generationAtTrigger: number;
  readonly generations: Set<number>;
  readonly accounts: Map<string, MemberAccount>;
  unownedPartitionMs: number;
  unownedSinceMs: number;
  readonly crashesMs: number[];
}

interface GroupTrack {
  readonly name: string;
  readonly view: GroupView;
  episode: Episode | undefined;
  formed: boolean;
  firstSeenMs: number | undefined;
}

export class RebalanceAnalyzer implements TraceObserver {
  private readonly groups = new Map<string, GroupTrack>();
  private readonly measurements: RebalanceMeasurement[] = [];
  private readonly window: RunWindow;
  private longestDetectionMs = 0;
  /** In the setup before the window: the groups' views follow the events, nothing is measured. */
  private settingUp = false;

  constructor(options: { durationMs: number }) {
    this.window = new RunWindow(options.durationMs);
  }

  observe(event: TraceEvent): void {
    const place = this.window.place(event);
    if (place === 'setup') this.settingUp = true;
    else if (this.settingUp) this.openWindow();
    if (place === 'closing') this.end(this.window.endMs);
    if (place === 'closing' || place === 'after') return;
    switch (event.type) {
      case 'run.started':
        for (const [name, spec] of Object.entries(event.groups)) this.track(name, spec.topics).view.setPartitionCounts(event.partitions);
        return;
      case 'topic.partitions':
        for (const track of this.groups.values()) {
          if (!track.view.topics.includes(event.topic)) continue;
          this.step(track, event, `topic.partitions ${event.topic} ${event.partitions}`, { trigger: false, mayUnsettle: true }, () => track.view.setPartitionCounts({ [event.topic]: event.partitions }));
        }
        return;
      case 'timeline':
        for (const name of new Set([...(event.group === undefined ? [] : [event.group]), ...(event.members ?? []).map(groupOfMember)])) {
          this.step(this.track(name), event, event.action, { trigger: true, mayUnsettle: true }, () => undefined);
        }
        return;
      case 'member.started':
        this.memberStep(event, `member.started ${event.member}`, true, () => this.track(event.group).view.update(event.member, { live: true, paused: false, state: undefined, generation: -1 }));
        return;
      case 'member.crashed':
      case 'member.closed':
        this.memberStep(event, `${event.type} ${event.member}`, true, (episode) => {
          if (episode === undefined) return this.track(event.group).view.update(event.member, { live: false });
          if (event.type === 'member.crashed') episode.crashesMs.push(event.timeMs);
          const account = episode.accounts.get(event.member);
          if (account !== undefined) {
            accrue(account, event.timeMs);
            account.live = false;
          }
          this.track(event.group).view.update(event.member, { live: false });
        });
        return;
      case 'member.paused':
      case 'member.resumed':
        this.memberStep(event, `${event.type} ${event.member}`, true, () => this.track(event.group).view.update(event.member, { paused: event.type === 'member.paused' }));
        if (event.type === 'member.resumed') {
          const track = this.track(event.group);
          if (track.episode?.tentative === true && track.view.isStable()) track.episode = undefined;
        }
        return;
      case 'member.state':
        this.memberStep(event, `member.state ${event.member} ${event.from}->${event.to}`, event.from !== event.to, (episode) => {
          this.track(event.group).view.update(event.member, { state: event.to, generation: event.generation });
          noteGeneration(episode, event.generation);
        });
        return;
      case 'member.assigned':
      case 'member.revoked':
      case 'member.lost':
        this.memberStep(event, `${event.type} ${event.member}`, event.partitions.length > 0, (episode) => this.holdings(event, episode));
        return;
      default:
        return;
    }
  }

  /** The episodes, in the order they ended (unfinished ones at the end of the run); call after the last event. */
  result(): RebalanceMeasurement[] {
    if (this.window.close()) this.end(this.window.endMs);
    return [...this.measurements];
  }

  /** The longest time from a member crash to its group's stable end (or the end of the run). */
  detectionMs(): number {
    return this.longestDetectionMs;
  }

  private memberStep(event: Extract<TraceEvent, { group: string; member: string }>, label: string, mayUnsettle: boolean, apply: (episode: Episode | undefined) => void): void {
    const track = this.track(event.group);
    track.firstSeenMs ??= event.timeMs;
    const trigger = event.type === 'member.started' || event.type === 'member.crashed' || event.type === 'member.closed';
    this.step(track, event, label, { trigger, mayUnsettle }, apply);
  }

  /** The window opens after the setup: each group formed if it is stable now, and measures from here. */
  private openWindow(): void {
    this.settingUp = false;
    for (const track of this.groups.values()) {
      track.episode = undefined;
      track.formed = track.view.isStable();
      if (track.firstSeenMs !== undefined) track.firstSeenMs = this.window.startMs;
    }
  }

  private step(track: GroupTrack, event: TraceEvent, label: string, kind: { trigger: boolean; mayUnsettle: boolean }, apply: (episode: Episode | undefined) => void): void {
    if (this.settingUp) {
      apply(undefined);
      return;
    }
    const timeMs = event.timeMs;
    if (track.formed) {
      if (track.episode === undefined) {
        if (kind.trigger || kind.mayUnsettle) track.episode = this.open(track, label, timeMs, !kind.trigger);
      } else if (kind.trigger && track.episode.tentative && timeMs > track.episode.triggerMs) {
        track.episode = this.open(track, label, timeMs, false);
      }
      if (track.episode !== undefined) {
        track.episode.unownedPartitionMs += track.view.unheldPartitions() * (timeMs - track.episode.unownedSinceMs);
        track.episode.unownedSinceMs = timeMs;
      }
    }
    apply(track.episode);
    const stable = track.view.isStable();
    if (!track.formed) {
      track.formed = stable;
      return;
    }
    // Every event that can unsettle a group opens an episode before it; this catches one that was not expected to.
    if (track.episode === undefined && !stable) track.episode = this.open(track, label, timeMs, false);
    const episode = track.episode;
    if (episode === undefined) return;
    if (!stable) {
      episode.tentative = false;
      episode.provisional = false;
    } else if (!episode.tentative) {
      this.close(track, episode, timeMs, true);
    } else if (episode.provisional) {
      track.episode = undefined;
    }
  }

  private holdings(event: HoldingsEvent, episode: Episode | undefined): void {
    const view = this.track(event.group).view;
    noteGeneration(episode, event.generation);
    const account = episode?.accounts.get(event.member);
    if (account !== undefined) accrue(account, event.timeMs);
    const held = view.member(event.member).held;
    for (const partition of event.partitions) {
      const before = held.has(partition);
      if (event.type === 'member.assigned') view.hold(event.member, partition);
      else view.release(event.member, partition);
      if (account !== undefined && account.atTrigger.has(partition) && before !== held.has(partition)) account.stillHeld += before ? -1 : 1;
    }
  }

  private open(track: GroupTrack, trigger: string, timeMs: number, provisional: boolean): Episode {
    const accounts = new Map<string, MemberAccount>();
    for (const [name, member] of track.view.members) {
      if (!member.live || member.held.size === 0) continue;
      accounts.set(name, { atTrigger: new Set(member.held), stillHeld: member.held.size, live: true, sinceMs: timeMs, pausedMs: 0, partiallyPausedMs: 0 });
    }
    return {
      trigger,
      triggerMs: timeMs,
      tentative: true,
      provisional,
      holderAtTrigger: track.view.holderMap(),
      generationAtTrigger: track.view.maxGeneration,
      generations: new Set(),
      accounts,
      unownedPartitionMs: 0,
      unownedSinceMs: timeMs,
      crashesMs: [],
    };
  }

  private close(track: GroupTrack, episode: Episode, timeMs: number, stable: boolean): void {
    track.episode = undefined;
    episode.unownedPartitionMs += track.view.unheldPartitions() * (timeMs - episode.unownedSinceMs);
    let pausedMemberMs = 0;
    let partiallyPausedMemberMs = 0;
    for (const account of episode.accounts.values()) {
      accrue(account, timeMs);
      pausedMemberMs += account.pausedMs;
      partiallyPausedMemberMs += account.partiallyPausedMs;
    }
    const holders = track.view.holderMap();
    let partitionsMoved = 0;
    for (const [partition, holder] of episode.holderAtTrigger) if (track.view.partitions.has(partition) && holders.get(partition) !== holder) partitionsMoved += 1;
    for (const crashMs of episode.crashesMs) this.longestDetectionMs = Math.max(this.longestDetectionMs, timeMs - crashMs);
    this.measurements.push({
      group: track.name,
      trigger: episode.trigger,
      triggerMs: episode.triggerMs,
      ...(stable ? { stableMs: timeMs } : {}),
      generations: episode.generations.size,
      partitionsMoved,
      pausedMemberMs,
      partiallyPausedMemberMs,
      unownedPartitionMs: episode.unownedPartitionMs,
    });
  }

  private end(timeMs: number): void {
    for (const [name, track] of this.groups) {
      const episode = track.episode;
      if (episode !== undefined && !episode.tentative) this.close(track, episode, timeMs, false);
      track.episode = undefined;
      if (!track.formed && track.firstSeenMs !== undefined) {
        this.measurements.push({ group: name, trigger: 'formation', triggerMs: track.firstSeenMs, generations: 0, partitionsMoved: 0, pausedMemberMs: 0, partiallyPausedMemberMs: 0, unownedPartitionMs: 0 });
      }
    }
  }

  private track(name: string, topics: readonly string[] = []): GroupTrack {
    let track = this.groups.get(name);
    if (track === undefined) {
      track = { name, view: new GroupView(topics), episode: undefined, formed: false, firstSeenMs: undefined };
      this.groups.set(name, track);
    }
    return track;
  }
}

/** Moves a member's paused or partially paused time up to `timeMs`. */
function accrue(account: MemberAccount, timeMs: number): void {
  if (account.live) {
    const elapsedMs = timeMs - account.sinceMs;
    if (account.stillHeld === 0) account.pausedMs += elapsedMs;
    else if (account.stillHeld < account.atTrigger.size) account.partiallyPausedMs += elapsedMs;
  }
  account.sinceMs = timeMs;
}

function noteGeneration(episode: Episode | undefined, generation: number): void {
  if (episode !== undefined && isGeneration(generation) && generation > episode.generationAtTrigger) episode.generations.add(generation);
}
