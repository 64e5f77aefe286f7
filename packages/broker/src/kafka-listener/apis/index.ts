/** The APIs the Kafka listener serves, one adapter each (ApiVersions is answered by the listener itself). */
import type { KafkaApiName } from '@kactor/kafka-protocol';
import { eraseAdapter, type AnyKafkaApiAdapter } from './adapter.js';
import { adminApiAdapters } from './admin-apis.js';
import { dataApiAdapters } from './data-apis.js';
import { groupApiAdapters } from './group-apis.js';
import { metadataAdapter } from './metadata.js';

/** Every API served: Metadata and the three families, each kept in its own module. */
function defaultAdapters(): AnyKafkaApiAdapter[] {
  return [eraseAdapter(metadataAdapter), ...dataApiAdapters, ...groupApiAdapters, ...adminApiAdapters];
}

export type KafkaApiAdapters = ReadonlyMap<KafkaApiName, AnyKafkaApiAdapter>;

export function kafkaApiAdapters(adapters: readonly AnyKafkaApiAdapter[] = defaultAdapters()): KafkaApiAdapters {
  return new Map(adapters.map((adapter) => [adapter.kafkaApi, adapter]));
}

export { eraseAdapter, type AdapterContext, type AnyKafkaApiAdapter, type KafkaApiAdapter, type KafkaEndpoint, type VersionRange } from './adapter.js';
export { advertisedApiVersions, API_VERSIONS_SERVED, apiVersionsResponse, unsupportedApiVersionsFrame } from './api-versions.js';
export { metadataAdapter } from './metadata.js';
