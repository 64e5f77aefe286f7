import type { MetadataImage } from '@kactor/protocol';
import { configResourceTypes, configSources, decodeResponseFrame, encodeResponseFrame, errorByName, parseConfig, wireLimits } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { describeConfigs, type TopicConfigOf } from './describe-configs.js';

const topicConfigOf: TopicConfigOf = (overrides) => parseConfig('topic', Object.fromEntries(overrides.map((entry) => [entry.name, entry.value])), { allowUnimplemented: true });

const image: MetadataImage = {
  clusterId: 'c',
  controllerId: 0,
  metadataOffset: 5,
  brokers: [],
  topics: [{ name: 'orders', topicId: 'id-1', isInternal: false, configs: [{ name: 'segment.bytes', value: '1048576' }], partitions: [] }],
} as unknown as MetadataImage;

const topic = (resourceName: string, configurationKeys: string[] | null = null) => ({ resourceType: configResourceTypes.topic, resourceName, configurationKeys });

describe('describeConfigs', () => {
  it("marks the topic's own overrides TOPIC_CONFIG and the rest DEFAULT_CONFIG, with effective values", () => {
    const [result] = describeConfigs({ resources: [topic('orders')] }, image, topicConfigOf).results;
    expect(result).toMatchObject({ errorCode: 0, resourceName: 'orders' });
    const byName = new Map(result?.configs.map((config) => [config.name, config]));
    expect(byName.get('segment.bytes')).toMatchObject({ value: '1048576', configSource: configSources.topicConfig });
    expect(byName.get('retention.ms')).toMatchObject({ value: '-1', configSource: configSources.defaultConfig });
    expect(byName.get('cleanup.policy')).toMatchObject({ value: 'delete', configSource: configSources.defaultConfig });
  });

  it('keeps only the keys asked for', () => {
    const [result] = describeConfigs({ resources: [topic('orders', ['segment.bytes'])] }, image, topicConfigOf).results;
    expect(result?.configs.map((config) => config.name)).toEqual(['segment.bytes']);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing topic and INVALID_REQUEST for a broker resource', () => {
    const results = describeConfigs({ resources: [topic('nosuch'), { resourceType: configResourceTypes.broker, resourceName: '0', configurationKeys: null }] }, image, topicConfigOf).results;
    expect(results.map((result) => result.errorCode)).toEqual([errorByName('UNKNOWN_TOPIC_OR_PARTITION').code, errorByName('INVALID_REQUEST').code]);
    expect(results[0]?.errorMessage).toContain('nosuch');
  });

  it(`names a missing topic of ${wireLimits.maxStringChars} characters by its first ${wireLimits.maxEchoedNameChars}, so the answer still decodes (found by the broker fuzz test)`, () => {
    const name = 'n'.repeat(wireLimits.maxStringChars);
    const answer = describeConfigs({ resources: [topic(name)] }, image, topicConfigOf);
    expect(answer.results[0]?.errorMessage).toBe(`topic ${'n'.repeat(wireLimits.maxEchoedNameChars)}... (${wireLimits.maxStringChars} characters) does not exist`);
    expect(decodeResponseFrame(encodeResponseFrame('describeConfigs', 0, 1, answer), { maxFrameBytes: 100 * 1024 * 1024 }).ok).toBe(true);
  });
});
