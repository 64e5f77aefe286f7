/**
 * Fetch (key 1) over the Kafka listener, versions 4-11: v4 brings the isolation level, the last stable offset and
 * the aborted transactions (KIP-98), v5 the log start offset, v7 fetch sessions (KIP-227), v9 the client's
 * current leader epoch (KIP-320), v11 the rack and preferred read replica (KIP-392). The broker's delayed fetch
 * serves the long poll (max_wait_ms, min_bytes): a parked fetch blocks only its own connection. Record bytes
 * pass through as stored. v12+ (flexible, KIP-595 divergence) and v13+ (topic ids instead of names) are not served.
 *
 * Fetch sessions: kactor keeps none, and answers every fetch in full with session id 0, which Kafka's clients
 * read as "the broker made no session" (as when Kafka's session cache is full) and keep sending full fetches. An
 * incremental fetch (session epoch other than 0 or -1) names a session that cannot exist here:
 * FETCH_SESSION_ID_NOT_FOUND, as Kafka answers for an unknown session.
 *
 * A client fetching with a replica id >= 0 is treated as a follower by the broker, which refuses every partition
 * with TOPIC_AUTHORIZATION_FAILED unless the connection is the cluster's own (Kafka's ClusterAction check).
 */
import {
  ZERO_UUID,
  type FetchRequest,
  type FetchResponse,
  type FetchResponseFetchableTopicResponse,
  type FetchResponsePartitionData,
} from '@kactor/kafka-protocol';
import { errorCodes, isolationLevels, type ErrorName, type RequestBody, type ResponseBody, type WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';
import { storageErrorForVersion } from './data-translation.js';
import { int64ToNumber } from './int64-to-number.js';

/** KIP-112: Fetch v6 is the first that may answer KAFKA_STORAGE_ERROR. */
const FIRST_VERSION_WITH_STORAGE_ERROR = 6;
/** KIP-227's session epochs that ask for a full fetch: 0 opens a session, -1 asks for none. */
const FULL_FETCH_EPOCHS: ReadonlySet<number> = new Set([0, -1]);

const noEpochEndOffset = { epoch: -1, endOffset: -1n };
const noLeader = { leaderId: -1, leaderEpoch: -1 };
const noSnapshot = { endOffset: -1n, epoch: -1 };
const noRecords = new Uint8Array(0);

/** What makes Kafka refuse the whole fetch before reading anything, or undefined. */
export function fetchRequestProblem(body: FetchRequest): { errorName: ErrorName; sessionError: boolean } | undefined {
  if (!FULL_FETCH_EPOCHS.has(body.sessionEpoch)) return { errorName: 'FETCH_SESSION_ID_NOT_FOUND', sessionError: true };
  if (body.isolationLevel !== isolationLevels.readUncommitted && body.isolationLevel !== isolationLevels.readCommitted) {
    return { errorName: 'INVALID_REQUEST', sessionError: false };
  }
  return undefined;
}

/** Kafka's answer for a partition it could not read (FetchResponse.partitionResponse with an error). */
function partitionError(partitionIndex: number, errorCode: number): FetchResponsePartitionData {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    divergingEpoch: noEpochEndOffset,
    currentLeader: noLeader,
    snapshotId: noSnapshot,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: noRecords,
  };
}

/** A fetch the broker answers at once with nothing, for a request refused before reading (the answer is the error). */
const nothingToRead = (body: FetchRequest): RequestBody<'fetch'> => ({
  replicaId: -1,
  maxWaitMs: 0,
  minBytes: 0,
  maxBytes: body.maxBytes,
  isolationLevel: isolationLevels.readUncommitted,
  topics: [],
});

function errorAnswer(error: { code: number }, request: FetchRequest, version: number): FetchResponse {
  const errorCode = storageErrorForVersion(error.code, version, FIRST_VERSION_WITH_STORAGE_ERROR);
  // As Kafka's FetchRequest.getErrorResponse below v13: the error on every partition asked for and at the top.
  const responses: FetchResponseFetchableTopicResponse[] = request.topics.map((topic) => ({
    topic: topic.topic,
    topicId: ZERO_UUID,
    partitions: topic.partitions.map((partition) => partitionError(partition.partition, errorCode)),
  }));
  return { throttleTimeMs: 0, errorCode, sessionId: 0, responses, nodeEndpoints: [] };
}

export const fetchAdapter: KafkaApiAdapter<'Fetch', 'fetch'> = {
  kafkaApi: 'Fetch',
  kactorApi: 'fetch',
  versions: { min: 4, max: 11 },
  toKactorRequest(body: FetchRequest): RequestBody<'fetch'> {
    if (fetchRequestProblem(body) !== undefined) return nothingToRead(body);
    return {
      replicaId: body.replicaId,
      maxWaitMs: body.maxWaitMs,
      minBytes: body.minBytes,
      maxBytes: body.maxBytes,
      isolationLevel: body.isolationLevel as 0 | 1,
      // Forgotten topics only shrink a session's set of partitions, and a full fetch names them all (KIP-227).
      topics: body.topics.map((topic) => ({
        topic: topic.topic,
        partitions: topic.partitions.map((partition) => ({
          partition: partition.partition,
          // Versions before 9 decode it as -1: no leader epoch check, as Kafka does for them.
          currentLeaderEpoch: partition.currentLeaderEpoch,
          fetchOffset: int64ToNumber(partition.fetchOffset),
          logStartOffset: int64ToNumber(partition.logStartOffset),
          partitionMaxBytes: partition.partitionMaxBytes,
        })),
      })),
    };
  },
  toKafkaResponse(body: ResponseBody<'fetch'>, request: FetchRequest, version: number): FetchResponse {
    const problem = fetchRequestProblem(request);
    if (problem !== undefined) {
      // A session error is the whole answer (Kafka's SessionErrorContext): no partitions, the code at the top.
      const errorCode = errorCodes[problem.errorName];
      return problem.sessionError ? { throttleTimeMs: 0, errorCode, sessionId: 0, responses: [], nodeEndpoints: [] } : errorAnswer({ code: errorCode }, request, version);
    }
    const responses: FetchResponseFetchableTopicResponse[] = body.responses.map((topic) => ({
      topic: topic.topic,
      topicId: ZERO_UUID,
      partitions: topic.partitions.map(
        (partition): FetchResponsePartitionData => ({
          partitionIndex: partition.partitionIndex,
          errorCode: storageErrorForVersion(partition.errorCode, version, FIRST_VERSION_WITH_STORAGE_ERROR),
          highWatermark: BigInt(partition.highWatermark),
          lastStableOffset: BigInt(partition.lastStableOffset),
          logStartOffset: BigInt(partition.logStartOffset),
          divergingEpoch: noEpochEndOffset,
          currentLeader: noLeader,
          snapshotId: noSnapshot,
          abortedTransactions:
            partition.abortedTransactions === null
              ? null
              : partition.abortedTransactions.map((aborted) => ({ producerId: BigInt(aborted.producerId), firstOffset: BigInt(aborted.firstOffset) })),
          // kactor serves every read from the leader (no KIP-392 follower fetching).
          preferredReadReplica: -1,
          records: partition.records,
        }),
      ),
    }));
    // Session id 0: no session was made, so the client's next fetch is a full one again.
    return { throttleTimeMs: body.throttleTimeMs, errorCode: body.errorCode, sessionId: 0, responses, nodeEndpoints: [] };
  },
  errorResponse(error: WireError, request: FetchRequest, version: number): FetchResponse {
    return errorAnswer(error, request, version);
  },
};
