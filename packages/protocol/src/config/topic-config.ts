import type { BrokerConfig } from './broker-config.js';
import { boolean, enumList, int, long } from './define.js';
import { defineScope } from './scope.js';
import { LONG_MAX_VALUE } from './values.js';

/**
 * A topic's settings (Kafka's `TopicConfig` / `LogConfig`), typed. The field names of the log settings
 * are those of storage's `LogConfig` (segmentBytes, segmentMs, indexIntervalBytes, segmentIndexBytes,
 * flushMessages, flushMs, maxMessageBytes), so a `TopicConfig` can be handed to the log as is.
 *
 * Each setting's default is the broker setting named in its `brokerSynonym` (Kafka's
 * `ServerTopicConfigSynonyms`); `topicDefaults(brokerConfig)` computes them, and
 * `parseConfig('topic', entries, { defaults: topicDefaults(brokerConfig) })` applies a topic's
 * overrides on top. Without `defaults`, Kafka's static defaults apply.
 */
export interface TopicConfig {
  /** segment.bytes (broker: log.segment.bytes): segment size before rolling. */
  readonly segmentBytes: number;
  /** segment.ms (broker: log.roll.ms): segment age before rolling. */
  readonly segmentMs: number;
  /** segment.index.bytes (broker: log.index.size.max.bytes): offset index size; full rolls the segment. */
  readonly segmentIndexBytes: number;
  /** index.interval.bytes (broker: log.index.interval.bytes): bytes between offset index entries. */
  readonly indexIntervalBytes: number;
  /** flush.messages (broker: log.flush.interval.messages): unflushed messages that force an fsync. */
  readonly flushMessages: number;
  /** flush.ms (broker: log.flush.interval.ms): age of unflushed data that forces an fsync. */
  readonly flushMs: number;
  /** max.message.bytes (broker: message.max.bytes): the largest record batch accepted. */
  readonly maxMessageBytes: number;
  /** min.insync.replicas (broker: min.insync.replicas): in-sync replicas an acks=all write needs. */
  readonly minInsyncReplicas: number;
  /** unclean.leader.election.enable (broker: unclean.leader.election.enable): may a replica outside the ISR lead, losing data? */
  readonly uncleanLeaderElectionEnable: boolean;
  /** cleanup.policy (broker: log.cleanup.policy): delete, compact or both (only delete is accepted: compaction is not implemented). */
  readonly cleanupPolicy: readonly ('delete' | 'compact')[];
  /** retention.ms (broker: log.retention.ms): retention by age, -1 forever (not enforced yet: only -1 is accepted). */
  readonly retentionMs: number;
  /** retention.bytes (broker: log.retention.bytes): retention by size, -1 unlimited (not enforced yet: only -1 is accepted). */
  readonly retentionBytes: number;
}

