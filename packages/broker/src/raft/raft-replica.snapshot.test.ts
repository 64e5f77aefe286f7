/**
 * The Raft replica statechart and metadata snapshots (KIP-630): a leader answers a Fetch below its log start with the
 * snapshot to read; a follower reads it in Follower.FetchingSnapshot chunk by chunk, installs it in place of its log
 * and fetches on from its end; failures abandon it (a new Fetch) or resume it (an unanswered request).
 */
import { describe, expect, it } from 'vitest';
import type { RaftFetchSnapshotResponse } from './fetch-snapshot.js';
import type { OffsetAndEpoch } from './log-view.js';
import type { RaftLogPort, RaftReplicaEmitted } from './raft-replica-ports.js';
import { CLUSTER_ID, electedLeader, fetchRequest, quorumOf, startReplica, type Started } from './raft-replica.test-support.js';

const SNAPSHOT = { offset: 10, epoch: 2 };

/** The memory log with snapshot methods: chunks are recorded, and installing replaces the entries by the snapshot's. */
function snapshotLog(record: { begun: OffsetAndEpoch[]; chunks: number[][]; installed: number }) {
  return (log: RaftLogPort, entries: { epoch: number; payload: string }[]): RaftLogPort => ({
    ...log,
    earliestSnapshotId: () => undefined,
    latestSnapshotId: () => undefined,
    beginFetchedSnapshot: (id) => void record.begun.push(id),
    appendFetchedSnapshot: (bytes) => void record.chunks.push([...bytes]),
    installFetchedSnapshot: () => {
      const id = record.begun.at(-1)!;
      record.installed += 1;
      entries.splice(0, entries.length, ...Array.from({ length: id.offset }, () => ({ epoch: id.epoch, payload: 'in the snapshot' })));
    },
  });
}

function followerOfOne() {
  const record = { begun: [] as OffsetAndEpoch[], chunks: [] as number[][], installed: 0 };
  const replica = startReplica([0, 1, 2], { extendLog: snapshotLog(record) });
  replica.actor.send({ type: 'raft.begin-quorum-epoch.request', from: 1, request: { clusterId: CLUSTER_ID, leaderId: 1, leaderEpoch: 3, leaderEndpoints: ['127.0.0.1:9991'], voterKey: { id: 0 } } });
  return { replica, record };
}

const valueOf = (replica: Started) => replica.actor.getSnapshot().value;
const lastSent = (replica: Started, type: RaftReplicaEmitted['type']) => replica.sent.filter((message) => message.type === type).at(-1);

function chunk(position: number, length: number, overrides: Partial<RaftFetchSnapshotResponse> = {}) {
  const response: RaftFetchSnapshotResponse = { errorCode: 'NONE', leaderId: 1, leaderEpoch: 3, snapshotId: SNAPSHOT, size: 25, position, bytes: Uint8Array.from({ length }, (_, i) => position + i), ...overrides };
  return { type: 'raft.fetch-snapshot.response' as const, from: 1, response };
}

function namedSnapshot({ replica }: { replica: Started }) {
  replica.actor.send({ type: 'raft.fetch.response', from: 1, response: { errorCode: 'NONE', highWatermark: 12, leaderId: 1, leaderEpoch: 3, snapshotId: SNAPSHOT } });
}

