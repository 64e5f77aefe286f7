import type { ConfigEntry, PartitionDescription, TopicConfigDescription, TopicDescription } from '@kactor/client';
import { describe, expect, it } from 'vitest';
import { describeJson, describeText, minInsyncReplicas, partitionStatus } from './topic-describe-views.js';

const live = new Set([0, 1, 2]);
const partition = (overrides: Partial<PartitionDescription>): PartitionDescription => ({
  partition: 0,
  leader: 0,
  leaderEpoch: 0,
  replicas: [0, 1, 2],
  isr: [0, 1, 2],
  offlineReplicas: [],
  logStartOffset: 0,
  logEndOffset: 10,
  highWatermark: 10,
  ...overrides,
});
const configs = (entries: ReadonlyArray<Omit<ConfigEntry, 'source'>>): TopicConfigDescription => ({
  name: 'orders',
  error: null,
  entries: entries.map((entry) => ({ ...entry, source: entry.isDefault ? 'DEFAULT_CONFIG' : 'TOPIC_CONFIG' })),
});
const minIsrTwo = configs([{ name: 'min.insync.replicas', value: '2', isDefault: false }]);

describe('topics describe: Status of a partition after a broker is lost', () => {
  it('a healthy partition has no status', () => {
    expect(partitionStatus(partition({}), 2, live)).toEqual([]);
  });

  it('one replica out of the ISR is under-replicated; below min.insync.replicas it is under-min-isr too (acks=all fails)', () => {
    expect(partitionStatus(partition({ isr: [0, 1] }), 2, live)).toEqual(['under-replicated']);
    expect(partitionStatus(partition({ isr: [0] }), 2, live)).toEqual(['under-min-isr', 'under-replicated']);
  });

  it('no leader, or a leader that is not a live broker, is offline', () => {
    expect(partitionStatus(partition({ leader: -1, isr: [2] }), 1, live)).toEqual(['offline', 'under-replicated']);
    expect(partitionStatus(partition({ leader: 2 }), 1, new Set([0, 1]))).toEqual(['offline']);
  });

  it('a live leader that did not answer for its offsets (-1) is leader-unreachable: killed, and not fenced yet', () => {
    expect(partitionStatus(partition({ leader: 2, logStartOffset: -1, logEndOffset: -1, highWatermark: -1 }), 2, live)).toEqual(['leader-unreachable']);
    expect(partitionStatus(partition({ leader: -1, logStartOffset: -1, logEndOffset: -1, highWatermark: -1 }), 1, live)).toEqual(['offline']);
  });

  it('min.insync.replicas is the topic\'s effective setting, 1 when it could not be read', () => {
    expect(minInsyncReplicas(minIsrTwo)).toBe(2);
    expect(minInsyncReplicas(configs([{ name: 'min.insync.replicas', value: '1', isDefault: true }]))).toBe(1);
    expect(minInsyncReplicas(undefined)).toBe(1);
  });
});

describe("topics describe: Kafka's kafka-topics.sh lines with the leader epoch and Status", () => {
  const topic: TopicDescription = {
    name: 'orders',
    topicId: 'id-1',
    isInternal: false,
    error: null,
    partitions: [partition({ leaderEpoch: 3 }), partition({ partition: 1, leader: 1, leaderEpoch: 5, replicas: [2, 1, 0], isr: [1, 0], offlineReplicas: [2] }), partition({ partition: 2, leader: -1, isr: [2], replicas: [2, 1, 0] })],
  };

  it('prints LeaderEpoch after the leader, Offline replicas, and Status only for partitions that are not healthy', () => {
    expect(describeText(topic, minIsrTwo, new Set([0, 1])).split('\n')).toEqual([
      'Topic: orders\tTopicId: id-1\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: min.insync.replicas=2',
      '\tTopic: orders\tPartition: 0\tLeader: 0\tLeaderEpoch: 3\tReplicas: 0,1,2\tIsr: 0,1,2\tLogStartOffset: 0\tLogEndOffset: 10\tHighWatermark: 10',
      '\tTopic: orders\tPartition: 1\tLeader: 1\tLeaderEpoch: 5\tReplicas: 2,1,0\tIsr: 1,0\tOffline: 2\tLogStartOffset: 0\tLogEndOffset: 10\tHighWatermark: 10\tStatus: under-replicated',
      '\tTopic: orders\tPartition: 2\tLeader: none\tLeaderEpoch: 0\tReplicas: 2,1,0\tIsr: 2\tLogStartOffset: 0\tLogEndOffset: 10\tHighWatermark: 10\tStatus: offline,under-min-isr,under-replicated',
    ]);
  });

  it('--json carries the same status list per partition (empty when healthy)', () => {
    expect(describeJson(topic, minIsrTwo, new Set([0, 1])).partitions.map((entry) => entry.status)).toEqual([[], ['under-replicated'], ['offline', 'under-min-isr', 'under-replicated']]);
  });
});
