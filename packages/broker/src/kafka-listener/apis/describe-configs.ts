/**
 * DescribeConfigs (key 32) over the Kafka listener, versions 0-4. kactor's DescribeConfigs answers with Kafka's
 * flags (read_only, is_sensitive) and config source (TOPIC_CONFIG for a topic's own override, DEFAULT_CONFIG
 * otherwise); what each version adds is derived from those:
 * - v0 has is_default instead of a source: true exactly when the source is DEFAULT_CONFIG;
 * - v1 adds synonyms when asked (include_synonyms): kactor knows only the value in force, not the chain of
 *   broker settings behind a topic override, so the one synonym listed is the config itself, with its source;
 * - v3 adds config_type and documentation (include_documentation): kactor keeps neither, so they are Kafka's
 *   "unknown" (0) and null, which clients print as absent;
 * - v4 is flexible.
 */
import type { DescribeConfigsRequest, DescribeConfigsResponse } from '@kactor/kafka-protocol';
import { configSources, type RequestBody, type ResponseBody, type WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';

/** Kafka's ConfigType.UNKNOWN: the type of a config kactor does not describe. */
const CONFIG_TYPE_UNKNOWN = 0;

export const describeConfigsAdapter: KafkaApiAdapter<'DescribeConfigs', 'describeConfigs'> = {
  kafkaApi: 'DescribeConfigs',
  kactorApi: 'describeConfigs',
  versions: { min: 0, max: 4 },
  toKactorRequest(body: DescribeConfigsRequest): RequestBody<'describeConfigs'> {
    return {
      resources: body.resources.map((resource) => ({
        resourceType: resource.resourceType,
        resourceName: resource.resourceName,
        configurationKeys: resource.configurationKeys === null ? null : [...resource.configurationKeys],
      })),
    };
  },
  toKafkaResponse(body: ResponseBody<'describeConfigs'>, request: DescribeConfigsRequest, version: number): DescribeConfigsResponse {
    const withSynonyms = version >= 1 && request.includeSynonyms;
    return {
      throttleTimeMs: body.throttleTimeMs,
      results: body.results.map((result) => ({
        errorCode: result.errorCode,
        errorMessage: result.errorMessage,
        resourceType: result.resourceType,
        resourceName: result.resourceName,
        configs: result.configs.map((config) => ({
          name: config.name,
          value: config.value,
          readOnly: config.readOnly,
          isDefault: version === 0 && config.configSource === configSources.defaultConfig,
          configSource: config.configSource,
          isSensitive: config.isSensitive,
          synonyms: withSynonyms ? [{ name: config.name, value: config.value, source: config.configSource }] : [],
          configType: CONFIG_TYPE_UNKNOWN,
          documentation: null,
        })),
      })),
    };
  },
  errorResponse(error: WireError, request: DescribeConfigsRequest): DescribeConfigsResponse {
    // As Kafka's DescribeConfigsRequest.getErrorResponse: every resource asked for carries the error, with no configs.
    return {
      throttleTimeMs: 0,
      results: request.resources.map((resource) => ({
        errorCode: error.code,
        errorMessage: error.message,
        resourceType: resource.resourceType,
        resourceName: resource.resourceName,
        configs: [],
      })),
    };
  },
};
