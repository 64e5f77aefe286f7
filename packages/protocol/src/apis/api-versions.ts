/**
 * ApiVersions (Kafka api key 18): which APIs and versions this node serves. Clients may ask first, as
 * Kafka's clients do, to pick the highest version both sides know.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, kafkaString } from './primitives.js';

export const apiVersionsRequestV0 = z.strictObject({
  clientSoftwareName: kafkaString,
  clientSoftwareVersion: kafkaString,
});

export const apiVersionsResponseV0 = z.strictObject({
  errorCode: int16,
  apiKeys: boundedArray(
    z.strictObject({ apiKey: int16, name: kafkaString, minVersion: int16, maxVersion: int16 }),
    1_000,
  ),
  throttleTimeMs: int32,
});
