import { describe, expect, it } from 'vitest';
import { decodeRequestFrame, decodeResponseFrame, encodeRequestFrame, encodeResponseFrame } from './frames.js';

/** Hex with spaces and `"text"` literals (as ASCII), the notation of kafka-wire-protocol.md §1. */
function bytes(notation: string): Uint8Array {
  const parts = notation.match(/"[^"]*"|[0-9a-fA-F]+/g) ?? [];
  const out: number[] = [];
  for (const part of parts) {
    if (part.startsWith('"')) for (const character of part.slice(1, -1)) out.push(character.charCodeAt(0));
    else for (let index = 0; index < part.length; index += 2) out.push(Number.parseInt(part.slice(index, index + 2), 16));
  }
  return Uint8Array.from(out);
}

function sizePrefixed(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 4);
  new DataView(out.buffer).setInt32(0, frame.length);
  out.set(frame, 4);
  return out;
}

describe('golden bytes: ApiVersions requests as the real clients send them (kafka-wire-protocol.md §1)', () => {
  it('librdkafka 2.0.2 (kcat): ApiVersions v3, request header v2, compact strings and tag buffers', () => {
    const frame = bytes('0012 0003 00000001 0007 "rdkafka" 00 0b "librdkafka" 06 "2.0.2" 00');
    const decoded = decodeRequestFrame(frame);
    expect(decoded).toEqual({
      ok: true,
      api: 'ApiVersions',
      version: 3,
      header: { requestApiKey: 18, requestApiVersion: 3, correlationId: 1, clientId: 'rdkafka' },
      body: { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' },
    });
    const encoded = encodeRequestFrame('ApiVersions', 3, { correlationId: 1, clientId: 'rdkafka' }, {
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '2.0.2',
    });
    expect(encoded).toEqual(sizePrefixed(frame));
  });

  it('KafkaJS 2.2.4: ApiVersions v2 with correlation id 0 and an empty body', () => {
    const frame = bytes('0012 0002 00000000 0009 "kjs-probe"');
    const decoded = decodeRequestFrame(frame);
    expect(decoded).toMatchObject({ ok: true, api: 'ApiVersions', version: 2, header: { correlationId: 0, clientId: 'kjs-probe' } });
    expect(encodeRequestFrame('ApiVersions', 2, { correlationId: 0, clientId: 'kjs-probe' }, { clientSoftwareName: '', clientSoftwareVersion: '' })).toEqual(
      sizePrefixed(frame),
    );
  });

  it('kafka-python 2.0.2: ApiVersions v0 then Metadata v0 with topics [] (all topics), its default client id', () => {
    const apiVersions = bytes('0012 0000 00000001 0012 "kafka-python-2.0.2"');
    const metadata = bytes('0003 0000 00000002 0012 "kafka-python-2.0.2" 00000000');
    expect(decodeRequestFrame(apiVersions)).toMatchObject({ ok: true, api: 'ApiVersions', version: 0, header: { correlationId: 1 } });
    const decoded = decodeRequestFrame(metadata);
    expect(decoded).toMatchObject({ ok: true, api: 'Metadata', version: 0, body: { topics: [] } });
  });
});

describe('golden bytes: hand-checked against kafka-wire-layouts.txt', () => {
  it('ApiVersions v3 response: header v0 even though v3 is flexible, compact array, tag buffers', () => {
    const body = { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0, supportedFeatures: [], finalizedFeaturesEpoch: -1n, finalizedFeatures: [], zkMigrationReady: false };
    const frame = bytes('00000007 0000 02 0012 0000 0003 00 00000000 00');
    expect(encodeResponseFrame('ApiVersions', 3, 7, body)).toEqual(sizePrefixed(frame));
    expect(decodeResponseFrame('ApiVersions', 3, frame)).toEqual({ ok: true, value: { correlationId: 7, body }, bytesRead: frame.length });
  });

  it('ApiVersions v3 response with a tagged field (FinalizedFeaturesEpoch, tag 1) that differs from its default', () => {
    const body = { errorCode: 0, apiKeys: [], throttleTimeMs: 0, supportedFeatures: [], finalizedFeaturesEpoch: 5n, finalizedFeatures: [], zkMigrationReady: false };
    const frame = bytes('00000007 0000 01 00000000 01 01 08 0000000000000005');
    expect(encodeResponseFrame('ApiVersions', 3, 7, body)).toEqual(sizePrefixed(frame));
    expect(decodeResponseFrame('ApiVersions', 3, frame)).toMatchObject({ ok: true, value: { body } });
  });

  it('ApiVersions v0 response: the UNSUPPORTED_VERSION fallback body of KIP-511 (error 35, the ApiVersions range only)', () => {
    const body = { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0, supportedFeatures: [], finalizedFeaturesEpoch: -1n, finalizedFeatures: [], zkMigrationReady: false };
    expect(encodeResponseFrame('ApiVersions', 0, 1, body)).toEqual(sizePrefixed(bytes('00000001 0023 00000001 0012 0000 0003')));
  });

  it('Produce v3 request: null transactional id, acks -1, one partition whose records pass through untouched', () => {
    const frame = bytes('0000 0003 00000009 ffff ffff ffff 00007530 00000001 0001 "t" 00000001 00000000 00000003 010203');
    const decoded = decodeRequestFrame(frame);
    expect(decoded).toEqual({
      ok: true,
      api: 'Produce',
      version: 3,
      header: { requestApiKey: 0, requestApiVersion: 3, correlationId: 9, clientId: null },
      body: { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: 't', partitionData: [{ index: 0, records: Uint8Array.from([1, 2, 3]) }] }] },
    });
  });

  it('Produce v9 request: the first flexible Produce, compact everything and a tag buffer per struct', () => {
    const frame = bytes('0000 0009 00000009 0001 "c" 00 00 0001 00000000 02 02 "t" 02 00000000 04 010203 00 00 00');
    const body = { transactionalId: null, acks: 1, timeoutMs: 0, topicData: [{ name: 't', partitionData: [{ index: 0, records: Uint8Array.from([1, 2, 3]) }] }] };
    expect(decodeRequestFrame(frame)).toMatchObject({ ok: true, api: 'Produce', version: 9, header: { clientId: 'c' }, body });
    expect(encodeRequestFrame('Produce', 9, { correlationId: 9, clientId: 'c' }, body)).toEqual(sizePrefixed(frame));
  });

  it('Fetch v4 response: null aborted transactions and empty records', () => {
    const frame = bytes('00000003 00000000 00000001 0001 "t" 00000001 00000000 0000 0000000000000005 0000000000000004 ffffffff 00000000');
    const decoded = decodeResponseFrame('Fetch', 4, frame);
    expect(decoded).toMatchObject({
      ok: true,
      value: {
        correlationId: 3,
        body: { responses: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 5n, lastStableOffset: 4n, abortedTransactions: null, records: new Uint8Array(0) }] }] },
      },
    });
  });

  it('FindCoordinator v1 request: key and key type (1 = transaction)', () => {
    const frame = bytes('000a 0001 00000004 0001 "c" 0003 "txn" 01');
    expect(decodeRequestFrame(frame)).toMatchObject({ ok: true, api: 'FindCoordinator', version: 1, body: { key: 'txn', keyType: 1 } });
  });

  it('ConsumerGroupHeartbeat v0 response: a null assignment is an int8 -1 (a nullable struct)', () => {
    const body = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, memberId: 'm', memberEpoch: 2, heartbeatIntervalMs: 5000, assignment: null };
    const frame = bytes('00000001 00 00000000 0000 00 02 "m" 00000002 00001388 ff 00');
    expect(encodeResponseFrame('ConsumerGroupHeartbeat', 0, 1, body)).toEqual(sizePrefixed(frame));
    expect(decodeResponseFrame('ConsumerGroupHeartbeat', 0, frame)).toEqual({ ok: true, value: { correlationId: 1, body }, bytesRead: frame.length });
  });
});
