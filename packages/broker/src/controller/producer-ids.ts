/**
 * The controller's producer id blocks (KIP-730, Kafka's ProducerIdControlManager): a broker asks for a block of
 * PRODUCER_ID_BLOCK_SIZE ids with AllocateProducerIds and hands them out to idempotent and transactional producers.
 * The block is the range [nextProducerId, nextProducerId + size) of the state; the ProducerIdsRecord that moves
 * `nextProducerId` past it is committed before the broker gets its answer, so a controller that takes over (or
 * restarts) and replays the log continues after every block ever answered. Pure: the caller appends the record.
 */
import type { ErrorName, RequestBody } from '@kactor/protocol';
import type { ProducerIdsRecord } from './metadata-records.js';
import type { ControllerState } from './metadata-state.js';

/** Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE: how many ids one AllocateProducerIds answer holds. */
export const PRODUCER_ID_BLOCK_SIZE = 1000;

/**
 * The last producer id a block may reach. Kafka stops at Long.MAX_VALUE; kactor's int64 fields carry JavaScript's safe
 * integers, so ids stop there (2^53 - 1: at a block per millisecond, 285,000 years).
 */
export const MAX_PRODUCER_ID = Number.MAX_SAFE_INTEGER;

export type AllocateProducerIdsOutcome =
  | { ok: true; record: ProducerIdsRecord; producerIdStart: number; producerIdLen: number }
  | { ok: false; errorName: ErrorName; errorMessage: string };

/**
 * The next block for the broker that asks. Kafka's checkBrokerEpoch: a broker not registered, or asking with another
 * epoch than its registration's (an earlier incarnation), gets STALE_BROKER_EPOCH; kactor also refuses a fenced broker
 * the same way, since it may not serve producers until it is unfenced (and a fenced zombie would only burn blocks).
 */
export function allocateProducerIds(state: ControllerState, body: RequestBody<'allocateProducerIds'>): AllocateProducerIdsOutcome {
  const registration = state.brokers[body.brokerId];
  if (registration === undefined) return { ok: false, errorName: 'STALE_BROKER_EPOCH', errorMessage: `No broker registration found for broker id ${body.brokerId}` };
  // The registered epoch is not echoed (as for heartbeats): an error text must not help anyone guess it.
  if (registration.brokerEpoch !== body.brokerEpoch) return { ok: false, errorName: 'STALE_BROKER_EPOCH', errorMessage: `broker ${body.brokerId} epoch ${body.brokerEpoch} is not the registered one` };
  if (registration.fenced) return { ok: false, errorName: 'STALE_BROKER_EPOCH', errorMessage: `Broker ${body.brokerId} is fenced: it gets producer ids once it is unfenced` };
  const producerIdStart = state.producerIds?.nextProducerId ?? 0;
  // Kafka refuses once the ids run out; with safe integers that is beyond any cluster's life, so it is a bug if reached.
  if (producerIdStart > MAX_PRODUCER_ID - PRODUCER_ID_BLOCK_SIZE) throw new Error(`producer ids exhausted: the next block would start at ${producerIdStart}`);
  return {
    ok: true,
    record: { type: 'ProducerIds', brokerId: body.brokerId, brokerEpoch: body.brokerEpoch, nextProducerId: producerIdStart + PRODUCER_ID_BLOCK_SIZE },
    producerIdStart,
    producerIdLen: PRODUCER_ID_BLOCK_SIZE,
  };
}
