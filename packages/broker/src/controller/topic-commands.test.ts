import type { RequestBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import type { MetadataRecord } from './metadata-records.js';
import { append, clusterOf, registerRecords, stateFrom } from './test-fixtures.js';
import { createPartitions, createTopics, deleteTopics, type TopicCommandDependencies } from './topic-commands.js';
import { topicConfigProblem } from './topic-config-check.js';

let nextId = 0;
const dependencies: TopicCommandDependencies = {
  defaultNumPartitions: 1,
  defaultReplicationFactor: 1,
  newTopicId: () => `topic-id-${(nextId += 1)}`,
  randomInt: () => 0,
  topicConfigProblem: (configs) => (configs['segment.bytes'] === 'abc' ? 'segment.bytes must be a number' : undefined),
};

function topic(name: string, numPartitions = 3, replicationFactor = 1, configs: Array<{ name: string; value: string | null }> = []) {
  return { name, numPartitions, replicationFactor, assignments: [], configs };
}

function request(...topics: ReturnType<typeof topic>[]): RequestBody<'createTopics'> {
  return { topics, timeoutMs: 1000, validateOnly: false };
}

describe('createTopics', () => {
  it('places every partition on an unfenced broker, leader first in the ISR', () => {
    const state = clusterOf([0, 1, 2]);
    const outcome = createTopics(state, request(topic('orders', 6)), dependencies);
    expect(outcome.results).toEqual([expect.objectContaining({ name: 'orders', errorName: 'NONE', numPartitions: 6, replicationFactor: 1 })]);
    const after = append(state, outcome.records);
    const partitions = after.topics.orders?.partitions ?? [];
    expect(partitions.map((partition) => partition.leader)).toEqual([0, 1, 2, 0, 1, 2]);
    for (const partition of partitions) {
      expect(partition.isr).toEqual(partition.replicas);
      expect(partition.leaderEpoch).toBe(0);
    }
  });

  it.each([
    ['retention.ms', '60000'],
    ['retention.bytes', '1000000'],
    ['cleanup.policy', 'compact'],
  ])('refuses %s=%s, which kactor does not enforce yet, with INVALID_CONFIG naming it', (name, value) => {
    const outcome = createTopics(clusterOf([0]), request(topic('t', 1, 1, [{ name, value }])), { ...dependencies, topicConfigProblem });
    expect(outcome.results[0]).toMatchObject({ errorName: 'INVALID_CONFIG', topicId: null });
    expect(outcome.results[0]?.errorMessage).toContain(`${name}=${value} is not supported yet`);
    expect(outcome.records).toEqual([]);
  });

  it('accepts a not-yet-enforced setting at the value kactor has anyway (cleanup.policy=delete, retention.ms=-1) and stores it', () => {
    const configs = [
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: '-1' },
      { name: 'segment.bytes', value: '1048576' },
    ];
    const outcome = createTopics(clusterOf([0]), request(topic('t', 1, 1, configs)), { ...dependencies, topicConfigProblem });
    expect(outcome.results[0]?.errorName).toBe('NONE');
    expect(outcome.records.filter((record) => record.type === 'Config').map((record) => record.type === 'Config' && `${record.name}=${record.value}`)).toEqual([
      'cleanup.policy=delete',
      'retention.ms=-1',
      'segment.bytes=1048576',
    ]);
  });

  it('stores unclean.leader.election.enable=true and refuses a value that is not a boolean with INVALID_CONFIG', () => {
    const withConfig = (value: string) => createTopics(clusterOf([0]), request(topic('t', 1, 1, [{ name: 'unclean.leader.election.enable', value }])), { ...dependencies, topicConfigProblem });
    expect(append(clusterOf([0]), withConfig('true').records).topics.t?.configs).toEqual({ 'unclean.leader.election.enable': 'true' });
    expect(withConfig('maybe').results[0]).toMatchObject({ errorName: 'INVALID_CONFIG' });
  });

  it('uses num.partitions and default.replication.factor for -1', () => {
    const outcome = createTopics(clusterOf([0]), request(topic('defaults', -1, -1)), { ...dependencies, defaultNumPartitions: 4 });
    expect(outcome.results[0]).toMatchObject({ errorName: 'NONE', numPartitions: 4, replicationFactor: 1 });
  });

  it('refuses an existing topic with TOPIC_ALREADY_EXISTS', () => {
    const state = clusterOf([0]);
    const created = append(state, createTopics(state, request(topic('orders')), dependencies).records);
    expect(createTopics(created, request(topic('orders')), dependencies).results[0]?.errorName).toBe('TOPIC_ALREADY_EXISTS');
  });

  it.each([['bad name'], ['.'], ['..'], ['x'.repeat(250)], ['']])('refuses the topic name %j with INVALID_TOPIC_EXCEPTION', (name) => {
    expect(createTopics(clusterOf([0]), request(topic(name)), dependencies).results[0]?.errorName).toBe('INVALID_TOPIC_EXCEPTION');
  });

  it("refuses a name that collides with an existing one on '.' versus '_'", () => {
    const state = clusterOf([0]);
    const created = append(state, createTopics(state, request(topic('a.b')), dependencies).records);
    expect(createTopics(created, request(topic('a_b')), dependencies).results[0]?.errorName).toBe('INVALID_TOPIC_EXCEPTION');
  });

  it.each([[0], [-2]])('refuses %i partitions with INVALID_PARTITIONS', (count) => {
    expect(createTopics(clusterOf([0]), request(topic('t', count)), dependencies).results[0]?.errorName).toBe('INVALID_PARTITIONS');
  });

  it.each([[0], [-3], [4]])('refuses replication factor %i on three brokers with INVALID_REPLICATION_FACTOR', (rf) => {
    const outcome = createTopics(clusterOf([0, 1, 2]), request(topic('t', 1, rf)), dependencies);
    expect(outcome.results[0]?.errorName).toBe('INVALID_REPLICATION_FACTOR');
    expect(outcome.records).toEqual([]);
  });

  it('places replication factor 3 on three brokers: distinct replicas, the whole set in sync, leaders spread (AdminUtils)', () => {
    const state = clusterOf([0, 1, 2]);
    const outcome = createTopics(state, request(topic('orders', 6, 3)), dependencies);
    expect(outcome.results[0]).toMatchObject({ errorName: 'NONE', numPartitions: 6, replicationFactor: 3 });
    const partitions = append(state, outcome.records).topics.orders?.partitions ?? [];
    expect(partitions.map((partition) => partition.replicas)).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 2, 1],
      [1, 0, 2],
      [2, 1, 0],
    ]);
    for (const partition of partitions) {
      expect(partition.isr).toEqual(partition.replicas);
      expect(partition.leader).toBe(partition.replicas[0]);
    }
  });

  it('spreads the replicas of each partition over the racks when every broker has one', () => {
    const racks = ['east', 'east', 'west', 'west'];
    const state = stateFrom([
      ...registerRecords([0, 1, 2, 3]).map((record) => (record.type === 'RegisterBroker' ? { ...record, rack: racks[record.brokerId] ?? null } : record)),
      ...[0, 1, 2, 3].map((brokerId): MetadataRecord => ({ type: 'UnfenceBroker', brokerId, brokerEpoch: brokerId })),
    ]);
    const partitions = append(state, createTopics(state, request(topic('orders', 8, 2)), dependencies).records).topics.orders?.partitions ?? [];
    for (const partition of partitions) expect(new Set(partition.replicas.map((broker) => racks[broker]))).toEqual(new Set(['east', 'west']));
  });

  it('counts only unfenced brokers that are not shutting down toward the replication factor', () => {
    const state = append(clusterOf([0, 1, 2]), [{ type: 'FenceBroker', brokerId: 2, brokerEpoch: 2 }]);
    const refused = createTopics(state, request(topic('t', 1, 3)), dependencies);
    expect(refused.results[0]).toMatchObject({ errorName: 'INVALID_REPLICATION_FACTOR' });
    expect(refused.results[0]?.errorMessage).toContain('only 2 broker(s)');
    const placed = append(state, createTopics(state, request(topic('t', 2, 2)), dependencies).records);
    for (const partition of placed.topics.t?.partitions ?? []) expect(partition.replicas).not.toContain(2);
  });

  it('refuses to place a topic when every broker is fenced', () => {
    const state = append(clusterOf([0]), [{ type: 'FenceBroker', brokerId: 0, brokerEpoch: 0 }]);
    expect(createTopics(state, request(topic('t')), dependencies).results[0]?.errorName).toBe('INVALID_REPLICATION_FACTOR');
  });

  it('refuses a topic named twice in one request with INVALID_REQUEST, and keeps the others', () => {
    const outcome = createTopics(clusterOf([0]), request(topic('a'), topic('a'), topic('b')), dependencies);
    expect(outcome.results.map((result) => result.errorName)).toEqual(['INVALID_REQUEST', 'INVALID_REQUEST', 'NONE']);
  });

  it('refuses bad configs with INVALID_CONFIG and stores good ones', () => {
    const state = clusterOf([0]);
    expect(createTopics(state, request(topic('t', 1, 1, [{ name: 'segment.bytes', value: 'abc' }])), dependencies).results[0]?.errorName).toBe('INVALID_CONFIG');
    const outcome = createTopics(state, request(topic('t', 1, 1, [{ name: 'segment.bytes', value: '1024' }])), dependencies);
    expect(append(state, outcome.records).topics.t?.configs).toEqual({ 'segment.bytes': '1024' });
  });

  it('writes nothing for validateOnly', () => {
    const outcome = createTopics(clusterOf([0]), { ...request(topic('t')), validateOnly: true }, dependencies);
    expect(outcome.records).toEqual([]);
    expect(outcome.results[0]?.errorName).toBe('NONE');
  });
});

