import type { TopicPartition } from '@kactor/client';

/** `topic-partition` names, sorted: how the checkers and tests compare assignments. */
export const sortedNames = (partitions: readonly TopicPartition[]): string[] => partitions.map((tp) => `${tp.topic}-${tp.partition}`).sort();
