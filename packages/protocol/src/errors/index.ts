/**
 * Kafka's error table as data, and the error classes the public API throws.
 *
 * ```ts
 * wireError('NOT_LEADER_OR_FOLLOWER');          // { code: 6, name: 'NOT_LEADER_OR_FOLLOWER', retriable: true, message: '...' }
 * errorCodes.UNKNOWN_TOPIC_OR_PARTITION;        // 3
 * const error = KafkaProtocolError.from(body.errorCode, body.errorMessage ?? undefined);
 * if (error instanceof RetriableProtocolError) retryLater();
 * ```
 */
export { kafkaErrorTable } from './error-table.js';
export {
  errorByCode,
  errorByName,
  errorCodes,
  errorForCode,
  isErrorName,
  isRetriableCode,
  kafkaErrors,
  parseWireError,
  wireError,
  type ErrorName,
  type FailureErrorName,
  type KafkaErrorInfo,
  type WireError,
} from './errors.js';
export { isKafkaError, KafkaProtocolError, RetriableProtocolError } from './protocol-error.js';