describe('Raft replica statechart: snapshots (KIP-630)', () => {
  it('Follower -> Follower.FetchingSnapshot on raft.fetch.response with SnapshotId: FetchSnapshot from position 0', () => {
    const follower = followerOfOne();
    namedSnapshot(follower);
    expect(valueOf(follower.replica)).toEqual({ Follower: 'FetchingSnapshot' });
    expect(follower.record.begun).toEqual([SNAPSHOT]);
    expect(lastSent(follower.replica, 'raft.send.fetch-snapshot')).toMatchObject({ to: 1, request: { snapshotId: SNAPSHOT, position: 0, currentLeaderEpoch: 3, replicaId: 0 } });
  });

  it('Follower.FetchingSnapshot -> Follower.FetchingSnapshot on a chunk, then -> Follower.Fetching on the last: installed, HW at its end, Fetch from there', () => {
    const follower = followerOfOne();
    namedSnapshot(follower);
    follower.replica.actor.send(chunk(0, 10));
    expect(valueOf(follower.replica)).toEqual({ Follower: 'FetchingSnapshot' });
    expect(lastSent(follower.replica, 'raft.send.fetch-snapshot')).toMatchObject({ request: { position: 10 } });
    follower.replica.actor.send(chunk(10, 15));
    expect(valueOf(follower.replica)).toEqual({ Follower: 'Fetching' });
    expect(follower.record.chunks.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(follower.record.installed).toBe(1);
    expect(follower.replica.sent).toContainEqual({ type: 'raft.snapshot-installed', snapshotId: SNAPSHOT });
    expect(follower.replica.sent).toContainEqual({ type: 'raft.high-watermark', highWatermark: 10 });
    const state = quorumOf(follower.replica).state;
    expect(state.name === 'Follower' && state.highWatermark).toBe(10);
    expect(lastSent(follower.replica, 'raft.send.fetch')).toMatchObject({ to: 1, request: { fetchOffset: 10, lastFetchedEpoch: 2 } });
  });

  it('Follower.FetchingSnapshot -> Follower.BackingOff on SNAPSHOT_NOT_FOUND: the snapshot is abandoned, a Fetch follows the backoff', () => {
    const follower = followerOfOne();
    namedSnapshot(follower);
    follower.replica.actor.send(chunk(0, 0, { errorCode: 'SNAPSHOT_NOT_FOUND', size: -1, position: -1 }));
    expect(valueOf(follower.replica)).toEqual({ Follower: 'BackingOff' });
    const fetchesBefore = follower.replica.sent.filter((message) => message.type === 'raft.send.fetch').length;
    follower.replica.clock.advanceBy(20);
    expect(valueOf(follower.replica)).toEqual({ Follower: 'Fetching' });
    expect(follower.replica.sent.filter((message) => message.type === 'raft.send.fetch').length).toBe(fetchesBefore + 1);
    expect(follower.record.installed).toBe(0);
  });

  it('Follower.FetchingSnapshot -> Follower.BackingOff on an unanswered FetchSnapshot, then resumed at the position reached', () => {
    const follower = followerOfOne();
    namedSnapshot(follower);
    follower.replica.actor.send(chunk(0, 10));
    follower.replica.actor.send({ type: 'raft.request.failed', to: 1, api: 'fetchSnapshot' });
    expect(valueOf(follower.replica)).toEqual({ Follower: 'BackingOff' });
    follower.replica.clock.advanceBy(20);
    expect(valueOf(follower.replica)).toEqual({ Follower: 'FetchingSnapshot' });
    expect(lastSent(follower.replica, 'raft.send.fetch-snapshot')).toMatchObject({ request: { position: 10 } });
    expect(follower.record.begun).toHaveLength(1);
  });

  it('a chunk at another position abandons the snapshot (Follower.BackingOff), nothing is appended', () => {
    const follower = followerOfOne();
    namedSnapshot(follower);
    follower.replica.actor.send(chunk(5, 10));
    expect(valueOf(follower.replica)).toEqual({ Follower: 'BackingOff' });
    expect(follower.record.chunks).toEqual([]);
  });

  it('Leader -> Leader on a Fetch below its log start: answered with the latest SnapshotId at once', () => {
    const leader = electedLeader();
    const port = leader.actor.getSnapshot().context.ports.log;
    Object.assign(port, { logStartOffset: () => 1, earliestSnapshotId: () => ({ offset: 1, epoch: 0 }), latestSnapshotId: () => ({ offset: 1, epoch: 0 }) });
    leader.actor.send(fetchRequest(1, quorumOf(leader).state.epoch, 0, 0));
    expect(lastSent(leader, 'raft.send.fetch-answer')).toMatchObject({ to: 1, response: { errorCode: 'NONE', snapshotId: { offset: 1, epoch: 0 } } });
  });

  it('Leader -> Leader on raft.fetch-snapshot.request: a chunk answered at once, and the voter counts for check-quorum', () => {
    const leader = electedLeader();
    const port = leader.actor.getSnapshot().context.ports.log;
    const bytes = Uint8Array.from({ length: 30 }, (_, i) => i);
    Object.assign(port, { snapshotReader: () => ({ sizeOf: (id: OffsetAndEpoch) => (id.offset === 1 && id.epoch === 0 ? bytes.length : undefined), read: (_id: OffsetAndEpoch, position: number, maxBytes: number) => bytes.slice(position, position + Math.min(maxBytes, 8)) }) });
    const epoch = quorumOf(leader).state.epoch;
    const request = (position: number, snapshotId = { offset: 1, epoch: 0 }) => ({ type: 'raft.fetch-snapshot.request' as const, from: 1, request: { clusterId: CLUSTER_ID, topicName: '__cluster_metadata', partitionIndex: 0, replicaId: 1, maxBytes: 100, currentLeaderEpoch: epoch, snapshotId, position } });
    // Well past the check-quorum timeout (1.5 x fetch timeout) with only snapshot reads from voter 1: still leading.
    for (let round = 0; round < 4; round += 1) {
      leader.clock.advanceBy(5_000);
      leader.actor.send(request(8));
    }
    expect(valueOf(leader)).toEqual({ Leader: 'Serving' });
    expect(lastSent(leader, 'raft.send.fetch-snapshot-answer')).toMatchObject({ to: 1, response: { errorCode: 'NONE', size: 30, position: 8, bytes: Uint8Array.from([8, 9, 10, 11, 12, 13, 14, 15]) } });
    leader.actor.send(request(30));
    expect(lastSent(leader, 'raft.send.fetch-snapshot-answer')).toMatchObject({ response: { errorCode: 'POSITION_OUT_OF_RANGE' } });
    leader.actor.send(request(0, { offset: 2, epoch: 0 }));
    expect(lastSent(leader, 'raft.send.fetch-snapshot-answer')).toMatchObject({ response: { errorCode: 'SNAPSHOT_NOT_FOUND' } });
  });
});
