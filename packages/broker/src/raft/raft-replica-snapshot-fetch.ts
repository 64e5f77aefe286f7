/**
 * The Raft replica statechart's side of a follower reading a snapshot from its leader (KIP-630; Kafka's
 * FollowerState.fetchingSnapshot and handleFetchSnapshotResponse), as plain functions the chart's actions and guards
 * call, so the chart file stays the design: which snapshot is being read and how far, what a chunk does to the log,
 * and when the read is over.
 */
import type { OffsetAndEpoch } from './log-view.js';
import { RaftInvariantError } from './raft-errors.js';
import { planFor, quorumOf, type RaftReplicaContext } from './raft-replica-plan.js';
import { keepsStateAndEpoch } from './raft-replica-updates.js';

type SnapshotChunk = Extract<NonNullable<ReturnType<typeof planFor>['logEffect']>, { kind: 'snapshot-chunk' }>;

/** The chunk of the snapshot this event carries, if it is one to append. */
export function snapshotChunkOf(context: RaftReplicaContext, event: { type: string }): SnapshotChunk | undefined {
  const effect = planFor(context, event).logEffect;
  return effect?.kind === 'snapshot-chunk' ? effect : undefined;
}

/** A Fetch answer naming a snapshot to read, still following the same leader in the same epoch, with a log that can take one. */
export function namesSnapshotToFetch(context: RaftReplicaContext, event: { type: string }): boolean {
  return planFor(context, event).startSnapshotFetch !== undefined && keepsStateAndEpoch(context, event) && context.ports.log.beginFetchedSnapshot !== undefined;
}

/** Writes a chunk to the snapshot being fetched; the last one installs it in place of the whole log. Never on a leader. */
export function applySnapshotChunk(context: RaftReplicaContext, chunk: SnapshotChunk): void {
  // Kafka's LeaderNeverLoadSnapshot: only a follower replaces its log with its leader's snapshot.
  if (quorumOf(context).state.name === 'Leader') throw new RaftInvariantError('leader-loaded-snapshot', 'a leader was about to install a snapshot');
  context.ports.log.appendFetchedSnapshot?.(chunk.bytes);
  if (chunk.install) context.ports.log.installFetchedSnapshot?.();
}

/** The snapshot the leader named, to read from position 0 (its writer started); undefined when there is none to read. */
export function startedSnapshotFetch(context: RaftReplicaContext, event: { type: string }): RaftReplicaContext['fetchingSnapshot'] {
  const snapshotId = planFor(context, event).startSnapshotFetch;
  const state = quorumOf(context).state;
  if (snapshotId === undefined || state.name !== 'Follower') return undefined;
  context.ports.log.beginFetchedSnapshot?.(snapshotId);
  return { snapshotId, position: 0, leaderId: state.leaderId, epoch: state.epoch };
}

/** After a chunk: the read moves on past it, or, installed, is over (and names the snapshot installed). */
export function advancedSnapshotFetch(context: RaftReplicaContext, event: { type: string }): { readonly fetchingSnapshot: RaftReplicaContext['fetchingSnapshot']; readonly installed?: OffsetAndEpoch } {
  const chunk = snapshotChunkOf(context, event);
  const fetching = context.fetchingSnapshot;
  if (chunk === undefined || fetching === undefined) return { fetchingSnapshot: fetching };
  if (chunk.install) return { fetchingSnapshot: undefined, installed: fetching.snapshotId };
  return { fetchingSnapshot: { ...fetching, position: fetching.position + chunk.bytes.length } };
}
