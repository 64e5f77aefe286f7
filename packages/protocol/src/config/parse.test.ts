import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError, InvalidConfigValueError } from './config-errors.js';
import { formatConfig, parseConfig, parseConfigOverrides, parseKeyValue, parseKeyValues } from './parse.js';
import { topicDefaults } from './topic-config.js';
import { LONG_MAX_VALUE } from './values.js';

const bootstrap = { 'bootstrap.servers': 'localhost:9092' };
const brokerBase = { 'node.id': '0', 'process.roles': 'broker,controller' };

describe('defaults', () => {
  it('fills the producer defaults of Kafka 4.0', () => {
    const producer = parseConfig('producer', bootstrap);
    expect(producer).toMatchObject({
      acks: -1,
      lingerMs: 5,
      batchSize: 16_384,
      bufferMemory: 33_554_432,
      maxRequestSize: 1_048_576,
      requestTimeoutMs: 30_000,
      deliveryTimeoutMs: 120_000,
      retries: 2_147_483_647,
      retryBackoffMs: 100,
      retryBackoffMaxMs: 1_000,
      maxInFlightRequestsPerConnection: 5,
      metadataMaxAgeMs: 300_000,
      partitionerIgnoreKeys: false,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1_000,
      clientId: '',
      compressionType: 'none',
    });
  });

  it('fills the consumer defaults of Kafka 4.0', () => {
    const consumer = parseConfig('consumer', bootstrap);
    expect(consumer).toMatchObject({
      fetchMinBytes: 1,
      fetchMaxBytes: 52_428_800,
      fetchMaxWaitMs: 500,
      maxPartitionFetchBytes: 1_048_576,
      maxPollRecords: 500,
      autoOffsetReset: 'latest',
      isolationLevel: 'read_uncommitted',
      requestTimeoutMs: 30_000,
      defaultApiTimeoutMs: 60_000,
      checkCrcs: true,
      groupId: null,
      sessionTimeoutMs: 45_000,
      heartbeatIntervalMs: 3_000,
      maxPollIntervalMs: 300_000,
      autoCommitIntervalMs: 5_000,
      partitionAssignmentStrategy: ['range', 'cooperative-sticky'],
    });
  });

  it('fills the broker defaults of Kafka 4.0, resolving the null defaults from their fallbacks', () => {
    const broker = parseConfig('broker', brokerBase);
    expect(broker).toMatchObject({
      nodeId: 0,
      processRoles: ['broker', 'controller'],
      listeners: [{ listenerName: 'PLAINTEXT', host: '', port: 9092 }],
      logDirs: ['/tmp/kafka-logs'],
      numPartitions: 1,
      defaultReplicationFactor: 1,
      brokerHeartbeatIntervalMs: 2_000,
      brokerSessionTimeoutMs: 9_000,
      socketRequestMaxBytes: 104_857_600,
      queuedMaxRequests: 500,
      messageMaxBytes: 1_048_588,
      requestTimeoutMs: 30_000,
      replicaLagTimeMaxMs: 30_000,
      logSegmentBytes: 1_073_741_824,
      logRollHours: 168,
      logRollMs: 604_800_000,
      logIndexIntervalBytes: 4_096,
      logIndexSizeMaxBytes: 10_485_760,
      logFlushIntervalMessages: LONG_MAX_VALUE,
      logFlushSchedulerIntervalMs: LONG_MAX_VALUE,
      logFlushIntervalMs: LONG_MAX_VALUE,
      logRetentionMs: 604_800_000,
      logRetentionBytes: -1,
      offsetsTopicNumPartitions: 50,
      groupInitialRebalanceDelayMs: 3_000,
      groupMinSessionTimeoutMs: 6_000,
      groupMaxSessionTimeoutMs: 1_800_000,
      groupMaxSize: 2_147_483_647,
    });
  });

  it('fills the topic and admin defaults', () => {
    expect(parseConfig('topic', {})).toEqual({
      segmentBytes: 1_073_741_824,
      segmentMs: 604_800_000,
      segmentIndexBytes: 10_485_760,
      indexIntervalBytes: 4_096,
      flushMessages: LONG_MAX_VALUE,
      flushMs: LONG_MAX_VALUE,
      maxMessageBytes: 1_048_588,
      minInsyncReplicas: 1,
      uncleanLeaderElectionEnable: false,
      cleanupPolicy: ['delete'],
      // Retention is not enforced yet: a topic keeps every record, and its config says so.
      retentionMs: -1,
      retentionBytes: -1,
    });
    expect(parseConfig('admin', bootstrap)).toMatchObject({ requestTimeoutMs: 30_000, defaultApiTimeoutMs: 60_000, retries: 2_147_483_647 });
  });

  it("declares the election settings with Kafka's defaults, and a topic's unclean election falls back to the broker's", () => {
    expect(parseConfig('broker', brokerBase)).toMatchObject({
      uncleanLeaderElectionEnable: false,
      autoLeaderRebalanceEnable: true,
      leaderImbalanceCheckIntervalSeconds: 300,
      leaderImbalancePerBrokerPercentage: 10,
    });
    const broker = parseConfig('broker', { ...brokerBase, 'unclean.leader.election.enable': 'true' });
    expect(parseConfig('topic', {}, { defaults: topicDefaults(broker) }).uncleanLeaderElectionEnable).toBe(true);
    expect(parseConfig('topic', { 'unclean.leader.election.enable': 'false' }, { defaults: topicDefaults(broker) }).uncleanLeaderElectionEnable).toBe(false);
    expect(() => parseConfig('broker', { ...brokerBase, 'leader.imbalance.check.interval.seconds': '0' })).toThrow(/leader.imbalance.check.interval.seconds/);
  });

  it('derives a null default from the setting it falls back to', () => {
    const broker = parseConfig('broker', { ...brokerBase, 'log.roll.hours': '2', 'log.flush.scheduler.interval.ms': '1000', 'log.retention.hours': '-1', 'log.dir': '/data/b0' });
    expect(broker.logRollMs).toBe(7_200_000);
    expect(broker.logFlushIntervalMs).toBe(1_000);
    expect(broker.logRetentionMs).toBe(-1);
    expect(broker.logDirs).toEqual(['/data/b0']);
    expect(parseConfig('broker', { ...brokerBase, 'log.roll.hours': '2', 'log.roll.ms': '500' }).logRollMs).toBe(500);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(parseConfig('producer', bootstrap))).toBe(true);
  });
});

