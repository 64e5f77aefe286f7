/**
 * The groups of a replayed simulated run as the dashboard's group view shows them (`GroupJson`, what
 * `groups describe --json` gives for a real cluster), taken from the run's trace up to the simulated time
 * being played: the live members and the partitions each owns, the generation (or member epoch) they reached,
 * each partition's committed offset, log end offset (the next offset after the last acknowledged record) and
 * lag; the coordinator and its state from the coordinator actor the dashboard lists (`broker-N/group/<group>`).
 *
 * The trace names members by their simulated client (`app/member-3`), not by the member id the coordinator
 * gave them, so those names stand in for member ids; the assignor is not in the trace and is left empty.
 */
import type { ActorEntry } from './actor-directory.js';
import type { GroupJson } from './cluster-source.js';
import { topStateOf } from './inspected-actors.js';

/** The trace events the group view is built from (the runner's TraceEvent, structurally). */
export type GroupTrace =
  | { type: 'run.started'; timeMs: number; partitions: Record<string, number>; groups: Record<string, { topics: string[] }> }
  | { type: 'topic.partitions'; timeMs: number; topic: string; partitions: number }
  | { type: 'member.started' | 'member.crashed' | 'member.closed'; timeMs: number; group: string; member: string }
  | { type: 'member.assigned' | 'member.revoked' | 'member.lost'; timeMs: number; group: string; member: string; partitions: string[]; generation: number }
  | { type: 'member.state'; timeMs: number; group: string; member: string; generation: number }
  | { type: 'record.acked'; timeMs: number; partition: string; offset: number }
  | { type: 'offset.committed'; timeMs: number; group: string; partition: string; offset: number };

const KEPT_TYPES = new Set(['run.started', 'topic.partitions', 'member.started', 'member.crashed', 'member.closed', 'member.assigned', 'member.revoked', 'member.lost', 'member.state', 'record.acked', 'offset.committed']);

/** `orders-12` -> { topic: 'orders', partition: 12 } (topic names may hold dashes, the partition is after the last). */
export function splitPartitionName(name: string): { topic: string; partition: number } {
  const dash = name.lastIndexOf('-');
  return { topic: name.slice(0, dash), partition: Number(name.slice(dash + 1)) };
}

export interface SimulatedGroups {
  /** The runner's onTrace; events the group view does not use are not kept. */
  observe(event: { type: string; timeMs: number }): void;
  /** The groups as of `timeMs` (simulated ms since the workload started), coordinators from `actors`. */
  groupsAt(timeMs: number, actors: readonly ActorEntry[]): GroupJson[];
}

export function createSimulatedGroups(maxEvents: number): SimulatedGroups {
  const events: GroupTrace[] = [];
  return {
    observe: (event) => {
      if (KEPT_TYPES.has(event.type) && events.length < maxEvents) events.push(event as GroupTrace);
    },
    groupsAt: (timeMs, actors) => foldGroups(events, timeMs, actors),
  };
}

interface GroupState {
  topics: string[];
  members: Map<string, Set<string>>;
  generation: number;
  committed: Map<string, number>;
}

function foldGroups(events: readonly GroupTrace[], timeMs: number, actors: readonly ActorEntry[]): GroupJson[] {
  const groups = new Map<string, GroupState>();
  const partitionCounts = new Map<string, number>();
  const logEnd = new Map<string, number>();
  for (const event of events) {
    if (event.timeMs > timeMs) break;
    if (event.type === 'run.started') {
      for (const [topic, count] of Object.entries(event.partitions)) partitionCounts.set(topic, count);
      for (const [name, spec] of Object.entries(event.groups)) groups.set(name, { topics: spec.topics, members: new Map(), generation: 0, committed: new Map() });
      continue;
    }
    if (event.type === 'topic.partitions') {
      partitionCounts.set(event.topic, event.partitions);
      continue;
    }
    if (event.type === 'record.acked') {
      logEnd.set(event.partition, Math.max(logEnd.get(event.partition) ?? 0, event.offset + 1));
      continue;
    }
    const group = groups.get(event.group);
    if (group === undefined) continue;
    if (event.type === 'offset.committed') group.committed.set(event.partition, event.offset);
    else if (event.type === 'member.started') group.members.set(event.member, new Set());
    else if (event.type === 'member.crashed' || event.type === 'member.closed') group.members.delete(event.member);
    else if ('generation' in event) {
      group.generation = Math.max(group.generation, event.generation);
      const owned = group.members.get(event.member);
      if (owned === undefined || !('partitions' in event)) continue;
      for (const partition of event.partitions) {
        if (event.type === 'member.assigned') owned.add(partition);
        else owned.delete(partition);
      }
    }
  }
  return [...groups].map(([name, group]) => groupJson(name, group, partitionCounts, logEnd, coordinatorOf(name, actors)));
}

/** The group's coordinator actor (`broker-N/group/<group>`) on a live broker, if the dashboard lists one. */
function coordinatorOf(group: string, actors: readonly ActorEntry[]): { brokerId: number; actor: ActorEntry } | undefined {
  for (const actor of actors) {
    const brokerId = /^broker-(\d+)\/group\/(.+)$/.exec(actor.id);
    if (brokerId?.[2] === group) return { brokerId: Number(brokerId[1]), actor };
  }
  return undefined;
}

function groupJson(name: string, group: GroupState, partitionCounts: ReadonlyMap<string, number>, logEnd: ReadonlyMap<string, number>, coordinator: { brokerId: number; actor: ActorEntry } | undefined): GroupJson {
  const owners = new Map<string, string>();
  for (const [member, owned] of group.members) for (const partition of owned) owners.set(partition, member);
  const partitions = group.topics.flatMap((topic) =>
    Array.from({ length: partitionCounts.get(topic) ?? 0 }, (_, index) => {
      const key = `${topic}-${index}`;
      const committedOffset = group.committed.get(key) ?? null;
      const logEndOffset = logEnd.get(key) ?? 0;
      return { topic, partition: index, committedOffset, logEndOffset, lag: logEndOffset - (committedOffset ?? 0), memberId: owners.get(key) ?? null };
    }),
  );
  const type = coordinator?.actor.machine === 'group-coordinator' ? 'classic' : 'consumer';
  return {
    group: name,
    type,
    state: coordinator === undefined ? 'Unknown' : topStateOf(coordinator.actor.state),
    protocol: '',
    generation: group.generation,
    coordinator: coordinator?.brokerId ?? null,
    members: [...group.members].map(([member, owned]) => ({ memberId: member, clientId: member, host: member, instanceId: null, assignment: [...owned].sort().map(splitPartitionName) })),
    partitions,
    rebalances: [],
  };
}
