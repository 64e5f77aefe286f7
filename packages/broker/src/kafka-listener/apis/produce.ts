/**
 * Produce (key 0) over the Kafka listener, versions 3-9. The request layout is one from v3 to v8 (v9 only makes
 * it flexible); the answer gains LogStartOffset in v5 and RecordErrors/ErrorMessage in v8. Versions 0-2 carry
 * the legacy MessageSet (magic 0/1), which kactor does not store: they close the connection. v10+ (KIP-951 leader
 * hints) and v12+ (KIP-890 transactions v2, where a produce also adds its partition to the transaction) are
 * not served, since kactor's answer has neither.
 *
 * Record batches pass through untouched: kactor stores Kafka's batch v2 as the producer wrote it. Before they
 * reach the broker, each partition's records get the check Kafka makes of the request itself
 * (`ProduceRequest.validateRecords`): exactly one batch, of magic 2, and no zstd before v7. A partition that
 * fails it is not handed to the broker and is answered with its error beside the others, as Kafka answers it.
 */
import type { ProduceRequest, ProduceResponse, ProduceResponsePartitionProduceResponse } from '@kactor/kafka-protocol';
import {
  ATTRIBUTE_COMPRESSION_MASK,
  ATTRIBUTES_OFFSET,
  BATCH_LENGTH_OFFSET,
  errorCodes,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAGIC_V2,
  type ErrorName,
  type RequestBody,
  type ResponseBody,
  type WireError,
} from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';
import { storageErrorForVersion, topicPartitionKey } from './data-translation.js';

/** KIP-112: Produce v4 is the first that may answer KAFKA_STORAGE_ERROR. */
const FIRST_VERSION_WITH_STORAGE_ERROR = 4;
/** KIP-110: zstd batches may come only with Produce v7 and later. */
const FIRST_VERSION_WITH_ZSTD = 7;
const ZSTD_CODEC = 4;
/** A legacy message's magic sits at the same place as a batch's (offset, size, CRC, magic), so one read tells either. */
const MAGIC_READABLE_BYTES = MAGIC_OFFSET + 1;

const noLeader = { leaderId: -1, leaderEpoch: -1 };

export interface RecordsProblem {
  readonly errorName: ErrorName;
  readonly message: string;
}

/**
 * Kafka's check of one partition's records in a Produce of `version` (3+): one whole batch of magic 2, zstd only
 * from v7. The CRC, sizes and records inside the batch are the partition leader's to check, as in Kafka.
 */
export function produceRecordsProblem(records: Uint8Array | null, version: number): RecordsProblem | undefined {
  if (records === null || records.length < MAGIC_READABLE_BYTES) {
    return { errorName: 'INVALID_RECORD', message: `Produce v${version} must carry one record batch per partition; this partition has none` };
  }
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const magic = view.getInt8(MAGIC_OFFSET);
  if (magic !== MAGIC_V2) {
    return { errorName: 'INVALID_RECORD', message: `Produce v${version} may only carry record batches of magic 2, not magic ${magic}` };
  }
  const batchBytes = LOG_OVERHEAD + view.getInt32(BATCH_LENGTH_OFFSET);
  if (batchBytes !== records.length) {
    return { errorName: 'INVALID_RECORD', message: `Produce v${version} must carry exactly one record batch per partition (the first spans ${batchBytes} of ${records.length} bytes)` };
  }
  if (version < FIRST_VERSION_WITH_ZSTD && records.length > ATTRIBUTES_OFFSET + 1 && (view.getInt16(ATTRIBUTES_OFFSET) & ATTRIBUTE_COMPRESSION_MASK) === ZSTD_CODEC) {
    return { errorName: 'UNSUPPORTED_COMPRESSION_TYPE', message: `Produce v${version} may not carry zstd batches (v${FIRST_VERSION_WITH_ZSTD}+ may, KIP-110)` };
  }
  return undefined;
}

function partitionAnswer(index: number, errorCode: number, errorMessage: string | null): ProduceResponsePartitionProduceResponse {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [], errorMessage, currentLeader: noLeader };
}

export const produceAdapter: KafkaApiAdapter<'Produce', 'produce'> = {
  kafkaApi: 'Produce',
  kactorApi: 'produce',
  versions: { min: 3, max: 9 },
  toKactorRequest(body: ProduceRequest, version: number): RequestBody<'produce'> {
    return {
      transactionalId: body.transactionalId,
      acks: body.acks,
      timeoutMs: body.timeoutMs,
      // Partitions whose records Kafka would refuse before the append stay here; the answer puts their error back.
      topicData: body.topicData.map((topic) => ({
        name: topic.name,
        partitionData: topic.partitionData.flatMap((partition) =>
          produceRecordsProblem(partition.records, version) === undefined ? [{ index: partition.index, records: partition.records as Uint8Array }] : [],
        ),
      })),
    };
  },
  toKafkaResponse(body: ResponseBody<'produce'>, request: ProduceRequest, version: number): ProduceResponse {
    const answers = new Map<string, ResponseBody<'produce'>['responses'][number]['partitionResponses'][number]>();
    for (const topic of body.responses) {
      for (const partition of topic.partitionResponses) answers.set(topicPartitionKey(topic.name, partition.index), partition);
    }
    // In the request's order, as Kafka answers; the partitions checked out here carry their own error.
    const responses = request.topicData.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((partition): ProduceResponsePartitionProduceResponse => {
        const problem = produceRecordsProblem(partition.records, version);
        if (problem !== undefined) return partitionAnswer(partition.index, errorCodes[problem.errorName], problem.message);
        const answer = answers.get(topicPartitionKey(topic.name, partition.index));
        if (answer === undefined) return partitionAnswer(partition.index, errorCodes.UNKNOWN_SERVER_ERROR, 'the broker did not answer for this partition');
        return {
          index: answer.index,
          errorCode: storageErrorForVersion(answer.errorCode, version, FIRST_VERSION_WITH_STORAGE_ERROR),
          baseOffset: BigInt(answer.baseOffset),
          logAppendTimeMs: BigInt(answer.logAppendTimeMs),
          logStartOffset: BigInt(answer.logStartOffset),
          // kactor refuses a batch as a whole and names no record in it: Kafka's empty list of record errors.
          recordErrors: [],
          errorMessage: answer.errorMessage,
          currentLeader: noLeader,
        };
      }),
    }));
    return { responses, throttleTimeMs: body.throttleTimeMs, nodeEndpoints: [] };
  },
  errorResponse(error: WireError, request: ProduceRequest, version: number): ProduceResponse {
    // As Kafka's ProduceRequest.getErrorResponse: every partition asked for carries the error. With acks=0 Kafka has no
    // error response and closes the connection instead; an adapter cannot ask for that yet, so such a client is answered.
    const errorCode = storageErrorForVersion(error.code, version, FIRST_VERSION_WITH_STORAGE_ERROR);
    return {
      responses: request.topicData.map((topic) => ({ name: topic.name, partitionResponses: topic.partitionData.map((partition) => partitionAnswer(partition.index, errorCode, error.message)) })),
      throttleTimeMs: 0,
      nodeEndpoints: [],
    };
  },
};
