export { TRANSACTION_STATUS_IDS, type TransactionLogPartitions, type TransactionLogRecord, type TransactionLogValue, type TransactionStatus } from './types.js';
export {
  decodeTransactionLogRecord,
  encodeTransactionLogKey,
  encodeTransactionLogValue,
  TransactionRecordEncodeError,
  TRANSACTION_LOG_KEY_VERSION,
  type DecodedTransactionRecord,
} from './codec.js';
