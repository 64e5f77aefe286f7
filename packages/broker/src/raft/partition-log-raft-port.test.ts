import { decodeLeaderChangeMessage, decodeRecordBatches, encodeRecordBatch, parseConfig, topicDefaults } from '@kactor/protocol';
import { SimulatedClock } from '@kactor/runtime';
import { MemoryLogStore, type PartitionLog } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { partitionLogRaftPort } from './partition-log-raft-port.js';
import { raftReplicaMachine } from './raft-replica.machine.js';
import { CLUSTER_METADATA_TOPIC } from './vote-request.js';
import { config, fixedRandom } from './test-support.js';

const topicConfig = parseConfig('topic', {}, { defaults: topicDefaults(parseConfig('broker', { 'node.id': '1', 'process.roles': 'broker' })) });

describe('the Raft replica statechart on storage MemoryLogs', () => {
  it('three replicas elect a leader whose LeaderChangeMessage reaches every MemoryLog, with its epoch in each epoch cache', () => {
    const clock = new SimulatedClock();
    const voters = [0, 1, 2];
    const logs: PartitionLog[] = voters.map(() => new MemoryLogStore({ clock }).open(CLUSTER_METADATA_TOPIC, 0, 'metadata-id', topicConfig));
    const actors = voters.map((localId) =>
      createActor(raftReplicaMachine, {
        clock,
        input: {
          config: config(voters, localId),
          clusterId: 'raft-cluster',
          electionBackoffMaxMs: 1000,
      retryBackoffMs: 20,
          ports: {
            persist: () => undefined,
            random: fixedRandom(localId * 300),
            now: () => clock.now(),
            log: partitionLogRaftPort(logs[localId]!, { now: () => clock.now(), maxFetchBytes: 1024 * 1024 }),
          },
        },
      }),
    );
    actors.forEach((actor, from) => {
      actor.on('*', (message) => {
        if (!('to' in message)) return undefined;
        const to = actors[message.to]!;
        switch (message.type) {
          case 'raft.send.vote':
            return to.send({ type: 'raft.vote.request', from, request: message.request });
          case 'raft.send.vote-answer':
            return to.send({ type: 'raft.vote.response', response: { from, ...message.response } });
          case 'raft.send.begin-quorum-epoch':
            return to.send({ type: 'raft.begin-quorum-epoch.request', from, request: message.request });
          case 'raft.send.fetch':
            return to.send({ type: 'raft.fetch.request', from, request: message.request });
          case 'raft.send.fetch-answer':
            return to.send({ type: 'raft.fetch.response', from, response: message.response });
          default:
            return undefined;
        }
      });
      actor.start();
    });

    clock.advanceBy(20_000);
    expect(actors.map((actor) => actor.getSnapshot().context.quorum?.state.name)).toEqual(['Leader', 'Follower', 'Follower']);
    for (const log of logs) {
      expect(log.logEndOffset).toBe(1);
      expect(log.leaderEpochCache.latestEpoch).toBe(1);
      const [batch] = decodeRecordBatches(log.read(0, 1024 * 1024, 1).records).batches;
      expect(batch?.isControl).toBe(true);
      expect(batch?.partitionLeaderEpoch).toBe(1);
      expect(decodeLeaderChangeMessage(batch!.records[0]!.value!)).toEqual(expect.objectContaining({ leaderId: 0, voters: voters.map((voterId) => ({ voterId })) }));
    }
    // The followers learned the committed high watermark from the leader.
    for (const actor of actors.slice(1)) expect(actor.getSnapshot().context.quorum?.state).toEqual(expect.objectContaining({ highWatermark: 1 }));
  });
});

describe('the Raft log port as the leader', () => {
  it('flushes what the leader appends, so the log end it counts towards the high watermark survives a crash', () => {
    // Found by the Raft event simulation (MajorityReachedHighWatermark): a leader counted its unflushed records, a
    // power loss dropped them, and a "committed" offset was held durably by a minority only.
    const clock = new SimulatedClock();
    const log = new MemoryLogStore({ clock }).open(CLUSTER_METADATA_TOPIC, 0, 'metadata-id', topicConfig);
    const port = partitionLogRaftPort(log, { now: () => clock.now(), maxFetchBytes: 1024 * 1024 });
    port.appendLeaderChangeAsLeader({ version: 0, leaderId: 0, voters: [{ voterId: 0 }], grantingVoters: [{ voterId: 0 }] }, 1);
    expect(log.recoveryPoint).toBe(1);
    port.appendAsLeader(encodeRecordBatch({ records: [{ key: null, value: new TextEncoder().encode('a'), headers: [], timestamp: 0 }] }), 1);
    expect(log.logEndOffset).toBe(2);
    expect(log.recoveryPoint).toBe(2);
  });
});
