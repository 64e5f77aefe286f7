/**
 * FetchSnapshot (Kafka api key 59, KIP-630): a replica whose Fetch was answered with a snapshot id (it is so far
 * behind that the leader has cleaned the log it needs) reads that snapshot from the leader in chunks, from
 * `position` on, then continues fetching the log after it. Errors: SNAPSHOT_NOT_FOUND, POSITION_OUT_OF_RANGE,
 * and the leader-epoch checks of Fetch. A control-plane request (cluster-actions.ts).
 */
import { z } from 'zod';
import { boundedArray, bytes, int16, int32, int64, kafkaString, nullableString } from './primitives.js';
import { currentLeader } from './fetch.js';
import { kafkaUuid, nodeEndpoints, snapshotId } from './quorum-fields.js';
import { wireLimits } from './wire-limits.js';

export const fetchSnapshotRequestV0 = z.strictObject({
  /** The fetcher's cluster id, checked like Fetch's; null when unknown. */
  clusterId: nullableString,
  /** The replica fetching. */
  replicaId: int32,
  /** The most snapshot bytes to return across partitions. */
  maxBytes: int32,
  topics: boundedArray(
    z.strictObject({
      name: kafkaString,
      partitions: boundedArray(
        z.strictObject({
          partition: int32,
          /** The leader epoch the fetcher knows, or -1. */
          currentLeaderEpoch: int32,
          snapshotId,
          /** The byte of the snapshot to read from. */
          position: int64,
          replicaDirectoryId: kafkaUuid.optional(),
        }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
});

export const fetchSnapshotResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  topics: boundedArray(
    z.strictObject({
      name: kafkaString,
      partitions: boundedArray(
        z.strictObject({
          index: int32,
          errorCode: int16,
          snapshotId,
          /** The leader the answering replica knows; absent when it names none. */
          currentLeader: currentLeader.optional(),
          /** The whole snapshot's size in bytes. */
          size: int64,
          /** Where in the snapshot `unalignedRecords` starts. */
          position: int64,
          /** A chunk of the snapshot; it may end inside a record batch. */
          unalignedRecords: bytes,
        }),
        wireLimits.maxPartitionsPerTopicInRequest,
      ),
    }),
    wireLimits.maxTopicsPerRequest,
  ),
  nodeEndpoints: nodeEndpoints.optional(),
});
