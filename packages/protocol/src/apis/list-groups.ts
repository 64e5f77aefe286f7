/** ListGroups (Kafka api key 16): the groups a broker coordinates; clients ask every broker. */
import { z } from 'zod';
import { boundedArray, int16, int32, kafkaString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const listGroupsRequestV0 = z.strictObject({
  /** Only groups in these states (Kafka's names); empty for all. */
  statesFilter: boundedArray(kafkaString, 8),
});

export const listGroupsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  /** Every group of the broker (in the states asked for): as many as clients made, so bounded by maxListedEntries. */
  groups: boundedArray(z.strictObject({ groupId: kafkaString, protocolType: kafkaString, groupState: kafkaString }), wireLimits.maxListedEntries),
});
