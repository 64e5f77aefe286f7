/**
 * Metadata snapshots between RaftReplicaHosts over RPC (KIP-630): the leader snapshots its committed records and
 * cleans its log while a voter is down; the returning voter is answered with the snapshot's id, reads it with
 * FetchSnapshot in small chunks, installs it in place of its log and goes on fetching, ending with the same
 * committed data as the leader.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataRecord } from '../controller/metadata-records.js';
import { decodeMetadataSnapshot, readSnapshotBytes, writeMetadataSnapshot } from './metadata-snapshot-file.js';
import { QuorumTestCluster, type QuorumTestNode } from './test-support.js';

const topicRecord = (i: number): MetadataRecord => ({ type: 'Topic', name: `topic-${i}`, topicId: `id-${i}` });

let cluster: QuorumTestCluster | undefined;
afterEach(() => {
  cluster?.close();
  cluster = undefined;
});

async function electedLeader(quorum: QuorumTestCluster): Promise<QuorumTestNode> {
  await quorum.until(() => quorum.agreedLeader() !== undefined, 'one leader every running node agrees on', 10_000);
  return quorum.node(quorum.agreedLeader()!);
}

const highWatermarkOf = (node: QuorumTestNode) => node.committed.at(-1)?.highWatermark ?? 0;

describe('RaftReplicaHost: metadata snapshots (KIP-630)', () => {
  it('a voter down while the leader snapshots and cleans its log catches up through FetchSnapshot with identical committed data', async () => {
    // Small Fetch and FetchSnapshot answers, so the snapshot comes in several chunks.
    const quorum = new QuorumTestCluster([0, 1, 2], 5, { maxFetchBytes: 200 });
    cluster = quorum;
    for (const id of [0, 1, 2]) await quorum.start(id);
    const leader = await electedLeader(quorum);
    leader.host.append([topicRecord(0)], quorum.clock.now());
    const down = [0, 1, 2].find((id) => id !== leader.id)!;
    await quorum.until(() => highWatermarkOf(quorum.node(down)) >= 2, 'the voter committed the first record');
    const downEnd = quorum.logOf(down).logEndOffset;
    quorum.halt(down);

    const records = Array.from({ length: 30 }, (_, i) => topicRecord(i + 1));
    for (const record of records) leader.host.append([record], quorum.clock.now());
    const end = leader.host.logEndOffset;
    await quorum.until(() => highWatermarkOf(leader) === end, 'the two voters up committed everything');

    // The leader's snapshot of everything committed (as the node's snapshot generator writes it), then its log start moves there.
    const leaderLog = quorum.logOf(leader.id);
    const snapshotId = { endOffset: end, epoch: leaderLog.leaderEpochCache.epochForOffset(end - 1)! };
    const snapshotRecords = [topicRecord(0), ...records];
    writeMetadataSnapshot(quorum.snapshotsOf(leader.id), { id: snapshotId, records: snapshotRecords, timestampMs: quorum.clock.now(), lastContainedLogTimestampMs: quorum.clock.now() });
    leaderLog.advanceLogStartOffset(end);
    expect(leaderLog.logStartOffset).toBeGreaterThan(downEnd);

    const returned = await quorum.start(down);
    await quorum.until(() => returned.installed.length === 1, 'the returning voter installed the snapshot');
    expect(returned.installed).toEqual([snapshotId]);
    // Its log starts at the snapshot's end, and the snapshot it holds is byte for byte the leader's.
    const returnedLog = quorum.logOf(down);
    expect(returnedLog.logStartOffset).toBe(end);
    const snapshotBytes = readSnapshotBytes(quorum.snapshotsOf(down), snapshotId);
    expect(snapshotBytes).toEqual(readSnapshotBytes(quorum.snapshotsOf(leader.id), snapshotId));
    expect(snapshotBytes.length).toBeGreaterThan(200);
    expect(decodeMetadataSnapshot(snapshotBytes).records).toEqual(snapshotRecords);

    // It goes on from there: what the leader commits next reaches it as committed records.
    const after = leader.host.append([topicRecord(99)], quorum.clock.now());
    await quorum.until(() => highWatermarkOf(returned) > after.baseOffset, 'the returning voter committed the next record');
    const deliveredAfterSnapshot = returned.committed.flatMap((batch) => batch.records).filter(({ offset }) => offset >= end);
    expect(deliveredAfterSnapshot).toEqual([{ offset: after.baseOffset, record: topicRecord(99) }]);
    expect(returned.committed.flatMap((batch) => batch.records).some(({ offset }) => offset < end && offset >= downEnd)).toBe(false);
    for (const node of quorum.nodes) expect(node.fatal).toEqual([]);
  });

  it('FetchSnapshot for a snapshot the leader does not hold is answered SNAPSHOT_NOT_FOUND; a position past its end POSITION_OUT_OF_RANGE', async () => {
    const quorum = new QuorumTestCluster([0, 1, 2], 6);
    cluster = quorum;
    for (const id of [0, 1, 2]) await quorum.start(id);
    const leader = await electedLeader(quorum);
    leader.host.append([topicRecord(0)], quorum.clock.now());
    const end = leader.host.logEndOffset;
    await quorum.until(() => highWatermarkOf(leader) === end, 'committed');
    const epoch = leader.host.leader().epoch;
    writeMetadataSnapshot(quorum.snapshotsOf(leader.id), { id: { endOffset: end, epoch }, records: [topicRecord(0)], timestampMs: 0, lastContainedLogTimestampMs: 0 });
    const ask = (snapshotEpoch: number, position: number) =>
      quorum.request(leader.id, 'fetchSnapshot', { clusterId: null, replicaId: 9, maxBytes: 1_000, topics: [{ name: '__cluster_metadata', partitions: [{ partition: 0, currentLeaderEpoch: epoch, snapshotId: { endOffset: end, epoch: snapshotEpoch }, position }] }] });
    const errorOf = async (snapshotEpoch: number, position: number) => {
      const result = await ask(snapshotEpoch, position);
      return result.ok ? result.body.topics[0]?.partitions[0]?.errorCode : undefined;
    };
    expect(await errorOf(epoch + 1, 0)).toBe(98);
    const size = quorum.snapshotsOf(leader.id).sizeBytes({ endOffset: end, epoch });
    expect(await errorOf(epoch, size)).toBe(99);
    const whole = await ask(epoch, 0);
    expect(whole.ok && whole.body.topics[0]?.partitions[0]).toMatchObject({ errorCode: 0, size, position: 0 });
    expect(whole.ok && whole.body.topics[0]?.partitions[0]?.unalignedRecords.length).toBe(size);
  });
});
