import { describe, expect, it } from 'vitest';
import { apis } from '../apis/registry.js';
import { wireLimits } from '../apis/wire-limits.js';
import { decodeRequestFrame, decodeResponseFrame, encodeRawFrame, encodeResponseFrame } from './codec.js';

const limits = { maxFrameBytes: 64 * 1024 * 1024 };

function refusedName(api: keyof typeof apis, body: unknown): string | undefined {
  const decoded = decodeRequestFrame(encodeRawFrame('request', apis[api].key, 0, 1, body), limits);
  return decoded.ok ? undefined : decoded.error.name;
}

describe('wire limits, one past each edge', () => {
  it(`accepts a string of ${wireLimits.maxStringChars} characters and refuses one more`, () => {
    const at = 'x'.repeat(wireLimits.maxStringChars);
    expect(refusedName('metadata', { topics: [at], allowAutoTopicCreation: false })).toBeUndefined();
    expect(refusedName('metadata', { topics: [`${at}x`], allowAutoTopicCreation: false })).toBe('INVALID_REQUEST');
  });

  it(`counts a string's UTF-8 bytes, as Kafka's int16 length does: ${wireLimits.maxStringChars} bytes pass, one more is refused (found by the broker fuzz test)`, () => {
    const groupOf = (groupId: string) => ({ groupId, topics: null, requireStable: false });
    expect(refusedName('offsetFetch', groupOf(`${'é'.repeat(16_383)}x`))).toBeUndefined(); // 32,767 bytes
    expect(refusedName('offsetFetch', groupOf(`${'é'.repeat(16_383)}xx`))).toBe('INVALID_REQUEST'); // 32,768 bytes in 16,385 characters
    expect(refusedName('offsetFetch', groupOf(`${'x'.repeat(wireLimits.maxStringChars - 1)}\ufffd`))).toBe('INVALID_REQUEST');
  });

  it(`accepts ${wireLimits.maxTopicsPerRequest} topics in a request and refuses one more`, () => {
    const names = Array.from({ length: wireLimits.maxTopicsPerRequest }, (_, index) => `t${index}`);
    expect(refusedName('deleteTopics', { topicNames: names, timeoutMs: 1 })).toBeUndefined();
    expect(refusedName('deleteTopics', { topicNames: [...names, 'one-more'], timeoutMs: 1 })).toBe('INVALID_REQUEST');
  });

  it(`accepts ${wireLimits.maxPartitionsPerTopicInRequest} partitions of a topic in a request and refuses one more`, () => {
    const partitions = Array.from({ length: wireLimits.maxPartitionsPerTopicInRequest }, (_, index) => index);
    expect(refusedName('describeLogDirs', { topics: [{ topic: 't', partitions }] })).toBeUndefined();
    expect(refusedName('describeLogDirs', { topics: [{ topic: 't', partitions: [...partitions, 0] }] })).toBe('INVALID_REQUEST');
  });

  describe('ConsumerGroupHeartbeat (KIP-848): its arrays are bounded where the request enters', () => {
    const heartbeat = (fields: { subscribedTopicNames?: string[] | null; topicPartitions?: Array<{ topicId: string; partitions: number[] }> | null }) => ({
      groupId: 'g',
      memberId: 'm',
      memberEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 300_000,
      subscribedTopicNames: null,
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: null,
      ...fields,
    });
    const topicId = 'T1JERVJTLTGKPB0uT1Bh-w';

    it(`accepts ${wireLimits.maxTopicsPerRequest} subscribed topic names and refuses one more`, () => {
      const names = Array.from({ length: wireLimits.maxTopicsPerRequest }, (_, index) => `t${index}`);
      expect(refusedName('consumerGroupHeartbeat', heartbeat({ subscribedTopicNames: names }))).toBeUndefined();
      expect(refusedName('consumerGroupHeartbeat', heartbeat({ subscribedTopicNames: [...names, 'one-more'] }))).toBe('INVALID_REQUEST');
    });

    it(`accepts owned partitions of ${wireLimits.maxTopicsPerRequest} topics and refuses one more topic`, () => {
      const topics = Array.from({ length: wireLimits.maxTopicsPerRequest }, () => ({ topicId, partitions: [0] }));
      expect(refusedName('consumerGroupHeartbeat', heartbeat({ topicPartitions: topics }))).toBeUndefined();
      expect(refusedName('consumerGroupHeartbeat', heartbeat({ topicPartitions: [...topics, { topicId, partitions: [1] }] }))).toBe('INVALID_REQUEST');
    });

    it(`accepts ${wireLimits.maxPartitionsPerTopicInRequest} owned partitions of one topic and refuses one more`, () => {
      const partitions = Array.from({ length: wireLimits.maxPartitionsPerTopicInRequest }, (_, index) => index);
      expect(refusedName('consumerGroupHeartbeat', heartbeat({ topicPartitions: [{ topicId, partitions }] }))).toBeUndefined();
      expect(refusedName('consumerGroupHeartbeat', heartbeat({ topicPartitions: [{ topicId, partitions: [...partitions, 0] }] }))).toBe('INVALID_REQUEST');
    });

    it(`a ConsumerGroupDescribe answer lists up to ${wireLimits.maxGroupMembers} members of a group, not one more`, () => {
      const member = (index: number) => ({
        memberId: `m${index}`,
        instanceId: null,
        rackId: null,
        memberEpoch: 1,
        clientId: 'c',
        clientHost: '/127.0.0.1',
        subscribedTopicNames: ['orders'],
        subscribedTopicRegex: null,
        assignment: { topicPartitions: [] },
        targetAssignment: { topicPartitions: [] },
        memberType: 1,
        memberState: 'STABLE',
        partitionsPendingRevocation: [],
      });
      const answer = (count: number) => ({
        throttleTimeMs: 0,
        groups: [{ errorCode: 0, errorMessage: null, groupId: 'g', groupState: 'Stable', groupEpoch: 1, assignmentEpoch: 1, assignorName: 'uniform', members: Array.from({ length: count }, (_, index) => member(index)), authorizedOperations: -2147483648 }],
      });
      const decodes = (count: number) => decodeResponseFrame(encodeResponseFrame('consumerGroupDescribe', 0, 1, answer(count)), limits).ok;
      expect(decodes(wireLimits.maxGroupMembers)).toBe(true);
      expect(decodes(wireLimits.maxGroupMembers + 1)).toBe(false);
    });
  });

  it(`refuses more than ${wireLimits.maxConfigsPerTopic} configs on one topic`, () => {
    const configs = Array.from({ length: wireLimits.maxConfigsPerTopic + 1 }, (_, index) => ({ name: `c${index}`, value: '1' }));
    const body = { topics: [{ name: 't', numPartitions: 1, replicationFactor: 1, assignments: [], configs }], timeoutMs: 1, validateOnly: false };
    expect(refusedName('createTopics', body)).toBe('INVALID_REQUEST');
  });

  it(`quotes an unrecognized key of 100,000 characters by its first ${wireLimits.maxEchoedNameChars} in the refusal`, () => {
    const key = 'k'.repeat(100_000);
    const decoded = decodeRequestFrame(encodeRawFrame('request', apis.metadata.key, 0, 1, { topics: null, allowAutoTopicCreation: false, [key]: 1 }), limits);
    expect(decoded.ok).toBe(false);
    const message = decoded.ok ? '' : decoded.error.message;
    expect(message).toMatch(/^metadata v0 body: Unrecognized key: "k+\.\.\. \(\d+ characters\)$/);
    expect(message.length).toBeLessThan(400);
  });

  describe(`answers that list a node's state hold up to ${wireLimits.maxListedEntries} entries, not the ${wireLimits.maxGroupsPerRequest} a request may name`, () => {
    const decodes = (frame: Uint8Array) => decodeResponseFrame(frame, { maxFrameBytes: 200 * 1024 * 1024 }).ok;
    const past = wireLimits.maxGroupsPerRequest + 1;

    it(`ListGroups of ${past} groups (clients made them one OffsetCommit at a time) decodes; one past ${wireLimits.maxListedEntries} does not`, () => {
      const groups = (count: number) => Array.from({ length: count }, (_, index) => ({ groupId: `g${index}`, protocolType: '', groupState: 'Empty', groupType: 'classic' }));
      expect(decodes(encodeResponseFrame('listGroups', 0, 1, { throttleTimeMs: 0, errorCode: 0, groups: groups(past) }))).toBe(true);
      expect(decodes(encodeResponseFrame('listGroups', 0, 1, { throttleTimeMs: 0, errorCode: 0, groups: groups(wireLimits.maxListedEntries + 1) }))).toBe(false);
    });

    it(`Metadata of every topic, OffsetFetch of every committed topic and DescribeLogDirs of every log, ${past} each, decode`, () => {
      const names = Array.from({ length: past }, (_, index) => `t${index}`);
      const topics = names.map((name) => ({ errorCode: 0, name, topicId: null, isInternal: false, partitions: [] }));
      expect(decodes(encodeResponseFrame('metadata', 0, 1, { throttleTimeMs: 0, clusterId: null, controllerId: -1, brokers: [], topics }))).toBe(true);
      const committed = names.map((name) => ({ name, partitions: [] }));
      expect(decodes(encodeResponseFrame('offsetFetch', 0, 1, { throttleTimeMs: 0, errorCode: 0, topics: committed }))).toBe(true);
      expect(decodes(encodeResponseFrame('describeLogDirs', 0, 1, { throttleTimeMs: 0, errorCode: 0, logDir: '/d', topics: committed }))).toBe(true);
    });
  });
});
