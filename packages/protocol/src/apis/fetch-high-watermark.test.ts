/**
 * Fetch's KIP-1166 field: a metadata quorum fetcher reports the high watermark it knows per partition, so the leader
 * can answer a held Fetch as soon as its own is higher. Optional (consumers and partition followers leave it out),
 * -1 for "none known yet", refused below -1 or past the safe integers.
 */
import { describe, expect, it } from 'vitest';
import { refusal, roundTripRequest } from './frame-round-trip.test-support.js';
import type { RequestBody } from './registry.js';

const partition = { partition: 0, currentLeaderEpoch: 6, lastFetchedEpoch: 5, fetchOffset: 37, logStartOffset: -1, partitionMaxBytes: 1_048_576 };
const fetchWith = (fields: Record<string, unknown>): RequestBody<'fetch'> => ({
  clusterId: 'kactor-cluster',
  replicaId: 2,
  maxWaitMs: 500,
  minBytes: 0,
  maxBytes: 8_388_608,
  isolationLevel: 0,
  topics: [{ topic: '__cluster_metadata', partitions: [{ ...partition, ...fields }] }],
});

describe('Fetch highWatermark (KIP-1166)', () => {
  it('round trips a known high watermark and -1 (none known), and stays absent when not sent', () => {
    for (const highWatermark of [0, 36, 2 ** 40, -1]) expect(roundTripRequest('fetch', fetchWith({ highWatermark }))).toEqual(fetchWith({ highWatermark }));
    const decoded = roundTripRequest('fetch', fetchWith({})) as RequestBody<'fetch'>;
    expect(decoded.topics[0]?.partitions[0]).not.toHaveProperty('highWatermark');
  });

  it('refuses a high watermark below -1, past the safe integers, or not an integer', () => {
    expect(refusal('fetch', fetchWith({ highWatermark: -2 }))).toMatch(/^INVALID_REQUEST: \w+ v0 topics\.0\.partitions\.0\.highWatermark/);
    expect(refusal('fetch', fetchWith({ highWatermark: 2 ** 53 }))).toMatch(/highWatermark/);
    expect(refusal('fetch', fetchWith({ highWatermark: 1.5 }))).toMatch(/highWatermark/);
    expect(refusal('fetch', fetchWith({ highWatermark: -1 }))).toBeUndefined();
  });
});
