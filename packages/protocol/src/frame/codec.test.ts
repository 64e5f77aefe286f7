import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apis, type RequestBody } from '../apis/registry.js';
import { decodeRequestFrame, decodeResponseFrame, encodeErrorFrame, encodeRawFrame, encodeRequestFrame, encodeResponseFrame } from './codec.js';
import { FRAME_HEADER_BYTES } from './header.js';

const limits = { maxFrameBytes: 1024 * 1024 };
const produceBody = {
  transactionalId: null,
  acks: 1,
  timeoutMs: 30_000,
  topicData: [{ name: 'orders', partitionData: [{ index: 3, records: new Uint8Array([1, 2, 3]) }] }],
};

function refusal(frame: Uint8Array) {
  const decoded = decodeRequestFrame(frame, limits);
  if (decoded.ok) throw new Error('expected the frame to be refused');
  return decoded;
}

describe('request frames', () => {
  it('round trip a produce request with its record bytes intact', () => {
    const decoded = decodeRequestFrame(encodeRequestFrame('produce', 0, 77, produceBody), limits);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok || decoded.request.api !== 'produce') return;
    expect(decoded.request.correlationId).toBe(77);
    expect(decoded.request.body.topicData[0]?.partitionData[0]?.index).toBe(3);
    expect([...(decoded.request.body.topicData[0]?.partitionData[0]?.records ?? [])]).toEqual([1, 2, 3]);
  });

  it('keep 64-bit offsets exact up to 2^53', () => {
    const body: RequestBody<'fetch'> = {
      replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 1000, isolationLevel: 0,
      topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 2 ** 53 - 1, logStartOffset: -1, partitionMaxBytes: 10 }] }],
    };
    const decoded = decodeRequestFrame(encodeRequestFrame('fetch', 0, 1, body), limits);
    expect(decoded.ok && decoded.request.api === 'fetch' && decoded.request.body.topics[0]?.partitions[0]?.fetchOffset).toBe(2 ** 53 - 1);
  });

  it('refuse a frame shorter than the header with INVALID_REQUEST', () => {
    expect(refusal(new Uint8Array(4)).error.name).toBe('INVALID_REQUEST');
  });

  it('refuse an unknown frame version with INVALID_REQUEST and keep the correlation id', () => {
    const frame = encodeRequestFrame('metadata', 0, 9, { topics: null, allowAutoTopicCreation: false });
    frame[0] = 7;
    const refused = refusal(frame);
    expect(refused.error.name).toBe('INVALID_REQUEST');
    expect(refused.correlationId).toBe(9);
  });

  it('refuse an oversize frame with MESSAGE_TOO_LARGE without decoding its body', () => {
    const frame = new Uint8Array(limits.maxFrameBytes + 1);
    frame.set(encodeRawFrame('request', apis.produce.key, 0, 5, null).subarray(0, FRAME_HEADER_BYTES));
    const refused = refusal(frame);
    expect(refused.error).toMatchObject({ code: 10, name: 'MESSAGE_TOO_LARGE', retriable: false });
    expect(refused.correlationId).toBe(5);
  });

  it('refuse an unknown api key with INVALID_REQUEST', () => {
    const refused = refusal(encodeRawFrame('request', 999, 0, 3, {}));
    expect(refused.error).toMatchObject({ code: 42, name: 'INVALID_REQUEST' });
    expect(refused.error.message).toContain('unknown api key 999');
  });

  it('refuse an unsupported version with UNSUPPORTED_VERSION', () => {
    expect(refusal(encodeRawFrame('request', apis.metadata.key, 9, 3, {})).error).toMatchObject({ code: 35, name: 'UNSUPPORTED_VERSION' });
  });

  it('refuse a body that is not MessagePack with CORRUPT_MESSAGE', () => {
    const frame = encodeRawFrame('request', apis.metadata.key, 0, 3, null);
    const broken = new Uint8Array(FRAME_HEADER_BYTES + 2);
    broken.set(frame.subarray(0, FRAME_HEADER_BYTES));
    broken.set([0xdd, 0xff], FRAME_HEADER_BYTES);
    expect(refusal(broken).error).toMatchObject({ code: 2, name: 'CORRUPT_MESSAGE' });
  });

  it('refuse an unknown field with INVALID_REQUEST naming it', () => {
    const refused = refusal(encodeRawFrame('request', apis.metadata.key, 0, 3, { topics: null, allowAutoTopicCreation: false, sneaky: 1 }));
    expect(refused.error.name).toBe('INVALID_REQUEST');
    expect(refused.error.message).toContain('sneaky');
  });

  it('refuse a field of the wrong type with INVALID_REQUEST naming its path', () => {
    const bad = { ...produceBody, topicData: [{ name: 'orders', partitionData: [{ index: 'three', records: new Uint8Array() }] }] };
    const refused = refusal(encodeRawFrame('request', apis.produce.key, 0, 3, bad));
    expect(refused.error.message).toContain('topicData.0.partitionData.0.index');
  });

  it('refuse a missing field and an out-of-range integer', () => {
    expect(refusal(encodeRawFrame('request', apis.metadata.key, 0, 3, { topics: null })).error.name).toBe('INVALID_REQUEST');
    const outOfRange = { ...produceBody, acks: 70_000 };
    expect(refusal(encodeRawFrame('request', apis.produce.key, 0, 3, outOfRange)).error.name).toBe('INVALID_REQUEST');
  });

  it('refuse a response frame sent as a request', () => {
    const frame = encodeResponseFrame('updateMetadata', 0, 1, { errorCode: 0, errorMessage: null });
    expect(refusal(frame).error.name).toBe('INVALID_REQUEST');
  });

  it('never throw on arbitrary bytes, and always name a Kafka error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const decoded = decodeRequestFrame(bytes, limits);
        if (!decoded.ok) expect(decoded.error.code).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throw on mutated valid frames', () => {
    const valid = encodeRequestFrame('produce', 0, 1, produceBody);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (mutations) => {
        const frame = valid.slice();
        for (const [position, value] of mutations) frame[position] = value;
        decodeRequestFrame(frame, limits);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('response frames', () => {
  it('round trip a response', () => {
    const decoded = decodeResponseFrame(encodeResponseFrame('updateMetadata', 0, 12, { errorCode: 0, errorMessage: null }), limits);
    expect(decoded).toMatchObject({ ok: true, kind: 'response', api: 'updateMetadata', correlationId: 12 });
  });

  it('carry an error response with its Kafka code and name', () => {
    const error = { code: 42, name: 'INVALID_REQUEST' as const, retriable: false, message: 'bad' };
    expect(decodeResponseFrame(encodeErrorFrame(3, 0, 4, error), limits)).toMatchObject({ ok: true, kind: 'error', correlationId: 4, error });
  });

  it('treat a response that fails its schema as CORRUPT_MESSAGE', () => {
    const decoded = decodeResponseFrame(encodeRawFrame('response', apis.updateMetadata.key, 0, 4, { errorCode: 'x' }), limits);
    expect(decoded).toMatchObject({ ok: false, correlationId: 4, error: { name: 'CORRUPT_MESSAGE' } });
  });
});
