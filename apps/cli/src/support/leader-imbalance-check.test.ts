import { describe, expect, it } from 'vitest';
import { clusterLeaderImbalanceOverrides, leaderImbalanceNote } from './leader-imbalance-check.js';

describe('leader.imbalance.check.interval.seconds on a cluster up cluster', () => {
  it('is 10 s unless the user set it, so preferred leaders come back while a user watches', () => {
    expect(clusterLeaderImbalanceOverrides([])).toEqual(['leader.imbalance.check.interval.seconds=10']);
    expect(clusterLeaderImbalanceOverrides(['log.segment.bytes=1024'])).toEqual(['leader.imbalance.check.interval.seconds=10', 'log.segment.bytes=1024']);
    expect(clusterLeaderImbalanceOverrides([' leader.imbalance.check.interval.seconds =300'])).toEqual([' leader.imbalance.check.interval.seconds =300']);
  });

  it("cluster up says how soon preferred leaders return, Kafka's default, and the command that elects them now", () => {
    expect(leaderImbalanceNote(clusterLeaderImbalanceOverrides([]))).toBe(
      "preferred leaders return within leader.imbalance.check.interval.seconds=10 s (Kafka's default is 300 s), or at once with kactor topics elect-leaders --election-type preferred --all-topic-partitions",
    );
    expect(leaderImbalanceNote(['leader.imbalance.check.interval.seconds=300'])).toBe(
      'preferred leaders return within leader.imbalance.check.interval.seconds=300 s, or at once with kactor topics elect-leaders --election-type preferred --all-topic-partitions',
    );
    expect(leaderImbalanceNote(['auto.leader.rebalance.enable=false'])).toBe(
      'auto.leader.rebalance.enable=false: preferred leaders return only with kactor topics elect-leaders --election-type preferred --all-topic-partitions',
    );
    expect(leaderImbalanceNote(['leader.imbalance.check.interval.seconds=soon'])).toBeUndefined();
  });
});
