/**
 * The metrics a run reports, by name: each a number per run, summarised over seeds by the report as the
 * median, the p95 and the worst (the direction that is worse is part of the metric).
 */
export interface MetricDefinition {
  name: string;
  unit: 'ms' | 'records' | 'records/s' | 'count' | 'partitions' | 'x';
  /** Which way is worse: the "worst" column is the maximum for 'higher', the minimum for 'lower'. */
  worse: 'higher' | 'lower';
  description: string;
}

export const METRICS: readonly MetricDefinition[] = [
  { name: 'rebalances', unit: 'count', worse: 'higher', description: 'rebalances of every group, from a trigger to a stable assignment' },
  { name: 'rebalance_time_ms', unit: 'ms', worse: 'higher', description: 'the longest time from a trigger to a stable assignment (an unfinished rebalance counts to the end of the run)' },
  { name: 'rebalance_time_total_ms', unit: 'ms', worse: 'higher', description: 'time spent rebalancing, summed over rebalances' },
  { name: 'generations', unit: 'count', worse: 'higher', description: 'generations (classic) or group epochs (consumer) the rebalances took, summed' },
  { name: 'partitions_moved', unit: 'partitions', worse: 'higher', description: 'partitions that changed owner, summed over rebalances' },
  { name: 'paused_member_ms', unit: 'ms', worse: 'higher', description: 'time members owned none of what they owned at a trigger, summed over members and rebalances' },
  { name: 'partially_paused_member_ms', unit: 'ms', worse: 'higher', description: 'time members owned some but not all of it, summed' },
  { name: 'unowned_partition_ms', unit: 'ms', worse: 'higher', description: 'time partitions had no owner during rebalances, summed over partitions' },
  { name: 'records_acked', unit: 'records', worse: 'lower', description: 'records the brokers acknowledged' },
  { name: 'records_processed', unit: 'records', worse: 'lower', description: 'records the members processed (counting repeats)' },
  { name: 'records_processed_twice', unit: 'records', worse: 'higher', description: 'records processed more than once (by anyone)' },
  { name: 'throughput_records_per_s', unit: 'records/s', worse: 'lower', description: 'records processed per simulated second' },
  { name: 'max_lag_records', unit: 'records', worse: 'higher', description: 'the most records acknowledged but not yet processed at any second' },
  { name: 'requests', unit: 'count', worse: 'higher', description: 'requests the members sent' },
  { name: 'heartbeats', unit: 'count', worse: 'higher', description: 'Heartbeat and ConsumerGroupHeartbeat requests the members sent' },
  { name: 'false_evictions', unit: 'count', worse: 'higher', description: 'members that lost their partitions while alive (paused, not crashed or closed)' },
  { name: 'detection_ms', unit: 'ms', worse: 'higher', description: 'the longest time from a member crash to a stable group without it' },
  { name: 'speed_up', unit: 'x', worse: 'lower', description: 'simulated time over wall-clock time' },
];

export const METRIC_NAMES: readonly string[] = METRICS.map((metric) => metric.name);

export function metricDefinition(name: string): MetricDefinition | undefined {
  return METRICS.find((metric) => metric.name === name);
}
