/**
 * BrokerRegistration (Kafka api key 62, KIP-631): a broker announces itself to the controller at start.
 * The controller answers with the broker's epoch; a new incarnation while the old one's session is still
 * alive gets DUPLICATE_BROKER_REGISTRATION, a broker formatted for another cluster INCONSISTENT_CLUSTER_ID.
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString, nullableString } from './primitives.js';

export const brokerRegistrationRequestV0 = z.strictObject({
  brokerId: int32,
  /** The cluster id stored in the broker's meta.properties, or null for a new data directory. */
  clusterId: nullableString,
  /** New at every process start, so the controller can tell a restart from a duplicate. */
  incarnationId: kafkaString,
  listeners: boundedArray(z.strictObject({ name: kafkaString, host: kafkaString, port: int32, url: kafkaString }), 16),
  rack: nullableString,
});

export const brokerRegistrationResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  /** The offset of the registration record in the metadata log, as in KRaft. */
  brokerEpoch: int64,
  clusterId: nullableString,
});
