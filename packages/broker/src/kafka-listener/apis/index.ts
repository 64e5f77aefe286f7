/** The APIs the Kafka listener serves, one adapter each (ApiVersions is answered by the listener itself). */
import type { KafkaApiName } from '@kactor/kafka-protocol';
import { eraseAdapter, type AnyKafkaApiAdapter } from './adapter.js';
import { metadataAdapter } from './metadata.js';

export type KafkaApiAdapters = ReadonlyMap<KafkaApiName, AnyKafkaApiAdapter>;

export function kafkaApiAdapters(adapters: readonly AnyKafkaApiAdapter[] = [eraseAdapter(metadataAdapter)]): KafkaApiAdapters {
  return new Map(adapters.map((adapter) => [adapter.kafkaApi, adapter]));
}

export { eraseAdapter, type AdapterContext, type AnyKafkaApiAdapter, type KafkaApiAdapter, type KafkaEndpoint, type VersionRange } from './adapter.js';
export { advertisedApiVersions, API_VERSIONS_SERVED, apiVersionsResponse, unsupportedApiVersionsFrame } from './api-versions.js';
export { metadataAdapter } from './metadata.js';
