/**
 * DescribeConfigs for topics (Kafka's `Admin.describeConfigs` with TOPIC resources): any broker answers from its
 * metadata image, so one request to the least loaded broker describes every topic asked.
 */
import type { ResponseBody } from '@kactor/protocol';
import { configResourceTypes, configSources, KafkaProtocolError } from '@kactor/protocol';
import type { ClusterClient } from '../network/cluster-client.js';
import type { ConfigEntry, TopicConfigDescription } from './admin-types.js';

type DescribeConfigsResult = ResponseBody<'describeConfigs'>['results'][number];

function entriesOf(result: DescribeConfigsResult): ConfigEntry[] {
  return result.configs.map((config) => {
    const overridden = config.configSource === configSources.topicConfig;
    return { name: config.name, value: config.value, source: overridden ? 'TOPIC_CONFIG' : 'DEFAULT_CONFIG', isDefault: !overridden };
  });
}

export async function describeTopicConfigs(cluster: ClusterClient, names: readonly string[], requestTimeoutMs: number): Promise<TopicConfigDescription[]> {
  const distinct = [...new Set(names)];
  const response = await cluster.request(
    cluster.anyBrokerUrl(),
    'describeConfigs',
    { resources: distinct.map((name) => ({ resourceType: configResourceTypes.topic, resourceName: name, configurationKeys: null })) },
    { timeoutMs: requestTimeoutMs },
  );
  const byName = new Map(response.results.map((result) => [result.resourceName, result]));
  return names.map((name) => {
    const result = byName.get(name);
    if (result === undefined) return { name, entries: [], error: KafkaProtocolError.from(-1, `the broker did not describe topic ${name}`) };
    if (result.errorCode !== 0) return { name, entries: [], error: KafkaProtocolError.from(result.errorCode, result.errorMessage ?? `describing topic ${name} failed`) };
    return { name, entries: entriesOf(result), error: null };
  });
}
