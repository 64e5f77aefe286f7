/**
 * ListTransactions (Kafka api key 66, KIP-664): the transactional ids a broker's transaction coordinator holds, what
 * `kafka-transactions.sh list` prints, asked of every broker. Empty filters list every id; otherwise an id is listed
 * when its state is one of `stateFilters` and its producer id one of `producerIdFilters`. Filters naming no known
 * state come back in `unknownStateFilters`.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString } from './primitives.js';
import { transactionState } from './transaction-fields.js';
import { wireLimits } from './wire-limits.js';

export const listTransactionsRequestV0 = z.strictObject({
  stateFilters: boundedArray(kafkaString, wireLimits.maxListFilters),
  producerIdFilters: boundedArray(int64, wireLimits.maxListFilters),
});

export const listTransactionsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  unknownStateFilters: boundedArray(kafkaString, wireLimits.maxListFilters),
  transactionStates: boundedArray(
    z.strictObject({ transactionalId: kafkaString, producerId: int64, transactionState }),
    // Every transactional id a broker's coordinator holds, like ListGroups' groups.
    wireLimits.maxListedEntries,
  ),
});
