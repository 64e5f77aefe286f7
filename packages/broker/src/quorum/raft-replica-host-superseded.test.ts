import { encodeLeaderChangeBatch, type ApiName } from '@kactor/protocol';
import { createLogger, createSeededRandom, SimulatedClock, type PeerRequester, type Responder, type RpcResult } from '@kactor/runtime';
import { MemoryQuorumStateStore, ZERO_DIRECTORY_ID } from '@kactor/storage';
import { describe, expect, it } from 'vitest';
import { RaftReplicaHost } from './raft-replica-host.js';
import { CLUSTER_ID, QuorumTestCluster } from './test-support.js';

// Kafka's default controller.quorum.fetch.timeout.ms.
const FETCH_TIMEOUT_MS = 2000;

/** A follower (node 1) of leader 0 in epoch 1 whose requests go nowhere: the test answers them by hand. */
function followerWithHandAnsweredPeers() {
  const clock = new SimulatedClock();
  const requests: { api: ApiName; answer: (result: RpcResult<'fetch'>) => void }[] = [];
  const peers: PeerRequester = {
    request: (_url, api, _body, onResult) => requests.push({ api, answer: onResult as (result: RpcResult<'fetch'>) => void }),
  };
  const responder: Responder = { respond: () => undefined, respondError: () => undefined, finish: () => undefined };
  const quorumState = new MemoryQuorumStateStore();
  quorumState.write({ leaderId: 0, leaderEpoch: 1, votedId: -1, votedDirectoryId: ZERO_DIRECTORY_ID });
  const fixture = new QuorumTestCluster([0, 1, 2]);
  const log = fixture.logOf(1);
  const fatal: unknown[] = [];
  const host = new RaftReplicaHost({
    nodeId: 1,
    clusterId: CLUSTER_ID,
    voters: fixture.voters,
    config: fixture.config,
    log,
    quorumState,
    clock,
    random: createSeededRandom(1),
    logger: createLogger({}),
    peers,
    responder,
    onCommitted: () => undefined,
    onLeaderChanged: () => undefined,
    onReplicaProgress: () => undefined,
    onFatalError: (error) => fatal.push(error),
  });
  host.start();
  return { clock, requests, log, fatal, host };
}

function fetchAnswer(records: Uint8Array): RpcResult<'fetch'> {
  return {
    ok: true,
    body: {
      throttleTimeMs: 0,
      errorCode: 0,
      responses: [
        {
          topic: '__cluster_metadata',
          partitions: [
            { partitionIndex: 0, errorCode: 0, highWatermark: -1, lastStableOffset: -1, logStartOffset: 0, abortedTransactions: null, currentLeader: { leaderId: 0, leaderEpoch: 1 }, records },
          ],
        },
      ],
    },
  };
}

describe('RaftReplicaHost: only the latest request to a replica is answered (Kafka\'s RequestManager.isResponseExpected)', () => {
  it('drops the answer to a Fetch superseded by a newer one, so a follower never appends the same records twice', () => {
    const { clock, requests, log, fatal } = followerWithHandAnsweredPeers();
    expect(requests.map((request) => request.api)).toEqual(['fetch']);
    // An empty answer restarts the fetch timer and the follower fetches again; the timer armed before still fires
    // at the old deadline and the chart fetches once more, while the second Fetch is still out.
    clock.advanceBy(FETCH_TIMEOUT_MS / 2);
    requests[0]!.answer(fetchAnswer(new Uint8Array(0)));
    clock.advanceBy(FETCH_TIMEOUT_MS / 2);
    expect(requests.map((request) => request.api)).toEqual(['fetch', 'fetch', 'fetch']);

    // The leader answers both outstanding fetches (same offset, same records): only the latest is applied.
    const leaderChange = encodeLeaderChangeBatch({ leaderEpoch: 1, baseOffset: 0, timestampMs: 0, leaderId: 0, voters: [{ voterId: 0 }], grantingVoters: [{ voterId: 0 }] });
    requests[1]!.answer(fetchAnswer(leaderChange));
    expect(log.logEndOffset).toBe(0);
    requests[2]!.answer(fetchAnswer(leaderChange));
    expect(log.logEndOffset).toBe(1);
    expect(fatal).toEqual([]);
  });
});
