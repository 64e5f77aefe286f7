import type { DescribeConfigsRequest } from '@kactor/kafka-protocol';
import { configResourceTypes, configSources, wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';
import { describeConfigsAdapter } from './describe-configs.js';

const request = (includeSynonyms: boolean): DescribeConfigsRequest => ({
  resources: [
    { resourceType: configResourceTypes.topic, resourceName: 'orders', configurationKeys: null },
    { resourceType: configResourceTypes.broker, resourceName: '1', configurationKeys: ['log.retention.ms'] },
  ],
  includeSynonyms,
  includeDocumentation: false,
});

const kactorAnswer: ResponseBody<'describeConfigs'> = {
  throttleTimeMs: 0,
  results: [
    {
      errorCode: 0,
      errorMessage: null,
      resourceType: configResourceTypes.topic,
      resourceName: 'orders',
      configs: [
        { name: 'cleanup.policy', value: 'compact', readOnly: false, configSource: configSources.topicConfig, isSensitive: false },
        { name: 'retention.ms', value: '604800000', readOnly: false, configSource: configSources.defaultConfig, isSensitive: false },
      ],
    },
    { errorCode: 42, errorMessage: 'kactor describes the configs of topics only', resourceType: configResourceTypes.broker, resourceName: '1', configs: [] },
  ],
};

const context = { kafkaEndpointOf: () => undefined };

describe('DescribeConfigs adapter', () => {
  it('asks for the same resources and keys (null: every key) in every version served', () => {
    for (let version = 0; version <= describeConfigsAdapter.versions.max; version += 1) {
      expect(translated(describeConfigsAdapter, version, request(version >= 1))).toEqual({
        resources: [
          { resourceType: 2, resourceName: 'orders', configurationKeys: null },
          { resourceType: 4, resourceName: '1', configurationKeys: ['log.retention.ms'] },
        ],
      });
    }
  });

  it('answers v0 with is_default true exactly for the broker defaults, and v1+ with the config source', () => {
    const read = answeredInEveryVersion(describeConfigsAdapter, (version) => describeConfigsAdapter.toKafkaResponse(kactorAnswer, request(false), version, context));
    expect(read.get(0)?.results[0]?.configs.map((config) => [config.name, config.value, config.isDefault, config.readOnly, config.isSensitive])).toEqual([
      ['cleanup.policy', 'compact', false, false, false],
      ['retention.ms', '604800000', true, false, false],
    ]);
    for (let version = 1; version <= describeConfigsAdapter.versions.max; version += 1) {
      expect(read.get(version)?.results[0]?.configs.map((config) => [config.name, config.configSource, config.synonyms])).toEqual([
        ['cleanup.policy', 1, []],
        ['retention.ms', 5, []],
      ]);
    }
    expect(read.get(4)?.results[1]).toMatchObject({ errorCode: 42, resourceType: 4, resourceName: '1', configs: [] });
  });

  it('lists each config as its own synonym when synonyms are asked for', () => {
    const answer = describeConfigsAdapter.toKafkaResponse(kactorAnswer, request(true), 1, context);
    expect(answer.results[0]?.configs[0]?.synonyms).toEqual([{ name: 'cleanup.policy', value: 'compact', source: 1 }]);
    answeredInEveryVersion(describeConfigsAdapter, (version) => describeConfigsAdapter.toKafkaResponse(kactorAnswer, request(true), version, context));
  });

  it('puts the error on every resource asked for, as Kafka\'s error response does', () => {
    const answer = describeConfigsAdapter.errorResponse(wireError('UNKNOWN_SERVER_ERROR'), request(false), 2);
    expect(answer.results.map((result) => [result.resourceType, result.resourceName, result.errorCode, result.configs])).toEqual([
      [2, 'orders', -1, []],
      [4, '1', -1, []],
    ]);
    answeredInEveryVersion(describeConfigsAdapter, () => answer);
  });
});
