/**
 * Transactional offset commits on the group statechart (KIP-98, KIP-447), named as transitions. Cases after Kafka's
 * OffsetMetadataManagerTest (testGenericGroupTransactionalOffsetCommit*, testReplayTransactionEndMarkerWithCommit/Abort,
 * testReplayTransactionEndMarkerKeepsTheMostRecentCommittedOffset) and GroupMetadataManagerTest's zombie fencing.
 */
import { errorForCode, type RequestBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { offsetFetchAnswer } from './group-offsets.js';
import { startGroup } from './group-test-support.js';

const producerId = 1000;
const producerEpoch = 3;

/** One member through its first rebalance to Stable in generation 1. */
async function stableGroup(options: Parameters<typeof startGroup>[0] = {}) {
  const g = startGroup(options);
  const a = g.joinFully('a');
  await g.clock.advanceByAsync(3_000);
  g.sync('a', a.memberId, 1, [[a.memberId, 'to-a']]);
  expect(g.state()).toBe('Stable');
  return { g, memberId: a.memberId };
}

function txnCommit(g: ReturnType<typeof startGroup>, member: { memberId: string; generationId: number; groupInstanceId?: string | null }, offset: number, producer = producerId) {
  const body: RequestBody<'txnOffsetCommit'> = {
    transactionalId: 'copier-1',
    groupId: 'g',
    producerId: producer,
    producerEpoch,
    generationId: member.generationId,
    memberId: member.memberId,
    groupInstanceId: member.groupInstanceId ?? null,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: 'txn' }] }],
  };
  const id = g.send('txnOffsetCommit', 'producer', body);
  const answer = g.answer(id) as { topics: Array<{ partitions: Array<{ errorCode: number }> }> } | undefined;
  const code = answer?.topics[0]?.partitions[0]?.errorCode;
  return code === undefined ? undefined : errorForCode(code).name;
}

/** OffsetFetch of t-0 as the coordinator answers it from the group's data. */
function fetched(g: ReturnType<typeof startGroup>, requireStable = false) {
  const answer = offsetFetchAnswer(g.group(), { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }], requireStable });
  const partition = answer.topics[0]?.partitions[0];
  return { error: errorForCode(partition?.errorCode ?? -1).name, offset: partition?.committedOffset };
}

