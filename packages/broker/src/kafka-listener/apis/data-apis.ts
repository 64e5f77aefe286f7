/** Produce, Fetch, ListOffsets and InitProducerId: the APIs a producer and a consumer use to move records, one adapter each, served by the Kafka listener. */
import { eraseAdapter, type AnyKafkaApiAdapter } from './adapter.js';
import { fetchAdapter } from './fetch.js';
import { initProducerIdAdapter } from './init-producer-id.js';
import { listOffsetsAdapter } from './list-offsets.js';
import { produceAdapter } from './produce.js';

export const dataApiAdapters: readonly AnyKafkaApiAdapter[] = [eraseAdapter(produceAdapter), eraseAdapter(fetchAdapter), eraseAdapter(listOffsetsAdapter), eraseAdapter(initProducerIdAdapter)];
