/**
 * BrokerHeartbeat (Kafka api key 63, KIP-631): sent every broker.heartbeat.interval.ms. A broker that is
 * silent for broker.session.timeout.ms is fenced: its partitions lose their leader.
 */
import { z } from 'zod';
import { int16, int32, int64, nullableString } from './primitives.js';

export const brokerHeartbeatRequestV0 = z.strictObject({
  brokerId: int32,
  brokerEpoch: int64,
  /** The metadata offset the broker has applied; the controller re-sends the image when it is behind. */
  currentMetadataOffset: int64,
  wantFence: z.boolean(),
  wantShutDown: z.boolean(),
});

export const brokerHeartbeatResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  isCaughtUp: z.boolean(),
  isFenced: z.boolean(),
  shouldShutDown: z.boolean(),
});