describe('transactional offset commits (KIP-447)', () => {
  it('Stable: a member of the current generation commits in a transaction; the offsets are written as the producer’s transactional batch and stay pending', async () => {
    const { g, memberId } = await stableGroup();
    expect(txnCommit(g, { memberId, generationId: 1 }, 42)).toBe('NONE');
    expect(g.appendedTransactional.at(-1)).toEqual({ producerId, producerEpoch });
    expect(g.appended.at(-1)).toMatchObject([{ type: 'OffsetCommit', groupId: 'g', topic: 't', partition: 0, value: { offset: 42, metadata: 'txn' } }]);
    // Invisible to OffsetFetch until the marker; a consumer asking for stable offsets is told to retry.
    expect(fetched(g)).toEqual({ error: 'NONE', offset: -1 });
    expect(fetched(g, true)).toEqual({ error: 'UNSTABLE_OFFSET_COMMIT', offset: -1 });
  });

  it('txn.completed COMMIT applies the pending offsets; OffsetFetch (stable) shows them', async () => {
    const { g, memberId } = await stableGroup();
    txnCommit(g, { memberId, generationId: 1 }, 42);
    g.actor.send({ type: 'txn.completed', producerId, result: 'COMMIT' });
    expect(fetched(g, true)).toEqual({ error: 'NONE', offset: 42 });
    expect(g.group().pendingTransactionalOffsets).toEqual({});
  });

  it('txn.completed ABORT drops the pending offsets: the previous commit stays', async () => {
    const { g, memberId } = await stableGroup();
    g.commit('a', memberId, 1, 10);
    txnCommit(g, { memberId, generationId: 1 }, 42);
    g.actor.send({ type: 'txn.completed', producerId, result: 'ABORT' });
    expect(fetched(g, true)).toEqual({ error: 'NONE', offset: 10 });
    expect(g.group().pendingTransactionalOffsets).toEqual({});
  });

  it('a marker of another producer decides nothing here', async () => {
    const { g, memberId } = await stableGroup();
    txnCommit(g, { memberId, generationId: 1 }, 42);
    g.actor.send({ type: 'txn.completed', producerId: producerId + 1, result: 'COMMIT' });
    expect(fetched(g, true).error).toBe('UNSTABLE_OFFSET_COMMIT');
  });

  it('a regular commit written after the transactional one wins when the transaction commits (the most recent record)', async () => {
    const { g, memberId } = await stableGroup();
    txnCommit(g, { memberId, generationId: 1 }, 42);
    g.commit('a', memberId, 1, 50);
    g.actor.send({ type: 'txn.completed', producerId, result: 'COMMIT' });
    expect(fetched(g)).toEqual({ error: 'NONE', offset: 50 });
  });

  it('KIP-447: a zombie producer-consumer of the previous generation is refused with ILLEGAL_GENERATION after a rebalance', async () => {
    const { g, memberId } = await stableGroup();
    const b = g.joinFully('b');
    g.join('a', memberId);
    await g.clock.advanceByAsync(0);
    expect(g.state()).toBe('CompletingRebalance');
    expect(g.group().generationId).toBe(2);
    expect(txnCommit(g, { memberId, generationId: 1 }, 42)).toBe('ILLEGAL_GENERATION');
    // Unlike a regular commit, a transactional one of the current generation is accepted while the group completes its rebalance.
    expect(txnCommit(g, { memberId: b.memberId, generationId: 2 }, 43)).toBe('NONE');
    expect(g.appendedTransactional.filter((write) => write !== undefined)).toHaveLength(1);
  });

  it('refuses an unknown member (UNKNOWN_MEMBER_ID) and an older incarnation of a static member (FENCED_INSTANCE_ID, KIP-345)', async () => {
    const g = startGroup();
    const join = g.send('joinGroup', 'a', {
      groupId: 'g',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 30_000,
      memberId: '',
      groupInstanceId: 'copier-a',
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: new Uint8Array([1]) }],
      reason: null,
      clientId: 'a',
    });
    await g.clock.advanceByAsync(3_000);
    const memberId = g.answer(join)?.memberId as string;
    g.send('syncGroup', 'a', { groupId: 'g', generationId: 1, memberId, groupInstanceId: 'copier-a', protocolType: 'consumer', protocolName: null, assignments: [] });
    expect(g.state()).toBe('Stable');
    expect(txnCommit(g, { memberId: 'ghost', generationId: 1 }, 42)).toBe('UNKNOWN_MEMBER_ID');
    expect(txnCommit(g, { memberId: 'copier-a-old-incarnation', generationId: 1, groupInstanceId: 'copier-a' }, 42)).toBe('FENCED_INSTANCE_ID');
    expect(txnCommit(g, { memberId, generationId: 1, groupInstanceId: 'copier-a' }, 42)).toBe('NONE');
    expect(g.appendedTransactional.filter((write) => write !== undefined)).toHaveLength(1);
  });

  it('an Empty group accepts a commit outside any generation (generation -1, no member: a simple consumer or an admin)', () => {
    const g = startGroup();
    expect(txnCommit(g, { memberId: '', generationId: -1 }, 7)).toBe('NONE');
    g.actor.send({ type: 'txn.completed', producerId, result: 'COMMIT' });
    expect(fetched(g).offset).toBe(7);
  });

  it('a failed append answers the producer with the mapped error and leaves nothing pending', async () => {
    let fail = false;
    const { g, memberId } = await stableGroup({ failAppends: () => fail });
    fail = true;
    expect(txnCommit(g, { memberId, generationId: 1 }, 42)).toBe('NOT_COORDINATOR');
    expect(g.group().pendingTransactionalOffsets).toEqual({});
  });

  it('an append still on its way when the group unloads is answered NOT_COORDINATOR', async () => {
    const g = startGroup({ holdAppends: true });
    const id = g.send('txnOffsetCommit', 'producer', {
      transactionalId: 'copier-1',
      groupId: 'g',
      producerId,
      producerEpoch,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null }] }],
    });
    expect(g.answer(id)).toBeUndefined();
    g.actor.send({ type: 'group.unload' });
    const answer = g.answer(id) as { topics: Array<{ partitions: Array<{ errorCode: number }> }> };
    expect(errorForCode(answer.topics[0]?.partitions[0]?.errorCode ?? -1).name).toBe('NOT_COORDINATOR');
  });
});
