/**
 * The broker actor's two requests to the active controller, BrokerRegistration and BrokerHeartbeat (KIP-631), and
 * how their answers come back as events. The controller's URL is looked up at every send: in KRaft mode the active
 * controller is whichever voter leads the metadata quorum, so a retry goes to the leader known at that moment
 * (Kafka's NodeToControllerChannelManager re-sends to the new controller after NOT_CONTROLLER or a disconnect).
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorForCode } from '@kactor/protocol';
import type { RpcResult } from '@kactor/runtime';
import { KAFKA_LISTENER_NAME } from '../kafka-listener/listener-endpoints.js';
import type { BrokerContext, BrokerEvent, ControllerLocator } from './broker-types.js';

/** The message of the NOT_CONTROLLER a broker gives itself while no controller is known (Kafka's wording). */
export const NO_CONTROLLER_MESSAGE = 'No controller appears to be active';

/** The active controller's URL now, or undefined while none is known. */
export function currentControllerUrl(locator: ControllerLocator): string | undefined {
  return typeof locator === 'string' ? locator : locator();
}

type Outcome<A extends 'brokerRegistration' | 'brokerHeartbeat'> =
  | { ok: true; body: ResponseBody<A> }
  | { ok: false; errorName: ErrorName; message: string; reachedController: boolean };

function rpcOutcome<A extends 'brokerRegistration' | 'brokerHeartbeat'>(result: RpcResult<A>): Outcome<A> {
  if (!result.ok) return { ok: false, errorName: result.error.name as ErrorName, message: result.error.message, reachedController: false };
  if (result.body.errorCode !== 0) {
    return { ok: false, errorName: errorForCode(result.body.errorCode).name, message: result.body.errorMessage ?? '', reachedController: true };
  }
  return { ok: true, body: result.body as ResponseBody<A> };
}

/** Sends BrokerRegistration to the active controller; the answer comes back as `registration.succeeded` or `.failed`. */
export function sendRegistration(context: BrokerContext, deliver: (event: BrokerEvent) => void): void {
  const url = currentControllerUrl(context.controllerUrl);
  if (url === undefined) {
    deliver({ type: 'registration.failed', errorName: 'NOT_CONTROLLER', message: NO_CONTROLLER_MESSAGE });
    return;
  }
  const body = { brokerId: context.brokerId, clusterId: context.clusterId, incarnationId: context.incarnationId, listeners: registeredListeners(context), rack: context.rack };
  context.ports.peers.request(url, 'brokerRegistration', body, (result) => {
    const outcome = rpcOutcome(result);
    deliver(
      outcome.ok
        ? { type: 'registration.succeeded', brokerEpoch: outcome.body.brokerEpoch, clusterId: outcome.body.clusterId ?? '' }
        : { type: 'registration.failed', errorName: outcome.errorName, message: outcome.message },
    );
  });
}

/** Sends BrokerHeartbeat to the active controller; the answer comes back as `heartbeat.succeeded` or `.failed`. */
export function sendHeartbeat(context: BrokerContext, deliver: (event: BrokerEvent) => void): void {
  const url = currentControllerUrl(context.controllerUrl);
  if (url === undefined) {
    deliver({ type: 'heartbeat.failed', errorName: 'NOT_CONTROLLER', message: NO_CONTROLLER_MESSAGE, reachedController: false });
    return;
  }
  const body = {
    brokerId: context.brokerId,
    brokerEpoch: context.brokerEpoch,
    currentMetadataOffset: context.image?.metadataOffset ?? -1,
    wantFence: false,
    wantShutDown: context.wantShutDown,
  };
  context.ports.peers.request(url, 'brokerHeartbeat', body, (result) => {
    const outcome = rpcOutcome(result);
    deliver(
      outcome.ok
        ? { type: 'heartbeat.succeeded', isCaughtUp: outcome.body.isCaughtUp, isFenced: outcome.body.isFenced, shouldShutDown: outcome.body.shouldShutDown }
        : { type: 'heartbeat.failed', errorName: outcome.errorName, message: outcome.message, reachedController: outcome.reachedController },
    );
  });
}

/** Retry wait after `attempts` failures in a row: retry.backoff.ms doubling up to retry.backoff.max.ms (Kafka's ExponentialBackoff, without jitter). */
export function retryBackoffMs(config: { retryBackoffMs: number; retryBackoffMaxMs: number }, attempts: number): number {
  return Math.min(config.retryBackoffMs * 2 ** Math.min(Math.max(attempts - 1, 0), 20), config.retryBackoffMaxMs);
}

/** Kactor's own endpoint first (the controller reaches the broker there), then the Kafka listener under Kafka's name. */
function registeredListeners(context: BrokerContext): RequestBody<'brokerRegistration'>['listeners'] {
  const { kafkaListener } = context;
  if (kafkaListener === undefined) return [context.listener];
  // A Kafka listener has no kactor URL: kactor's nodes never connect to it.
  return [context.listener, { name: KAFKA_LISTENER_NAME, host: kafkaListener.host, port: kafkaListener.port, url: '' }];
}
