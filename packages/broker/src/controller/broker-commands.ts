/**
 * Broker registration, heartbeats and session expiry (KIP-631) as pure functions over the controller state.
 * Sessions (when each broker was last heard from) are runtime state, not records: like Kafka's
 * BrokerHeartbeatManager they live only in the active controller's memory.
 */
import type { ErrorName, RequestBody } from '@kactor/protocol';
import { quotedName } from '@kactor/protocol';
import { changesWhenBrokerJoins, changesWhenBrokerLeaves, cleanOnly, partitionsLedBy, type UncleanElectionPolicy } from './elections.js';
import { KAFKA_LISTENER_NAME } from '../kafka-listener/listener-endpoints.js';
import type { MetadataRecord } from './metadata-records.js';
import type { BrokerRegistration, ControllerState } from './metadata-state.js';

export interface BrokerSession {
  incarnationId: string;
  /** Clock time after which the broker is fenced unless it heartbeats. */
  expiresAtMs: number;
  /**
   * In controlled shutdown: the metadata offset of the records that moved its leadership away. It may stop once every
   * active broker has applied the image up to here (Kafka's BrokerHeartbeatManager controlledShutdownOffset).
   */
  controlledShutdownOffset?: number;
}

export type RegistrationOutcome =
  | { ok: true; records: MetadataRecord[] }
  | { ok: false; errorName: ErrorName; errorMessage: string };

function withStatus(state: ControllerState, brokerId: number, status: Partial<Pick<BrokerRegistration, 'fenced' | 'inControlledShutdown'>>) {
  const broker = state.brokers[brokerId];
  return broker === undefined ? state.brokers : { ...state.brokers, [brokerId]: { ...broker, ...status } };
}

function fenceRecords(state: ControllerState, broker: BrokerRegistration, uncleanElection: UncleanElectionPolicy): MetadataRecord[] {
  return [
    { type: 'FenceBroker', brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch },
    ...changesWhenBrokerLeaves(state, broker.brokerId, withStatus(state, broker.brokerId, { fenced: true }), uncleanElection),
  ];
}

/**
 * A registration is accepted unless the broker belongs to another cluster or an earlier incarnation of the
 * same broker id still has a live session (a hard-killed broker restarting quickly waits out its old
 * session, as in Kafka). Re-registering the same incarnation is idempotent. A new incarnation replaces the
 * old registration: the old one is fenced first, so its partitions lose their leader until the new
 * incarnation catches up and is unfenced.
 */
export function registerBroker(
  state: ControllerState,
  sessions: Readonly<Record<number, BrokerSession>>,
  request: RequestBody<'brokerRegistration'>,
  nowMs: number,
  uncleanElection: UncleanElectionPolicy = cleanOnly,
): RegistrationOutcome {
  if (request.clusterId !== null && request.clusterId !== state.clusterId) {
    return {
      ok: false,
      errorName: 'INCONSISTENT_CLUSTER_ID',
      errorMessage: `broker ${request.brokerId} belongs to cluster ${quotedName(request.clusterId)}, this controller runs cluster ${state.clusterId}`,
    };
  }
  const listener = request.listeners[0];
  if (listener === undefined) return { ok: false, errorName: 'INVALID_REQUEST', errorMessage: 'a broker must register at least one listener' };
  const existing = state.brokers[request.brokerId];
  if (existing !== undefined && existing.incarnationId === request.incarnationId) return { ok: true, records: [] };
  const session = sessions[request.brokerId];
  if (session !== undefined && session.incarnationId !== request.incarnationId && session.expiresAtMs > nowMs) {
    return {
      ok: false,
      errorName: 'DUPLICATE_BROKER_REGISTRATION',
      errorMessage: `broker ${request.brokerId} is still registered by another process; its session ends in ${session.expiresAtMs - nowMs} ms`,
    };
  }
  const records: MetadataRecord[] = existing !== undefined && !existing.fenced ? fenceRecords(state, existing, uncleanElection) : [];
  records.push({
    type: 'RegisterBroker',
    brokerId: request.brokerId,
    incarnationId: request.incarnationId,
    host: listener.host,
    port: listener.port,
    url: listener.url,
    rack: request.rack,
    ...kafkaListenerOf(request.listeners),
  });
  return { ok: true, records };
}