describe('parsing values', () => {
  it('maps Kafka names to camelCase keys with typed values', () => {
    const producer = parseConfig('producer', { ...bootstrap, 'linger.ms': '20', 'max.in.flight.requests.per.connection': '1', 'partitioner.ignore.keys': 'TRUE', acks: '1' });
    expect(producer.lingerMs).toBe(20);
    expect(producer.maxInFlightRequestsPerConnection).toBe(1);
    expect(producer.partitionerIgnoreKeys).toBe(true);
    expect(producer.acks).toBe(1);
    expectTypeOf(producer.acks).toEqualTypeOf<-1 | 0 | 1>();
  });

  it('accepts both spellings of acks=all', () => {
    expect(parseConfig('producer', { ...bootstrap, acks: 'all' }).acks).toBe(-1);
    expect(parseConfig('producer', { ...bootstrap, acks: '-1' }).acks).toBe(-1);
    expect(parseConfig('producer', { ...bootstrap, acks: '0' }).acks).toBe(0);
  });

  it('trims values and splits lists at commas with surrounding spaces', () => {
    const consumer = parseConfig('consumer', { 'bootstrap.servers': ' a:1 , [::1]:9093,b.example:9094 ', 'fetch.max.wait.ms': ' 100 ' });
    expect(consumer.bootstrapServers).toEqual([
      { host: 'a', port: 1 },
      { host: '::1', port: 9093 },
      { host: 'b.example', port: 9094 },
    ]);
    expect(consumer.fetchMaxWaitMs).toBe(100);
  });

  it('accepts typed values from code', () => {
    const consumer = parseConfig('consumer', { 'bootstrap.servers': ['h1:1', 'h2:2'], 'max.poll.records': 10, 'check.crcs': false, 'client.id': undefined });
    expect(consumer.bootstrapServers).toHaveLength(2);
    expect(consumer.maxPollRecords).toBe(10);
    expect(consumer.checkCrcs).toBe(false);
    expect(consumer.clientId).toBe('');
  });

  it('parses enums and lists of enums', () => {
    expect(parseConfig('consumer', { ...bootstrap, 'auto.offset.reset': 'earliest' }).autoOffsetReset).toBe('earliest');
    expect(parseConfig('topic', { 'cleanup.policy': 'compact,delete' }, { allowUnimplemented: true }).cleanupPolicy).toEqual(['compact', 'delete']);
    expect(parseConfig('broker', { ...brokerBase, listeners: 'PLAINTEXT://127.0.0.1:0,CONTROLLER://:9093' }).listeners).toEqual([
      { listenerName: 'PLAINTEXT', host: '127.0.0.1', port: 0 },
      { listenerName: 'CONTROLLER', host: '', port: 9093 },
    ]);
  });

  it('takes the last value of a name given twice, from any iterable of pairs', () => {
    const entries = new Map([['bootstrap.servers', 'h:1']]);
    expect(parseConfig('admin', entries).bootstrapServers).toEqual([{ host: 'h', port: 1 }]);
    const pairs: Array<[string, string]> = [['bootstrap.servers', 'h:1'], ['client.id', 'first'], ['client.id', 'second']];
    expect(parseConfig('admin', pairs).clientId).toBe('second');
  });

  it('holds Long.MAX_VALUE and any long above 2^53-1 as Number.MAX_SAFE_INTEGER', () => {
    expect(parseConfig('topic', { 'flush.ms': '9223372036854775807' }).flushMs).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseConfig('topic', { 'flush.messages': '9007199254740993' }).flushMessages).toBe(Number.MAX_SAFE_INTEGER);
    expect(formatConfig('topic', { flushMs: LONG_MAX_VALUE })).toEqual({ 'flush.ms': '9223372036854775807' });
  });

  it('applies caller defaults, e.g. the broker synonyms of a topic', () => {
    const broker = parseConfig('broker', { ...brokerBase, 'log.segment.bytes': '1048576', 'log.roll.hours': '1', 'message.max.bytes': '2000000' });
    const topic = parseConfig('topic', { 'segment.bytes': '4096' }, { defaults: topicDefaults(broker) });
    expect(topic.segmentBytes).toBe(4096);
    expect(topic.segmentMs).toBe(3_600_000);
    expect(topic.maxMessageBytes).toBe(2_000_000);
  });
});

