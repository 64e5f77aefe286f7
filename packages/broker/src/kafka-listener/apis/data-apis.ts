/** Produce, Fetch, ListOffsets and InitProducerId: the APIs a producer and a consumer use to move records, one adapter each, served by the Kafka listener. */
import type { AnyKafkaApiAdapter } from './adapter.js';

export const dataApiAdapters: readonly AnyKafkaApiAdapter[] = [];
