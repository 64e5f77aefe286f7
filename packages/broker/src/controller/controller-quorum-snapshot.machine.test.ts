/**
 * The quorum controller and metadata snapshots (KIP-630): a standby's committed state is replaced by a loaded
 * snapshot, and the active controller never loads one (Kafka's LeaderNeverLoadSnapshot invariant).
 */
import { describe, expect, it } from 'vitest';
import { startQuorumController } from './controller-quorum-test-support.js';
import { snapshotRecordsOf } from './metadata-snapshot.js';
import { stateFromSnapshot } from './metadata-state.js';
import { append, clusterOf } from './test-fixtures.js';

function snapshotState() {
  const state = append(clusterOf([0, 1, 2]), [{ type: 'Topic', name: 'orders', topicId: 'T1' }]);
  // The snapshot covers offsets 0..99: more than the records it holds (control records, superseded records).
  return stateFromSnapshot(state.clusterId, snapshotRecordsOf(state), 100);
}

describe('controller machine, quorum mode: metadata snapshots', () => {
  it('Inactive -> Inactive on quorum.snapshotLoaded: the committed state and the state become the snapshot\'s, the high watermark its end', () => {
    const controller = startQuorumController();
    const state = snapshotState();
    controller.actor.send({ type: 'quorum.snapshotLoaded', state, highWatermark: 100 });
    const context = controller.context();
    expect(controller.actor.getSnapshot().value).toBe('Inactive');
    expect(context.committedState).toEqual(state);
    expect(context.state).toEqual(state);
    expect(context.highWatermark).toBe(100);
    expect(Object.keys(context.state.topics)).toEqual(['orders']);
  });

  it('Active on quorum.snapshotLoaded: the controller fails (a leader never loads a snapshot)', () => {
    const controller = startQuorumController();
    controller.claim();
    expect(controller.actor.getSnapshot().value).toBe('Active');
    const errors: unknown[] = [];
    controller.actor.subscribe({ error: (error) => errors.push(error) });
    controller.actor.send({ type: 'quorum.snapshotLoaded', state: snapshotState(), highWatermark: 100 });
    const snapshot = controller.actor.getSnapshot();
    expect(snapshot.status).toBe('error');
    expect(String(snapshot.error)).toMatch(/a leader never loads a metadata snapshot/);
    expect(errors).toHaveLength(1);
  });
});
