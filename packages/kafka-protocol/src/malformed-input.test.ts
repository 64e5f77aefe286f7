import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequestBody, decodeResponseBody, encodeRequestBody } from './api.js';
import { messageArbitrary } from './codec/schema-arbitrary.test-support.js';
import { KafkaFrameReader } from './frame-reader.js';
import { decodeRequestFrame, decodeResponseFrame, encodeRequestFrame } from './frames.js';
import { kafkaApis, type KafkaRequestBodies } from './generated/index.js';
import type { KafkaApiName } from './api.js';

const MAX_FRAME_BYTES = 1024;
// Seeded: a failing fuzz case reproduces exactly.
const FUZZ_SEED = 1616;
const FUZZ_RUNS = 100;

const apiNames = Object.keys(kafkaApis) as KafkaApiName[];

describe('the frame reader', () => {
  it('cuts a stream into frames whatever the chunking, and holds back a partial one', () => {
    const frames = [Uint8Array.from([1, 2, 3]), new Uint8Array(0), Uint8Array.from([9])];
    const stream = Uint8Array.from([0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 1, 9, 0, 0]);
    for (let cut = 0; cut <= stream.length; cut += 1) {
      const reader = new KafkaFrameReader({ maxFrameBytes: MAX_FRAME_BYTES });
      const first = reader.push(stream.subarray(0, cut));
      const second = reader.push(stream.subarray(cut));
      expect([...first.frames, ...second.frames]).toEqual(frames);
      expect(reader.bufferedBytes).toBe(2);
    }
  });

  it('refuses a frame above socket.request.max.bytes with MESSAGE_TOO_LARGE before buffering it, and stays refused', () => {
    const reader = new KafkaFrameReader({ maxFrameBytes: MAX_FRAME_BYTES });
    const result = reader.push(Uint8Array.from([0, 0, 0x04, 0x01, 7]));
    expect(result).toMatchObject({ ok: false, frames: [], error: { code: 10, name: 'MESSAGE_TOO_LARGE' } });
    expect(reader.bufferedBytes).toBe(4);
    expect(reader.push(Uint8Array.from([0, 0, 0, 0]))).toMatchObject({ ok: false, error: { name: 'MESSAGE_TOO_LARGE' } });
  });

  it('refuses a negative size with INVALID_REQUEST, after handing out the frames before it', () => {
    const reader = new KafkaFrameReader({ maxFrameBytes: MAX_FRAME_BYTES });
    const result = reader.push(Uint8Array.from([0, 0, 0, 1, 5, 0xff, 0xff, 0xff, 0xff]));
    expect(result).toMatchObject({ ok: false, frames: [Uint8Array.from([5])], error: { code: 42, name: 'INVALID_REQUEST' } });
  });
});

describe('malformed requests are answered with Kafka\'s error, never thrown', () => {
  const metadata = encodeRequestFrame('Metadata', 4, { correlationId: 5, clientId: 'c' }, { topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'orders' }], allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }).subarray(4);

  it('every truncation of a valid request is INVALID_REQUEST', () => {
    for (let length = 0; length < metadata.length; length += 1) {
      const decoded = decodeRequestFrame(metadata.subarray(0, length));
      expect(decoded).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
    }
    expect(decodeRequestFrame(metadata)).toMatchObject({ ok: true, api: 'Metadata' });
  });

  it('an unknown API key is INVALID_REQUEST; a version outside the spec is UNSUPPORTED_VERSION with the header kept', () => {
    expect(decodeRequestFrame(Uint8Array.from([0x7f, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff]))).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
    // ApiVersions v9 from a newer client: header v2 (flexible), so the listener can send the KIP-511 v0 fallback.
    const newer = Uint8Array.from([0, 18, 0, 9, 0, 0, 0, 3, 0, 1, 0x63, 0]);
    expect(decodeRequestFrame(newer)).toMatchObject({
      ok: false,
      error: { code: 35, name: 'UNSUPPORTED_VERSION' },
      header: { requestApiKey: 18, requestApiVersion: 9, correlationId: 3, clientId: 'c' },
      bodyOffset: 12,
    });
  });

  it('a length that claims more than the frame holds is INVALID_REQUEST (no huge allocation)', () => {
    // Metadata v0 with a topic array of 2^31-1 entries.
    const frame = Uint8Array.from([0, 3, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff]);
    expect(decodeRequestFrame(frame)).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' }, header: { correlationId: 1 } });
  });

  it('a seeded fuzz of every decoder: random bytes and mutated valid bodies never throw', () => {
    // Arbitraries built once per API version: building them inside `chain` for every run costs more than the decoding.
    const cases = apiNames.flatMap((api) => {
      const schema = kafkaApis[api].request;
      const versions = Array.from({ length: schema.validVersions.max - schema.validVersions.min + 1 }, (_, index) => schema.validVersions.min + index);
      return versions.map((version) => ({ api, version, body: messageArbitrary(schema, version) }));
    });
    const mutation = fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat());
    const input = fc.integer({ min: 0, max: cases.length - 1 }).chain((index) => fc.tuple(fc.constant(cases[index]!), cases[index]!.body, mutation));
    fc.assert(
      fc.property(input, fc.uint8Array({ maxLength: 64 }), ([{ api, version }, body, [flips, cut]], noise) => {
        const bytes = encodeRequestBody(api, version, body as unknown as KafkaRequestBodies[typeof api]).slice();
        for (const [position, value] of flips) if (bytes.length > 0) bytes[position % bytes.length] = value;
        const truncated = bytes.subarray(0, bytes.length === 0 ? 0 : cut % (bytes.length + 1));
        // Any exception fails the property; every answer must be a verdict.
        for (const candidate of [bytes, truncated, noise]) {
          const verdicts = [
            decodeRequestBody(api, version, candidate).ok,
            decodeResponseBody(api, version, candidate).ok,
            decodeRequestFrame(candidate).ok,
            decodeResponseFrame(api, version, candidate).ok,
            new KafkaFrameReader({ maxFrameBytes: MAX_FRAME_BYTES }).push(candidate).ok,
          ];
          if (!verdicts.every((verdict) => typeof verdict === 'boolean')) return false;
        }
        return true;
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });
});
