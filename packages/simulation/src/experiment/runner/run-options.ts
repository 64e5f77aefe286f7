import type { InspectionEvent } from 'xstate';
import type { TraceEvent } from '../trace.js';

/**
 * Violations a run can be made to commit on purpose, so that each checker is shown to catch a real one from a
 * whole run (a checker that cannot fail is no checker):
 * - `skip-revocation`: member-0 of the first group ignores its first revocation that moves partitions away: its
 *   application goes on as their owner (no revocation in its trace) while the group gives them to another member.
 * - `ack-before-isr`: the producers run with acks=1, and a third into the run the leader of one partition of the
 *   first topic is cut off from its followers, acknowledges records alone, and is killed: the records it
 *   acknowledged never reach the new leader, so acknowledged records vanish through the real brokers.
 * - `commit-backwards`: member-0 of the first group commits, once, an offset older than one it committed before.
 * - `duplicate-delivery`: member-0 of the first group, once after a committed batch, seeks back to the batch's
 *   start, so the real consumer delivers the batch again and it is processed twice (under exactly-once, a duplicate).
 */
export type PlantedBug = 'skip-revocation' | 'ack-before-isr' | 'commit-backwards' | 'duplicate-delivery';

export const PLANTED_BUGS: readonly PlantedBug[] = ['skip-revocation', 'ack-before-isr', 'commit-backwards', 'duplicate-delivery'];

export interface RunOptions {
  /** XState's inspect option for every broker's actors (the dashboard's replay). */
  inspect?: (event: InspectionEvent) => void;
  /** A violation committed on purpose (tests of the checkers). */
  plant?: PlantedBug;
  /** Every trace event as it is written, after the analyzers saw it. */
  onTrace?: (event: TraceEvent) => void;
}
