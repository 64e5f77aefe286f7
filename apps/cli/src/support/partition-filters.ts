/**
 * kafka-topics.sh's partition filters for `topics describe`: --under-replicated-partitions (fewer
 * replicas in sync than assigned), --unavailable-partitions (no leader, or a leader that is not a live
 * broker), --under-min-isr-partitions (fewer in sync than the topic's min.insync.replicas: acks=all fails) and
 * --at-min-isr-partitions (exactly that many: one more lost replica and acks=all fails). Given together, a
 * partition matching any is shown, as in Kafka. With a filter, Kafka prints only the matching partitions,
 * without the topic lines.
 */
import type { PartitionDescription } from '@kactor/client';

export interface PartitionFilters {
  readonly underReplicated: boolean;
  readonly unavailable: boolean;
  readonly underMinIsr?: boolean;
  readonly atMinIsr?: boolean;
}

export function hasPartitionFilter(filters: PartitionFilters): boolean {
  return filters.underReplicated || filters.unavailable || filters.underMinIsr === true || filters.atMinIsr === true;
}

export function isUnderReplicated(partition: Pick<PartitionDescription, 'isr' | 'replicas'>): boolean {
  return partition.isr.length < partition.replicas.length;
}

/** `liveBrokers`: the brokers the cluster's metadata lists (fenced and dead brokers are not in it). */
export function isUnavailable(partition: Pick<PartitionDescription, 'leader'>, liveBrokers: ReadonlySet<number>): boolean {
  return partition.leader < 0 || !liveBrokers.has(partition.leader);
}

/**
 * Whether `topics describe` shows this partition: always without a filter, else if it matches one. `minIsr`: the
 * topic's effective min.insync.replicas.
 */
export function partitionShown(partition: Pick<PartitionDescription, 'leader' | 'isr' | 'replicas'>, filters: PartitionFilters, liveBrokers: ReadonlySet<number>, minIsr = 1): boolean {
  if (!hasPartitionFilter(filters)) return true;
  return (
    (filters.underReplicated && isUnderReplicated(partition)) ||
    (filters.unavailable && isUnavailable(partition, liveBrokers)) ||
    (filters.underMinIsr === true && partition.isr.length < minIsr) ||
    (filters.atMinIsr === true && partition.isr.length === minIsr)
  );
}
