/**
 * The actors the dashboard lists at `GET /api/actors`. The dashboard only reads a directory; inspection
 * fills one (inspected-actors.ts): once a process started with `--inspect ws://127.0.0.1:<port>/inspect`
 * is connected to the dashboard, its actors (`consumer/<group>/<member id>`, `broker-0/group/<group>`,
 * ...) appear here with their current state.
 */

/** One actor as the dashboard shows it: a readable id, the machine it runs, its current state value. */
export interface ActorEntry {
  /** Stable and readable, e.g. `consumer/analytics/console-consumer-1a2b`. */
  readonly id: string;
  /** The machine's id (`consumer`, `group-coordinator`, ...). */
  readonly machine: string;
  /** XState's state value: a string for a flat state, an object for nested ones. */
  readonly state: unknown;
  /** XState's snapshot status (`active`, `done`, `error`); stopped actors are not listed. */
  readonly status?: string;
  /** Its last few top-level states, oldest first (`['stable', 'rebalancing', 'joining', 'syncing', 'stable']`). */
  readonly recent?: readonly string[];
  /** The state as text (`ready: admission admitting · delivery idle`), see state-text.ts. */
  readonly stateText?: string;
  /** The state value before the latest change (null before any), so a page can mark the transition just taken. */
  readonly previousState?: unknown;
  /** Set on a Raft replica in state Leader (the node whose controller is active), so the page can single it out. */
  readonly leader?: true;
}

export interface ActorDirectory {
  list(): ActorEntry[];
  /** Actors not kept because the directory was full (counted in `actorsOmitted`). */
  omitted?(): number;
}
