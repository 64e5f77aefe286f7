/**
 * The dashboard's bounds (documented in docs/LIMITS.md). It is a local page polled every second, so the
 * limits only keep a runaway script or a huge cluster from making the CLI process hold unbounded memory
 * or hammer the brokers.
 */
export const dashboardLimits = {
  /** Requests served at once; more are answered 503 with Retry-After: a few tabs polling need far fewer. */
  maxConcurrentRequests: 32,
  /** Largest JSON answer; a bigger one is answered 500 RESPONSE_TOO_LARGE instead of being buffered and sent. */
  maxResponseBytes: 8 * 1024 * 1024,
  /** Longest request target (path and query); longer is 414. Group ids are Kafka strings, shorter than this. */
  maxUrlChars: 2_048,
  /** Topics described in `/api/cluster`; the rest are counted in `topicsOmitted`. */
  maxTopics: 500,
  /** Groups described in `/api/groups`; the rest are counted in `groupsOmitted`. */
  maxGroups: 100,
  /** Transactional ids described in `/api/transactions`; the rest are counted in `transactionsOmitted`. */
  maxTransactions: 100,
  /** Newest rebalance records per group for the timeline (the coordinator keeps at most 100). */
  maxRebalancesPerGroup: 20,
  /** How often the dashboard takes a view of the cluster for its timeline when no page polls (./cluster-watch.ts). */
  clusterWatchIntervalMs: 1_000,
  /** Newest cluster events (leader changes, ISR shrinks/expands, offline/online, brokers fenced) kept for `/api/cluster`. */
  maxClusterEvents: 200,
  /** Actors listed in `/api/actors`; the rest are counted in `actorsOmitted`. */
  maxActors: 5_000,
  /** Top-level states kept per inspected actor (`recent` in `/api/actors`): a rebalance passes four or five. */
  maxRecentStates: 12,
  /** Inspected processes connected at once to /inspect; more are refused (503) — a cluster and its consumers need tens. */
  maxInspectionConnections: 256,
  /** Largest inspection message; an actor's registration carries its machine's definition, tens of KiB. */
  maxInspectionMessageBytes: 1024 * 1024,
  /** Bound on each admin call behind an endpoint, so a dead broker never leaves a request hanging. */
  adminCallTimeoutMs: 5_000,
  /** Node's own bound on a whole request (headers included); the page's requests take milliseconds. */
  requestTimeoutMs: 15_000,
} as const;


export type DashboardLimits = { readonly [K in keyof typeof dashboardLimits]: number };