export type HeartbeatOutcome =
  | { ok: true; records: MetadataRecord[]; isCaughtUp: boolean }
  | { ok: false; errorName: ErrorName; errorMessage: string };

/**
 * A heartbeat from the registered incarnation refreshes its session (done by the caller) and may change its
 * status: a fenced broker that has caught up with the metadata up to its own registration is unfenced and
 * takes back leaderless partitions; a broker that wants to shut down stops leading (controlled shutdown).
 */
export function brokerHeartbeat(
  state: ControllerState,
  request: RequestBody<'brokerHeartbeat'>,
  uncleanElection: UncleanElectionPolicy = cleanOnly,
  /** In controlled shutdown, every active broker has applied the image that moved this one's leadership away. */
  shutdownCaughtUp = false,
): HeartbeatOutcome {
  const broker = state.brokers[request.brokerId];
  if (broker === undefined || broker.brokerEpoch !== request.brokerEpoch) {
    return {
      ok: false,
      errorName: 'STALE_BROKER_EPOCH',
      // The registered epoch is not echoed: an error text must not help anyone guess it.
      errorMessage: `broker ${request.brokerId} epoch ${request.brokerEpoch} is not the registered one`,
    };
  }
  const isCaughtUp = request.currentMetadataOffset >= broker.brokerEpoch;
  const records: MetadataRecord[] = [];
  if (request.wantShutDown) {
    // Controlled shutdown (Kafka's CONTROLLED_SHUTDOWN -> SHUTDOWN_NOW): the first heartbeat moves leadership away and
    // takes the broker out of every ISR; it keeps following and receiving images. Once it leads nothing and every
    // active broker (itself included) has applied those changes, it is fenced and its session ends, so no one still
    // sends it produces as the leader, it stopped as a follower, and its next incarnation can register at once.
    if (!broker.fenced) {
      if (!broker.inControlledShutdown) {
        records.push(
          { type: 'BrokerRegistrationChange', brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch, inControlledShutdown: true },
          ...changesWhenBrokerLeaves(state, broker.brokerId, withStatus(state, broker.brokerId, { inControlledShutdown: true }), uncleanElection),
        );
      } else if (shutdownCaughtUp && partitionsLedBy(state, broker.brokerId) === 0) {
        records.push({ type: 'FenceBroker', brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch });
      }
    }
  } else if (request.wantFence) {
    if (!broker.fenced) records.push(...fenceRecords(state, broker, uncleanElection));
  } else if (broker.fenced && isCaughtUp) {
    records.push(
      { type: 'UnfenceBroker', brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch },
      ...changesWhenBrokerJoins(state, withStatus(state, broker.brokerId, { fenced: false, inControlledShutdown: false }), uncleanElection),
    );
  }
  return { ok: true, records, isCaughtUp };
}

/**
 * What the heartbeat response reports, read from the state after the heartbeat's records were replayed. A broker that
 * wants to shut down may once it is fenced: by the controlled shutdown's last step, or earlier by its session expiring.
 */
export function heartbeatStatus(state: ControllerState, brokerId: number, wantShutDown: boolean) {
  const broker = state.brokers[brokerId];
  const isFenced = broker === undefined || broker.fenced;
  return { isFenced, shouldShutDown: wantShutDown && isFenced };
}

/** The broker was silent for `broker.session.timeout.ms`: fence it and move its leadership. */
export function sessionExpired(state: ControllerState, brokerId: number, uncleanElection: UncleanElectionPolicy = cleanOnly): MetadataRecord[] {
  const broker = state.brokers[brokerId];
  if (broker === undefined || broker.fenced) return [];
  return fenceRecords(state, broker, uncleanElection);
}

/**
 * The first listener is the node's kactor endpoint; a further one under Kafka's listener name is where it serves
 * Kafka's own clients (issue 16), as Kafka's BrokerRegistration lists every listener of a broker.
 */
function kafkaListenerOf(listeners: RequestBody<'brokerRegistration'>['listeners']): { kafkaListener?: { host: string; port: number } } {
  const kafka = listeners.slice(1).find((listener) => listener.name === KAFKA_LISTENER_NAME);
  return kafka === undefined ? {} : { kafkaListener: { host: kafka.host, port: kafka.port } };
}
