import type { QuorumInfo } from '@kactor/client';
import { describe, expect, it } from 'vitest';
import { maxFollowerLag, noLeaderJson, quorumJson, quorumText } from './quorum-output.js';

const nowMs = 1_700_000_000_000;

/** Voter 1 leads epoch 4 at log end 20; voter 2 is 5 behind since 900 ms; broker 3 observes, 2 behind. */
const sampleQuorum: QuorumInfo = {
  leaderId: 1,
  leaderEpoch: 4,
  highWatermark: 20,
  voters: [
    { replicaId: 0, logEndOffset: 20, lag: 0, lastFetchTimestamp: nowMs - 100, lastCaughtUpTimestamp: nowMs - 100 },
    { replicaId: 1, logEndOffset: 20, lag: 0, lastFetchTimestamp: nowMs, lastCaughtUpTimestamp: nowMs },
    { replicaId: 2, logEndOffset: 15, lag: 5, lastFetchTimestamp: nowMs - 300, lastCaughtUpTimestamp: nowMs - 900 },
  ],
  observers: [{ replicaId: 3, logEndOffset: 18, lag: 2, lastFetchTimestamp: nowMs - 50, lastCaughtUpTimestamp: -1 }],
};

describe('cluster quorum output', () => {
  it("prints kafka-metadata-quorum's --status fields, then a --replication table with the leader first and each replica's role", () => {
    expect(quorumText(sampleQuorum, 'c-1')).toBe(
      [
        'ClusterId:             c-1',
        'LeaderId:              1',
        'LeaderEpoch:           4',
        'HighWatermark:         20',
        'MaxFollowerLag:        5',
        'MaxFollowerLagTimeMs:  900',
        'CurrentVoters:         [0,1,2]',
        'CurrentObservers:      [3]',
        '',
        'NodeId  LogEndOffset  Lag  LastFetchTimestamp  LastCaughtUpTimestamp  Status',
        `1       20            0    ${nowMs}       ${nowMs}          Leader`,
        `0       20            0    ${nowMs - 100}       ${nowMs - 100}          Follower`,
        `2       15            5    ${nowMs - 300}       ${nowMs - 900}          Follower`,
        `3       18            2    ${nowMs - 50}       -1                     Observer`,
      ].join('\n'),
    );
  });

  it('--human-readable: fetch times as "N ms ago" on the local clock, unknown ones said to be unknown', () => {
    const lines = quorumText(sampleQuorum, null, nowMs).split('\n');
    expect(lines[0]).toBe('ClusterId:             unknown');
    expect(lines.at(-2)).toMatch(/^2 +15 +5 +300 ms ago +900 ms ago +Follower$/);
    expect(lines.at(-1)).toMatch(/^3 +18 +2 +50 ms ago +unknown +Observer$/);
  });

  it('MaxFollowerLag(TimeMs): 0 and 0 when every follower is caught up; -1 ms when the lagging one was never caught up', () => {
    const caughtUp: QuorumInfo = { ...sampleQuorum, voters: sampleQuorum.voters.map((voter) => ({ ...voter, lag: 0, logEndOffset: 20 })) };
    expect(maxFollowerLag(caughtUp)).toEqual({ lag: 0, lagTimeMs: 0 });
    const neverCaughtUp: QuorumInfo = { ...sampleQuorum, voters: sampleQuorum.voters.map((voter) => (voter.replicaId === 2 ? { ...voter, lastCaughtUpTimestamp: -1 } : voter)) };
    expect(maxFollowerLag(neverCaughtUp)).toEqual({ lag: 5, lagTimeMs: -1 });
  });

  it('--json: exactly leaderId, leaderEpoch, highWatermark, voters and observers, each replica with its five fields; no leader is leaderId -1', () => {
    const json = quorumJson(sampleQuorum);
    expect(Object.keys(json)).toEqual(['leaderId', 'leaderEpoch', 'highWatermark', 'voters', 'observers']);
    expect(json.voters[2]).toEqual({ replicaId: 2, logEndOffset: 15, lag: 5, lastFetchTimestamp: nowMs - 300, lastCaughtUpTimestamp: nowMs - 900 });
    expect(json.observers).toEqual([{ replicaId: 3, logEndOffset: 18, lag: 2, lastFetchTimestamp: nowMs - 50, lastCaughtUpTimestamp: -1 }]);
    expect(noLeaderJson(7)).toEqual({ leaderId: -1, leaderEpoch: 7, highWatermark: -1, voters: [], observers: [] });
  });
});
