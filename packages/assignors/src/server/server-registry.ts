/**
 * The server-side assignors kactor implements, by the name a member asks for in group.remote.assignor and
 * the broker lists in group.consumer.assignors. The coordinator answers UNSUPPORTED_ASSIGNOR for a name
 * that finds nothing here.
 */
import { rangeServerAssignor } from './range-server-assignor.js';
import type { ServerPartitionAssignor } from './server-assignor.js';
import { uniformAssignor } from './uniform-assignor.js';

const serverAssignors: ReadonlyMap<string, ServerPartitionAssignor> = new Map(
  [uniformAssignor, rangeServerAssignor].map((assignor) => [assignor.name, assignor]),
);

/** Names of every server-side assignor here; the first is Kafka's default (`uniform`). */
export const SERVER_ASSIGNOR_NAMES: readonly string[] = [...serverAssignors.keys()];

/** The server-side assignor with this name, or undefined. */
export function serverAssignorByName(name: string): ServerPartitionAssignor | undefined {
  return serverAssignors.get(name);
}
