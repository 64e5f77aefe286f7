/**
 * Which brokers need the latest metadata image, and which admin requests can be answered because every
 * unfenced broker has it. Pure functions over the controller's bookkeeping.
 */
import type { RequestRef } from '@kactor/runtime';
import type { ControllerState } from './metadata-state.js';

/** Per broker with a live session: the image offset it acknowledged and the one being pushed now. */
export interface BrokerPropagation {
  brokerEpoch: number;
  ackedOffset: number;
  inFlightOffset: number | null;
  /** A push failed: the next heartbeat (which reports the broker's offset) retries, so a refusing peer is never spun on. */
  retryOnHeartbeat: boolean;
}

/** An admin request whose records are committed, waiting for the image to reach the brokers. */
export interface PropagationWaiter {
  id: number;
  ref: RequestRef;
  body: unknown;
  metadataOffset: number;
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