describe('deleteTopics', () => {
  it('removes a topic and refuses unknown ones with UNKNOWN_TOPIC_OR_PARTITION', () => {
    const state = clusterOf([0]);
    const created = append(state, createTopics(state, request(topic('orders')), dependencies).records);
    const outcome = deleteTopics(created, { topicNames: ['orders', 'missing'], timeoutMs: 1000 });
    expect(outcome.results.map((result) => result.errorName)).toEqual(['NONE', 'UNKNOWN_TOPIC_OR_PARTITION']);
    expect(append(created, outcome.records).topics.orders).toBeUndefined();
  });
});

describe('createPartitions', () => {
  it('grows a topic, never shrinks it', () => {
    const state = clusterOf([0, 1]);
    const created = append(state, createTopics(state, request(topic('orders', 2)), dependencies).records);
    const grow = createPartitions(created, { topics: [{ name: 'orders', count: 5, assignments: null }], timeoutMs: 1000, validateOnly: false }, dependencies);
    expect(grow.results[0]?.errorName).toBe('NONE');
    expect(append(created, grow.records).topics.orders?.partitions.map((partition) => partition.partitionIndex)).toEqual([0, 1, 2, 3, 4]);
    const shrink = createPartitions(created, { topics: [{ name: 'orders', count: 1, assignments: null }], timeoutMs: 1000, validateOnly: false }, dependencies);
    expect(shrink.results[0]?.errorName).toBe('INVALID_PARTITIONS');
    const unknown = createPartitions(created, { topics: [{ name: 'nope', count: 3, assignments: null }], timeoutMs: 1000, validateOnly: false }, dependencies);
    expect(unknown.results[0]?.errorName).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('gives new partitions the topic\'s replication factor, and refuses when too few brokers can take them', () => {
    const state = clusterOf([0, 1, 2]);
    const created = append(state, createTopics(state, request(topic('orders', 1, 3)), dependencies).records);
    const grow = createPartitions(created, { topics: [{ name: 'orders', count: 3, assignments: null }], timeoutMs: 1000, validateOnly: false }, dependencies);
    expect(grow.results[0]?.errorName).toBe('NONE');
    const grown = append(created, grow.records).topics.orders?.partitions ?? [];
    expect(grown.map((partition) => new Set(partition.replicas).size)).toEqual([3, 3, 3]);
    const oneFenced = append(created, [{ type: 'FenceBroker', brokerId: 1, brokerEpoch: 1 }]);
    const refused = createPartitions(oneFenced, { topics: [{ name: 'orders', count: 2, assignments: null }], timeoutMs: 1000, validateOnly: false }, dependencies);
    expect(refused.results[0]?.errorName).toBe('INVALID_REPLICATION_FACTOR');
    expect(refused.records).toEqual([]);
  });
});
