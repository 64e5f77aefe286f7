/** ListGroups (Kafka api key 16): the groups a broker coordinates; clients ask every broker. */
import { z } from 'zod';
import { boundedArray, int16, int32, kafkaString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const listGroupsRequestV0 = z.strictObject({
  /** Only groups in these states (Kafka's names); empty for all. */
  statesFilter: boundedArray(kafkaString, 8),
  /** Only groups of these types (Kafka's names: classic, consumer; ListGroups v5, KIP-848); empty for all. */
  typesFilter: boundedArray(kafkaString, 4),
});

export const listGroupsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  /** Every group of the broker (in the states asked for): as many as clients made, so bounded by maxListedEntries. */
  groups: boundedArray(
    z.strictObject({
      groupId: kafkaString,
      protocolType: kafkaString,
      groupState: kafkaString,
      /** classic or consumer (KIP-848). */
      groupType: kafkaString,
    }),
    wireLimits.maxListedEntries,
  ),
});
