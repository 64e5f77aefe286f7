/**
 * The actors the dashboard lists at `GET /api/actors`. The dashboard only reads a directory; the live
 * inspection relay (`--inspect URL`, issue 5) is what fills one: once a process started with `--inspect`
 * pointing at the dashboard is connected, its actors (`consumer/<group>/<memberId>`,
 * `broker-0/group/<group>`, ...) appear here with their current state. Until that relay is wired in, the
 * dashboard runs with the empty directory below and says so on the page.
 */

/** One actor as the dashboard shows it: a readable id, the machine it runs, its current state value. */
export interface ActorEntry {
  /** Stable and readable, e.g. `consumer/analytics/console-consumer-1a2b`. */
  readonly id: string;
  /** The machine's id (`consumer`, `group-coordinator`, ...). */
  readonly machine: string;
  /** XState's state value: a string for a flat state, an object for nested ones. */
  readonly state: unknown;
}

export interface ActorDirectory {
  list(): ActorEntry[];
}

/** No relay connected: no actors. */
export const emptyActorDirectory: ActorDirectory = { list: () => [] };
