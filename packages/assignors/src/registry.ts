/**
 * The assignors kactor implements, by Kafka protocol name (the names members offer in JoinGroup and
 * `partition.assignment.strategy` accepts). The group leader looks up the protocol the coordinator chose.
 */
import { cooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { UnknownAssignorError } from './errors.js';
import { rangeAssignor } from './range-assignor.js';
import { roundRobinAssignor } from './roundrobin-assignor.js';
import { stickyAssignor } from './sticky-assignor.js';
import type { PartitionAssignor } from './types.js';

const assignors: ReadonlyMap<string, PartitionAssignor> = new Map(
  [rangeAssignor, roundRobinAssignor, stickyAssignor, cooperativeStickyAssignor].map((assignor) => [assignor.name, assignor]),
);

/** Protocol names of every assignor here, in the order above. */
export const ASSIGNOR_NAMES: readonly string[] = [...assignors.keys()];

/** The assignor with this protocol name, or undefined. */
export function findAssignor(name: string): PartitionAssignor | undefined {
  return assignors.get(name);
}

/** The assignor with this protocol name; throws `UnknownAssignorError` when there is none. */
export function assignorByName(name: string): PartitionAssignor {
  const assignor = assignors.get(name);
  if (assignor === undefined) throw new UnknownAssignorError(name);
  return assignor;
}
