/**
 * Issue 10 B4: an error message that names a request's topic (or cluster id) quotes at most its first 249
 * characters, so the answer fits in a wire string however long the name the request sent.
 */
import { wireLimits } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { registerBroker } from './broker-commands.js';
import { clusterOf } from './test-fixtures.js';
import { topicConfigProblem } from './topic-config-check.js';
import { createPartitions, createTopics, deleteTopics } from './topic-commands.js';

const longest = 't'.repeat(wireLimits.maxStringChars);
const quoted = `${'t'.repeat(wireLimits.maxEchoedNameChars)}... (${wireLimits.maxStringChars} characters)`;
const dependencies = { defaultNumPartitions: 1, defaultReplicationFactor: 1, newTopicId: () => 'id', randomInt: () => 0, topicConfigProblem: () => undefined };
const newTopic = { name: longest, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] };

function expectFits(results: ReadonlyArray<{ errorMessage: string | null }>): void {
  for (const result of results) expect(result.errorMessage?.length ?? 0).toBeLessThanOrEqual(wireLimits.maxStringChars);
}

describe(`error messages naming a ${wireLimits.maxStringChars}-character name`, () => {
  it('createTopics with the name twice: INVALID_REQUEST quoting the cut name', () => {
    const { results } = createTopics(clusterOf([0]), { topics: [newTopic, newTopic], timeoutMs: 0, validateOnly: false }, dependencies);
    expect(results[0]).toMatchObject({ name: longest, errorName: 'INVALID_REQUEST', errorMessage: `topic ${quoted} appears more than once in the request` });
    expectFits(results);
  });

  it('deleteTopics of an unknown name, and of it twice', () => {
    const { results } = deleteTopics(clusterOf([0]), { topicNames: [longest, longest], timeoutMs: 0 });
    expect(results.map((result) => [result.errorName, result.errorMessage])).toEqual([
      ['UNKNOWN_TOPIC_OR_PARTITION', `topic ${quoted} does not exist`],
      ['INVALID_REQUEST', `topic ${quoted} appears more than once in the request`],
    ]);
    expectFits(results);
  });

  it('createPartitions of an unknown name, and of it twice', () => {
    const topics = [1, 2].map(() => ({ name: longest, count: 2, assignments: null }));
    const { results } = createPartitions(clusterOf([0]), { topics, timeoutMs: 0, validateOnly: false }, dependencies);
    expect(results.map((result) => result.errorName)).toEqual(['UNKNOWN_TOPIC_OR_PARTITION', 'INVALID_REQUEST']);
    expectFits(results);
  });

  it.each([
    ['an unknown config name', { [longest]: 'v' }],
    ['an invalid value', { 'segment.bytes': longest }],
    ['an invalid value the message quotes twice', { 'cleanup.policy': longest }],
  ])('createTopics with %s of that length: INVALID_CONFIG with a message that fits (found by the broker fuzz test)', (_, configs) => {
    const problem = topicConfigProblem(configs);
    expect(problem).toContain(quoted);
    expect(problem?.length).toBeLessThanOrEqual(wireLimits.maxStringChars);
  });

  it('a broker registering with a cluster id of that length: INCONSISTENT_CLUSTER_ID with a message that fits', () => {
    const outcome = registerBroker(clusterOf([0]), {}, { brokerId: 1, clusterId: longest, incarnationId: 'i', listeners: [{ name: 'PLAINTEXT', host: 'h', port: 1, url: 'ws://h:1' }], rack: null }, 0);
    expect(outcome).toMatchObject({ ok: false, errorName: 'INCONSISTENT_CLUSTER_ID' });
    expectFits([outcome as { errorMessage: string }]);
  });
});
