import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kafkaApis } from '../generated/index.js';
import { requestHeaderSchema, responseHeaderSchema } from '../generated/headers.js';
import type { MessageSchema } from '../schema.js';
import { ByteReader } from './byte-reader.js';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { messageArbitrary } from './schema-arbitrary.test-support.js';

// Seeded, so that a failure names a reproducible value; a few runs per version keep the suite quick.
const SEED = 16;
const RUNS_PER_VERSION = 8;

function versionsOf(schema: MessageSchema): number[] {
  const versions: number[] = [];
  for (let version = schema.validVersions.min; version <= schema.validVersions.max; version += 1) versions.push(version);
  return versions;
}

function checkRoundTrip(schema: MessageSchema): void {
  for (const version of versionsOf(schema)) {
    fc.assert(
      fc.property(messageArbitrary(schema, version), (value) => {
        const bytes = encodeMessage(schema, version, value).bytes();
        const reader = new ByteReader(bytes);
        expect(decodeMessage(schema, version, reader)).toEqual(value);
        expect(reader.offset).toBe(bytes.length);
      }),
      { seed: SEED + version, numRuns: RUNS_PER_VERSION },
    );
  }
}

describe('decode(encode(x)) = x for every version in each spec', () => {
  for (const [name, api] of Object.entries(kafkaApis)) {
    it(`${name} requests, versions ${api.request.validVersions.min}-${api.request.validVersions.max}`, () => checkRoundTrip(api.request));
    it(`${name} responses, versions ${api.response.validVersions.min}-${api.response.validVersions.max}`, () => checkRoundTrip(api.response));
  }
  it('request headers v0-v2 and response headers v0-v1', () => {
    checkRoundTrip(requestHeaderSchema);
    checkRoundTrip(responseHeaderSchema);
  });
});
