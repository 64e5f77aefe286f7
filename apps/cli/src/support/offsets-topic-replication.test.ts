import { describe, expect, it } from 'vitest';
import { clusterOffsetsTopicNote, clusterOffsetsTopicOverrides, singleNodeOffsetsTopicOverrides } from './offsets-topic-replication.js';

describe('offsets.topic.replication.factor on local clusters', () => {
  it('cluster up lowers it to the broker count below Kafka’s default of 3', () => {
    expect(clusterOffsetsTopicOverrides([], 1)).toEqual(['offsets.topic.replication.factor=1']);
    expect(clusterOffsetsTopicOverrides(['log.segment.bytes=1024'], 2)).toEqual(['offsets.topic.replication.factor=2', 'log.segment.bytes=1024']);
  });

  it('cluster up keeps Kafka’s default from 3 brokers on, and says so to every broker (broker 0 runs the controller but is no lone broker)', () => {
    expect(clusterOffsetsTopicOverrides([], 3)).toEqual(['offsets.topic.replication.factor=3']);
    expect(clusterOffsetsTopicOverrides([], 5)).toEqual(['offsets.topic.replication.factor=3']);
  });

  it('a value given with --override wins', () => {
    expect(clusterOffsetsTopicOverrides(['offsets.topic.replication.factor=3'], 1)).toEqual(['offsets.topic.replication.factor=3']);
    expect(singleNodeOffsetsTopicOverrides([' offsets.topic.replication.factor =2'], true)).toEqual({});
  });

  it('a lone broker running its own controller gets 1; a broker joining a controller keeps the default', () => {
    expect(singleNodeOffsetsTopicOverrides([], true)).toEqual({ 'offsets.topic.replication.factor': '1' });
    expect(singleNodeOffsetsTopicOverrides([], false)).toEqual({});
  });

  it('cluster up says so when it lowered the factor, and only then', () => {
    expect(clusterOffsetsTopicNote([], 2)).toBe("__consumer_offsets gets 2 replica(s) per partition: offsets.topic.replication.factor lowered from Kafka's 3 to the 2 broker(s) of this cluster");
    expect(clusterOffsetsTopicNote([], 3)).toBeNull();
    expect(clusterOffsetsTopicNote(['offsets.topic.replication.factor=1'], 1)).toBeNull();
  });
});
