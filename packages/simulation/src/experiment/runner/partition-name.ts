import type { TopicPartition } from '@kactor/client';

/** A partition as the trace names it: `<topic>-<partition>`. */
export const partitionName = (tp: TopicPartition): string => `${tp.topic}-${tp.partition}`;

/** Partitions by trace name, sorted, so the trace does not depend on the order a client lists them in. */
export const partitionNames = (partitions: readonly TopicPartition[]): string[] => partitions.map(partitionName).sort();
