/**
 * An ActorDirectory fed by inspection messages (the @statelyai/inspect format every `--inspect` process
 * sends): an actor appears with its registration (`@xstate.actor`, which carries its first snapshot and its
 * machine's definition), its state follows each `@xstate.snapshot`, and it goes away when its snapshot
 * says it stopped or when its process's connection closes (a killed consumer sends nothing more). A second
 * registration of the same actor under another name renames it (a consumer is named after its member id
 * once it has one).
 *
 * Each actor also keeps its last few top-level states (`recent`): the page polls once a second and a
 * rebalance can pass joining and syncing faster than that, so the trail is recorded here, where every
 * snapshot arrives. Bounded by maxActors (registrations beyond it are not kept, only counted, so a process
 * spawning actors without end costs the dashboard a number, not memory) and maxRecentStates. Session ids are only unique within one
 * connection (XState numbers them per process), so entries are keyed by connection and session.
 */
import type { ActorDirectory, ActorEntry } from './actor-directory.js';
import { stateText } from './state-text.js';

interface Tracked {
  id: string;
  /** The name its registration gave: `id` is this name, made unique among the listed actors. */
  name: string;
  machine: string;
  state: unknown;
  status: string;
  recent: string[];
  /** The value before the latest change of `state`. */
  previous: unknown;
}

/** The top-level state of a value: `'stable'`, or the key of `{ joining: 'routing' }` (parallel roots: every key). */
export function topStateOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return value !== null && typeof value === 'object' ? Object.keys(value).join('+') : '';
}

export interface InspectedActorDirectory extends ActorDirectory {
  receive(connection: number, message: string): void;
  disconnected(connection: number): void;
}

/**
 * `machineNames` maps a machine's own id (`consumerGroup`) to the name the statechart export and the
 * dashboard use (`consumer`); a machine kactor does not export keeps its own id.
 */
export function createInspectedActorDirectory(options: { maxActors: number; maxRecentStates: number; machineNames: ReadonlyMap<string, string> }): InspectedActorDirectory {
  const actors = new Map<string, Tracked>();
  let omitted = 0;
  const keyOf = (connection: number, sessionId: string) => `${connection} ${sessionId}`;
  return {
    receive: (connection, message) => {
      const event = parse(message);
      if (event === undefined || typeof event.sessionId !== 'string') return;
      const key = keyOf(connection, event.sessionId);
      if (event.type === '@xstate.actor') {
        if (!actors.has(key) && actors.size >= options.maxActors) {
          omitted += 1;
          return;
        }
        const machineId = machineIdOf(event.definition);
        const existing = actors.get(key);
        const name = typeof event.name === 'string' ? event.name : event.sessionId;
        const machine = machineId === undefined ? 'unknown' : (options.machineNames.get(machineId) ?? machineId);
        const state = valueOf(event.snapshot);
        if (existing === undefined) {
          actors.set(key, { id: uniqueId(name, event.sessionId, actors, key), name, machine, state, status: statusOf(event.snapshot), recent: [topStateOf(state)], previous: null });
          return;
        }
        // Registered again: a relay replaying it, or the actor renamed (a consumer named after the member id it
        // was given). Only a new name changes the id; a replay keeps the one it has, suffix and all.
        if (name !== existing.name) Object.assign(existing, { id: uniqueId(name, event.sessionId, actors, key), name });
        existing.machine = machine;
        moveTo(existing, state);
        existing.status = statusOf(event.snapshot);
        const top = topStateOf(state);
        if (existing.recent.at(-1) !== top) existing.recent = [...existing.recent, top].slice(-options.maxRecentStates);
        return;
      }
      if (event.type !== '@xstate.snapshot') return;
      const actor = actors.get(key);
      if (actor === undefined) return;
      const status = statusOf(event.snapshot);
      if (status === 'stopped') {
        actors.delete(key);
        return;
      }
      moveTo(actor, valueOf(event.snapshot));
      actor.status = status;
      const top = topStateOf(actor.state);
      if (actor.recent.at(-1) !== top) actor.recent = [...actor.recent, top].slice(-options.maxRecentStates);
    },
    disconnected: (connection) => {
      const prefix = `${connection} `;
      for (const key of [...actors.keys()]) if (key.startsWith(prefix)) actors.delete(key);
    },
    list: (): ActorEntry[] =>
      [...actors.values()]
        .map(({ id, machine, state, status, recent, previous }) => ({ id, machine, state, stateText: stateText(state), previousState: previous, status, recent: [...recent], ...(leads(machine, state) ? { leader: true as const } : {}) }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    omitted: () => omitted,
  };
}

/** The registry's name of the Raft replica machine (statecharts/registry.ts), whose `Leader` state is highlighted. */
export const RAFT_MACHINE_NAME = 'raft';

/** A Raft replica that leads the metadata quorum: its top-level state is Kafka's `Leader`. */
function leads(machine: string, state: unknown): boolean {
  return machine === RAFT_MACHINE_NAME && topStateOf(state) === 'Leader';
}

/** A new state value; the one it replaces becomes `previous` when it differs (a replayed snapshot changes nothing). */
function moveTo(actor: Tracked, state: unknown): void {
  if (JSON.stringify(state) === JSON.stringify(actor.state)) return;
  actor.previous = actor.state;
  actor.state = state;
}

/**
 * An id no other listed actor has. Console consumers all default to client.id `console-consumer`, so three
 * of them in one group are three `consumer/analytics/console-consumer` until each is renamed after its
 * member id (unique in the group) on joining: the later ones get their process id (`@4711`, from the
 * session prefix the CLI gives, so a user knows which process to stop), else `#2`, `#3`.
 */
function uniqueId(name: string, sessionId: string, actors: ReadonlyMap<string, Tracked>, ownKey: string): string {
  // The actor's own id (when it is renamed) is not taken: it gives it up.
  const taken = new Set([...actors].filter(([key]) => key !== ownKey).map(([, actor]) => actor.id));
  if (!taken.has(name)) return name;
  const pid = /^(\d+)\//.exec(sessionId)?.[1];
  if (pid !== undefined && !taken.has(`${name}@${pid}`)) return `${name}@${pid}`;
  // Bounded: at most actors.size ids are taken, so one of the first size + 2 suffixes is free.
  for (let suffix = 2; suffix <= actors.size + 2; suffix += 1) if (!taken.has(`${name}#${suffix}`)) return `${name}#${suffix}`;
  return `${name}#${sessionId}`;
}

interface InspectionMessage {
  type?: unknown;
  sessionId?: unknown;
  name?: unknown;
  definition?: unknown;
  snapshot?: unknown;
}

function parse(message: string): InspectionMessage | undefined {
  try {
    const value: unknown = JSON.parse(message);
    return value !== null && typeof value === 'object' ? (value as InspectionMessage) : undefined;
  } catch {
    return undefined; // a malformed message is dropped; the process's other messages still count
  }
}

/** The definition is the machine's config as a JSON string; its `id` names the machine. */
function machineIdOf(definition: unknown): string | undefined {
  if (typeof definition !== 'string') return undefined;
  try {
    const id = (JSON.parse(definition) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

const valueOf = (snapshot: unknown): unknown => (snapshot !== null && typeof snapshot === 'object' ? (snapshot as { value?: unknown }).value : undefined) ?? null;
const statusOf = (snapshot: unknown): string => {
  const status = snapshot !== null && typeof snapshot === 'object' ? (snapshot as { status?: unknown }).status : undefined;
  return typeof status === 'string' ? status : 'active';
};