export const topicConfig = defineScope<TopicConfig>('topic', {
  segmentBytes: int({ name: 'segment.bytes', doc: 'Size at which the partition\'s active segment is closed and a new one started.', default: 1_073_741_824, min: 14, unit: 'bytes', brokerSynonym: 'log.segment.bytes' }),
  segmentMs: long({ name: 'segment.ms', doc: 'Age at which the active segment is rolled even if not full.', default: 604_800_000, min: 1, unit: 'ms', brokerSynonym: 'log.roll.ms' }),
  segmentIndexBytes: int({
    name: 'segment.index.bytes',
    doc: 'Size of a segment\'s offset index; when it is full the segment rolls.',
    default: 10_485_760,
    min: 4,
    unit: 'bytes',
    brokerSynonym: 'log.index.size.max.bytes',
  }),
  indexIntervalBytes: int({
    name: 'index.interval.bytes',
    doc: 'Bytes of records between two entries of the sparse offset index: smaller means faster seeks and a bigger index.',
    default: 4_096,
    min: 0,
    unit: 'bytes',
    brokerSynonym: 'log.index.interval.bytes',
  }),
  flushMessages: long({
    name: 'flush.messages',
    doc: 'Messages appended before an fsync is forced; the default never forces one.',
    default: LONG_MAX_VALUE,
    min: 1,
    unit: 'messages',
    brokerSynonym: 'log.flush.interval.messages',
  }),
  flushMs: long({
    name: 'flush.ms',
    doc: 'Age of the oldest unflushed data at which an fsync is forced; the default never forces one.',
    default: LONG_MAX_VALUE,
    min: 0,
    unit: 'ms',
    brokerSynonym: 'log.flush.interval.ms',
  }),
  maxMessageBytes: int({
    name: 'max.message.bytes',
    doc: 'The largest record batch (after compression) the topic accepts.',
    default: 1_048_588,
    min: 0,
    unit: 'bytes',
    brokerSynonym: 'message.max.bytes',
  }),
  minInsyncReplicas: int({
    name: 'min.insync.replicas',
    doc: 'In-sync replicas (the leader included) an acks=all write needs; fewer gives NOT_ENOUGH_REPLICAS. The effective value is at most the replication factor.',
    default: 1,
    min: 1,
    unit: 'replicas',
    brokerSynonym: 'min.insync.replicas',
  }),
  uncleanLeaderElectionEnable: boolean({
    name: 'unclean.leader.election.enable',
    doc: 'When no in-sync replica can lead, let a live replica outside the ISR lead (ISR = [it]) rather than leave the partition offline; records it lacks are lost, acknowledged ones included.',
    default: false,
    brokerSynonym: 'unclean.leader.election.enable',
  }),
  cleanupPolicy: enumList({
    name: 'cleanup.policy',
    doc: 'How old data goes: delete whole segments past retention, compact to the newest record per key, or both.',
    default: ['delete'],
    values: ['delete', 'compact'],
    unique: true,
    implemented: false,
    effectiveValue: ['delete'],
    brokerSynonym: 'log.cleanup.policy',
    note: 'kactor does not compact yet: only `delete` (whose retention keeps every record for now) is accepted.',
  }),
  retentionMs: long({
    name: 'retention.ms',
    doc: 'Retention by age: segments whose newest record is older are deleted; -1 keeps them forever.',
    default: 604_800_000,
    min: -1,
    unit: 'ms',
    implemented: false,
    effectiveValue: -1,
    brokerSynonym: 'log.retention.ms',
    note: 'kactor does not enforce retention yet and keeps every segment: only -1 (forever) is accepted.',
  }),
  retentionBytes: long({
    name: 'retention.bytes',
    doc: 'Retention by size of the partition; -1 means no limit.',
    default: -1,
    unit: 'bytes',
    implemented: false,
    effectiveValue: -1,
    brokerSynonym: 'log.retention.bytes',
    note: 'kactor does not enforce retention yet and keeps every segment: only -1 (no limit) is accepted.',
  }),
});

/**
 * A topic's defaults on this broker: each topic setting takes the value of its broker synonym
 * (`segment.ms` ← `log.roll.ms`, already resolved from `log.roll.hours` in `BrokerConfig`).
 */
export function topicDefaults(broker: BrokerConfig): TopicConfig {
  return Object.freeze({
    segmentBytes: broker.logSegmentBytes,
    segmentMs: broker.logRollMs,
    segmentIndexBytes: broker.logIndexSizeMaxBytes,
    indexIntervalBytes: broker.logIndexIntervalBytes,
    flushMessages: broker.logFlushIntervalMessages,
    flushMs: broker.logFlushIntervalMs,
    maxMessageBytes: broker.messageMaxBytes,
    minInsyncReplicas: broker.minInsyncReplicas,
    uncleanLeaderElectionEnable: broker.uncleanLeaderElectionEnable,
    // Neither retention nor compaction runs yet: a topic keeps every record whatever the broker's log.retention.* and
    // log.cleanup.policy say, so its settings are what kactor does (the declarations' effective values).
    cleanupPolicy: ['delete'] as const,
    retentionMs: -1,
    retentionBytes: -1,
  });
}
