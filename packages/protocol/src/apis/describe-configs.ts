/**
 * DescribeConfigs (Kafka api key 32): the configs of resources, each with where its value comes from. kactor
 * answers for topics (resource type 2, from the broker's metadata image); a topic's own overrides have
 * `configSource` TOPIC_CONFIG (1), everything else the broker's default (DEFAULT_CONFIG, 5), as Kafka's
 * `kafka-topics.sh --describe` tells them apart to print only the overrides.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int8, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

/** Kafka's `ConfigResource.Type` codes. */
export const configResourceTypes = { topic: 2, broker: 4 } as const;
/** Kafka's `DescribeConfigsResponse.ConfigSource` codes kactor uses. */
export const configSources = { topicConfig: 1, defaultConfig: 5 } as const;

export const describeConfigsRequestV0 = z.strictObject({
  resources: boundedArray(
    z.strictObject({
      resourceType: int8,
      resourceName: kafkaString,
      /** Config names to describe; null for all of them. */
      configurationKeys: boundedArray(kafkaString, wireLimits.maxConfigsPerTopic).nullable(),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});

export const describeConfigsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  results: boundedArray(
    z.strictObject({
      errorCode: int16,
      errorMessage: nullableString,
      resourceType: int8,
      resourceName: kafkaString,
      configs: boundedArray(
        z.strictObject({
          name: kafkaString,
          value: nullableString,
          readOnly: z.boolean(),
          configSource: int8,
          isSensitive: z.boolean(),
        }),
        wireLimits.maxConfigsPerTopic,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});
