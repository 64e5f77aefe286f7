/** Checks shared by the admin, transaction and KIP-848 adapters' tests: a request as the broker sees it, and answers in every served version. */
import { decodeRequestBody, decodeResponseBody, encodeRequestBody, encodeResponseBody, type KafkaApiName, type KafkaRequestBodies, type KafkaResponseBodies } from '@kactor/kafka-protocol';
import { checkRequestBody, latestVersion, type ApiName, type RequestBody } from '@kactor/protocol';
import { expect } from 'vitest';
import type { KafkaApiAdapter } from './adapter.js';

/** The request a client sent in `version`, decoded as the listener decodes it (fields the version lacks hold their defaults). */
export function asSent<K extends KafkaApiName>(api: K, version: number, body: KafkaRequestBodies[K]): KafkaRequestBodies[K] {
  const decoded = decodeRequestBody(api, version, encodeRequestBody(api, version, body));
  if (!decoded.ok) throw new Error(`${api} v${version} does not decode: ${decoded.error.message}`);
  return decoded.value;
}

/** Translates a request sent in `version` and checks kactor's schema accepts the translation, as the listener checks it. */
export function translated<K extends KafkaApiName, A extends ApiName>(adapter: KafkaApiAdapter<K, A>, version: number, body: KafkaRequestBodies[K]): RequestBody<A> {
  const kactor = adapter.toKactorRequest(asSent(adapter.kafkaApi, version, body), version, { requestApiKey: 0, requestApiVersion: version, correlationId: 1, clientId: 'client-a' });
  const checked = checkRequestBody(adapter.kactorApi, latestVersion(adapter.kactorApi), kactor);
  expect(checked.ok, `${adapter.kafkaApi} v${version} translates to a body kactor's schema accepts`).toBe(true);
  return kactor;
}

/** Encodes `answer` in every version the adapter serves and decodes it again, as the client would read it. */
export function answeredInEveryVersion<K extends KafkaApiName, A extends ApiName>(adapter: KafkaApiAdapter<K, A>, answer: (version: number) => KafkaResponseBodies[K]): Map<number, KafkaResponseBodies[K]> {
  const read = new Map<number, KafkaResponseBodies[K]>();
  for (let version = adapter.versions.min; version <= adapter.versions.max; version += 1) {
    const decoded = decodeResponseBody(adapter.kafkaApi, version, encodeResponseBody(adapter.kafkaApi, version, answer(version)));
    expect(decoded.ok, `${adapter.kafkaApi} v${version} answer decodes`).toBe(true);
    if (decoded.ok) read.set(version, decoded.value);
  }
  return read;
}
