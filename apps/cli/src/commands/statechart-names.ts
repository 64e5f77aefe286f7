/**
 * The names of kactor's statecharts, in the registry's order, for `statecharts export`'s help: the registry
 * (statecharts/registry.ts) imports every machine, which the help must not load. statechart-names.test.ts
 * keeps this list equal to the registry's.
 */
export const STATECHART_NAMES = [
  'consumer',
  'consumer-membership',
  'producer',
  'transaction-manager',
  'group-coordinator',
  'consumer-group-coordinator',
  'transaction-coordinator',
  'broker',
  'controller',
  'raft',
  'partition',
  'replica-fetcher',
] as const;
