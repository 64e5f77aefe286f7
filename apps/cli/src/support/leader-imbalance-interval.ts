/**
 * The leader imbalance check interval `cluster up` gives its brokers (see leader-imbalance-check.ts), in a module
 * of its own so that `cluster up`'s help can name it without loading the config parser.
 */
export const leaderImbalanceCheckIntervalSettingName = 'leader.imbalance.check.interval.seconds';
export const localLeaderImbalanceCheckIntervalSeconds = 10;
