/**
 * ApiVersions (key 18), answered by the Kafka listener itself from the table of APIs its adapters serve.
 * MinVersion is 0 for every API (reference §0: librdkafka checks overlap with old ranges to enable
 * features). A request above the highest version served is not parsed: it gets the v0 body with
 * UNSUPPORTED_VERSION (35) and the ApiVersions range, so the client retries with a version both know (KIP-511).
 */
import { defaultStruct, encodeResponseFrame, kafkaApis, type ApiVersionsResponse, type ApiVersionsResponseApiVersion } from '@kactor/kafka-protocol';
import { errorCodes } from '@kactor/protocol';
import type { AnyKafkaApiAdapter, VersionRange } from './adapter.js';

/** The ApiVersions versions served: v3 is the first librdkafka sends; v4 changes nothing a client here needs. */
export const API_VERSIONS_SERVED: VersionRange = { min: 0, max: 3 };

const emptyResponse = defaultStruct(kafkaApis.ApiVersions.response.struct) as unknown as ApiVersionsResponse;

export function advertisedApiVersions(adapters: Iterable<AnyKafkaApiAdapter>): ApiVersionsResponseApiVersion[] {
  const entries: ApiVersionsResponseApiVersion[] = [{ apiKey: kafkaApis.ApiVersions.apiKey, minVersion: 0, maxVersion: API_VERSIONS_SERVED.max }];
  for (const adapter of adapters) entries.push({ apiKey: kafkaApis[adapter.kafkaApi].apiKey, minVersion: 0, maxVersion: adapter.versions.max });
  return entries.sort((left, right) => left.apiKey - right.apiKey);
}

export function apiVersionsResponse(apiKeys: ApiVersionsResponseApiVersion[]): ApiVersionsResponse {
  return { ...emptyResponse, errorCode: 0, apiKeys };
}

/** The KIP-511 fallback frame, in v0 whatever version was asked for. */
export function unsupportedApiVersionsFrame(correlationId: number): Uint8Array {
  const apiKeys = [{ apiKey: kafkaApis.ApiVersions.apiKey, minVersion: 0, maxVersion: API_VERSIONS_SERVED.max }];
  return encodeResponseFrame('ApiVersions', 0, correlationId, { ...emptyResponse, errorCode: errorCodes.UNSUPPORTED_VERSION, apiKeys });
}
