import { isKafkaError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { decodeRequestBody, decodeResponseBody, defaultRequestBody, defaultResponseBody, encodeRequestBody, encodeResponseBody } from '../api.js';
import type { ApiVersionsResponse, MetadataRequest } from '../generated/index.js';

function apiVersionsResponse(overrides: Partial<ApiVersionsResponse>): ApiVersionsResponse {
  return { ...defaultResponseBody('ApiVersions'), ...overrides };
}

function errorNameOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isKafkaError(error) ? error.errorName : (error as Error).name;
  }
  return undefined;
}

describe('encoding follows Kafka\'s version rules', () => {
  it('a non-default value in a field the version lacks is UNSUPPORTED_VERSION (Metadata v3 has no AllowAutoTopicCreation)', () => {
    const request: MetadataRequest = { ...defaultRequestBody('Metadata'), topics: null };
    expect(errorNameOf(() => encodeRequestBody('Metadata', 3, { ...request, allowAutoTopicCreation: false }))).toBe('UNSUPPORTED_VERSION');
    const bytes = encodeRequestBody('Metadata', 3, { ...request, allowAutoTopicCreation: true });
    expect(decodeRequestBody('Metadata', 3, bytes)).toMatchObject({ ok: true, value: { topics: null, allowAutoTopicCreation: true } });
  });

  it('an ignorable field the version lacks is dropped silently (JoinGroup v0 has no RebalanceTimeoutMs)', () => {
    const join = { ...defaultRequestBody('JoinGroup'), groupId: 'g', protocolType: 'consumer' };
    const bytes = encodeRequestBody('JoinGroup', 0, { ...join, rebalanceTimeoutMs: 60_000 });
    expect(decodeRequestBody('JoinGroup', 0, bytes)).toMatchObject({ ok: true, value: { groupId: 'g', rebalanceTimeoutMs: -1 } });
  });

  it('a version outside the spec is UNSUPPORTED_VERSION', () => {
    expect(errorNameOf(() => encodeResponseBody('ApiVersions', 5, apiVersionsResponse({})))).toBe('UNSUPPORTED_VERSION');
  });

  it('null where the version allows none is a programmer error (TypeError)', () => {
    const request = defaultRequestBody('Fetch');
    expect(errorNameOf(() => encodeRequestBody('Fetch', 4, { ...request, topics: null as unknown as [] }))).toBe('TypeError');
  });

  it('tagged fields equal to their default are not written, and a default tag buffer is one zero byte', () => {
    const bytes = encodeResponseBody('ApiVersions', 3, apiVersionsResponse({}));
    expect(Array.from(bytes)).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('unknown tagged fields are kept on decode and written back in tag order among the known ones', () => {
    const value = apiVersionsResponse({ finalizedFeaturesEpoch: 9n, _unknownTaggedFields: [{ tag: 0x7f, data: Uint8Array.from([0xaa]) }] });
    const bytes = encodeResponseBody('ApiVersions', 3, value);
    const decoded = decodeResponseBody('ApiVersions', 3, bytes);
    expect(decoded).toMatchObject({ ok: true, value: { finalizedFeaturesEpoch: 9n, _unknownTaggedFields: [{ tag: 0x7f, data: Uint8Array.from([0xaa]) }] } });
    // Tag buffer: two fields, tag 1 (8 bytes) before tag 127 (1 byte).
    expect(Array.from(bytes.subarray(bytes.length - 14))).toEqual([2, 1, 8, 0, 0, 0, 0, 0, 0, 0, 9, 0x7f, 1, 0xaa]);
  });

  it('unknown tagged fields cannot be written into a non-flexible version', () => {
    const value = apiVersionsResponse({ _unknownTaggedFields: [{ tag: 5, data: new Uint8Array(0) }] });
    expect(errorNameOf(() => encodeResponseBody('ApiVersions', 2, value))).toBe('UNSUPPORTED_VERSION');
  });
});
