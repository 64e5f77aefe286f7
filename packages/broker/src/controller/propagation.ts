/**
 * Which brokers need the latest metadata image, and which admin requests can be answered because every
 * unfenced broker has it. Pure functions over the controller's bookkeeping.
 */
import type { RequestRef } from '@kactor/runtime';
import type { ControllerState } from './metadata-state.js';
import type { ControllerApiRequest } from './not-controller.js';

/** Per broker with a live session: the image offset it acknowledged and the one being pushed now. */
export interface BrokerPropagation {
  brokerEpoch: number;
  ackedOffset: number;
  inFlightOffset: number | null;
  /** A push failed: the next heartbeat (which reports the broker's offset) retries, so a refusing peer is never spun on. */
  retryOnHeartbeat: boolean;
}

/**
 * A request whose records are written, waiting to be answered: in single mode (records committed once written) for
 * the image to reach the brokers; in quorum mode first for the high watermark to pass `metadataOffset`.
 */
export interface PropagationWaiter {
  id: number;
  ref: RequestRef;
  /** The request, to answer NOT_CONTROLLER in its shape if the controller renounces first. */
  request: ControllerApiRequest;
  /** The answer once the change is done. */
  body: unknown;
  /** The offset of the request's last record. */
  metadataOffset: number;
  /** Quorum mode: answered once committed, without waiting for the brokers (AlterPartition). */
  committedOnly?: boolean;
  /** Quorum mode: timeoutMs passed before the records were committed; answered as soon as they are. */
  deadlinePassed?: boolean;
}

export function propagationTargets(
  state: ControllerState,
  propagation: Readonly<Record<number, BrokerPropagation>>,
): Array<{ brokerId: number; url: string; brokerEpoch: number }> {
  const targets: Array<{ brokerId: number; url: string; brokerEpoch: number }> = [];
  for (const [id, entry] of Object.entries(propagation)) {
    const broker = state.brokers[Number(id)];
    if (broker === undefined || broker.brokerEpoch !== entry.brokerEpoch) continue;
    if (entry.inFlightOffset !== null || entry.retryOnHeartbeat || entry.ackedOffset >= state.metadataOffset) continue;
    targets.push({ brokerId: broker.brokerId, url: broker.url, brokerEpoch: broker.brokerEpoch });
  }
  return targets;
}

export function waitersReadyToAnswer(
  state: ControllerState,
  propagation: Readonly<Record<number, BrokerPropagation>>,
  waiters: readonly PropagationWaiter[],
): PropagationWaiter[] {
  const liveUnfenced = Object.values(state.brokers).filter((broker) => !broker.fenced && propagation[broker.brokerId] !== undefined);
  const lowestAcked = Math.min(...liveUnfenced.map((broker) => propagation[broker.brokerId]?.ackedOffset ?? -1));
  return waiters.filter((waiter) => liveUnfenced.length === 0 || lowestAcked >= waiter.metadataOffset);
}

/**
 * The lowest image offset applied by the brokers that are active (unfenced, with a session), or undefined when there
 * are none: what Kafka's BrokerHeartbeatManager calls the lowest active offset.
 */
export function lowestActiveOffset(state: ControllerState, propagation: Readonly<Record<number, BrokerPropagation>>): number | undefined {
  const active = Object.values(state.brokers).filter((broker) => !broker.fenced && propagation[broker.brokerId]?.brokerEpoch === broker.brokerEpoch);
  if (active.length === 0) return undefined;
  return Math.min(...active.map((broker) => propagation[broker.brokerId]?.ackedOffset ?? -1));
}
