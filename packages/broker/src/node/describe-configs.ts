/**
 * DescribeConfigs answered from the broker's metadata image (Kafka's `ConfigHelper.describeConfigs`): for a topic,
 * every topic setting with its effective value, the topic's own overrides marked TOPIC_CONFIG and the rest
 * DEFAULT_CONFIG. Only topics are described; any other resource type is answered INVALID_REQUEST.
 */
import type { MetadataImage, RequestBody, ResponseBody, TopicConfig } from '@kactor/protocol';
import { configResourceTypes, configSources, errorByName, formatConfig, quotedName } from '@kactor/protocol';

type Result = ResponseBody<'describeConfigs'>['results'][number];

/** The effective settings of a topic from its stored overrides (the broker's defaults filled in). */
export type TopicConfigOf = (overrides: ReadonlyArray<{ name: string; value: string }>) => TopicConfig;

export function describeConfigs(body: RequestBody<'describeConfigs'>, image: MetadataImage | null, topicConfigOf: TopicConfigOf): ResponseBody<'describeConfigs'> {
  const results = body.resources.map((resource): Result => {
    const fail = (errorName: 'INVALID_REQUEST' | 'UNKNOWN_TOPIC_OR_PARTITION', errorMessage: string): Result => ({
      errorCode: errorByName(errorName).code,
      errorMessage,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
      configs: [],
    });
    if (resource.resourceType !== configResourceTypes.topic) return fail('INVALID_REQUEST', `kactor describes the configs of topics only (resource type ${configResourceTypes.topic})`);
    const topic = image?.topics.find((candidate) => candidate.name === resource.resourceName);
    if (topic === undefined) return fail('UNKNOWN_TOPIC_OR_PARTITION', `topic ${quotedName(resource.resourceName)} does not exist`);
    const overridden = new Set(topic.configs.map((entry) => entry.name));
    const wanted = resource.configurationKeys === null ? null : new Set(resource.configurationKeys);
    const configs = Object.entries(formatConfig('topic', topicConfigOf(topic.configs)))
      .filter(([name]) => wanted === null || wanted.has(name))
      .map(([name, value]) => ({
        name,
        value,
        readOnly: false,
        configSource: overridden.has(name) ? configSources.topicConfig : configSources.defaultConfig,
        isSensitive: false,
      }));
    return { errorCode: 0, errorMessage: null, resourceType: resource.resourceType, resourceName: resource.resourceName, configs };
  });
  return { throttleTimeMs: 0, results };
}