describe('parseConfigOverrides', () => {
  it('returns only the settings given, checked and typed', () => {
    expect(parseConfigOverrides('topic', { 'segment.ms': '1000', 'retention.bytes': '-1' })).toEqual({ segmentMs: 1000, retentionBytes: -1 });
    expect(() => parseConfigOverrides('topic', { 'segment.ms': '0' })).toThrow(InvalidConfigValueError);
  });
});

describe('parseKeyValue', () => {
  it('splits at the first equals sign', () => {
    expect(parseKeyValue('linger.ms=5')).toEqual(['linger.ms', '5']);
    expect(parseKeyValue(' client.id = a=b')).toEqual(['client.id', ' a=b']);
    expect(parseKeyValue('client.id=')).toEqual(['client.id', '']);
  });

  it.each(['linger.ms', '=5', ''])('rejects %j', (argument) => {
    expect(() => parseKeyValue(argument)).toThrow(ConfigError);
  });

  it('feeds parseConfig from repeated CLI arguments', () => {
    const producer = parseConfig('producer', parseKeyValues(['bootstrap.servers=h:1', 'linger.ms=50', 'acks=0']));
    expect(producer).toMatchObject({ lingerMs: 50, acks: 0 });
  });
});

describe('formatConfig', () => {
  it('writes a parsed config back in Kafka names and forms that parse to the same config', () => {
    const consumer = parseConfig('consumer', { ...bootstrap, 'auto.offset.reset': 'earliest', 'partition.assignment.strategy': 'org.apache.kafka.clients.consumer.RoundRobinAssignor' }, { allowUnimplemented: true });
    const formatted = formatConfig('consumer', consumer);
    expect(formatted['auto.offset.reset']).toBe('earliest');
    expect(formatted['partition.assignment.strategy']).toBe('roundrobin');
    expect(formatted['bootstrap.servers']).toBe('localhost:9092');
    expect(parseConfig('consumer', formatted, { allowUnimplemented: true })).toEqual(consumer);
  });

  it('writes acks as Kafka spells its default', () => {
    expect(formatConfig('producer', { acks: -1 })).toEqual({ acks: 'all' });
  });
});
