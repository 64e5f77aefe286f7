/** The broker actor's input, ports, context, events and emits (see broker.machine.ts). */
import type { ErrorName, MetadataImage, RequestBody } from '@kactor/protocol';
import type { Clock, Logger, PeerRequester, RequestRef, Responder } from '@kactor/runtime';

export interface BrokerConfig {
  /** broker.heartbeat.interval.ms */
  brokerHeartbeatIntervalMs: number;
  /** broker.session.timeout.ms: also bounds how long a controlled shutdown waits for the controller. */
  brokerSessionTimeoutMs: number;
  /** retry.backoff.ms: first wait before retrying a failed registration, or a heartbeat the controller did not take. */
  retryBackoffMs: number;
  /** retry.backoff.max.ms: longest wait between registration (or heartbeat) attempts. */
  retryBackoffMaxMs: number;
}

/** What the broker actor asks of the node that hosts it, through the events it emits (connectPartitionHost). */
export interface PartitionHostPort {
  /** Starts, updates and stops partition actors to match the image. */
  applyImage(image: MetadataImage): void;
  /** Stops every partition actor and closes their logs. */
  stopAll(): void;
}

/**
 * Emitted for the node that hosts the partitions. An emitted event reaches its listener once the broker's
 * step is done, so partition and group actors never run inside one of the broker's actions.
 */
export type BrokerEmitted = { type: 'partitions.applyImage'; image: MetadataImage } | { type: 'partitions.stop' };

export interface BrokerPorts {
  clock: Clock;
  logger: Logger;
  peers: PeerRequester;
  responder: Responder;
  /** Persists the cluster id learned at the first registration into meta.properties. */
  saveClusterId(clusterId: string): void;
}

/**
 * Where the active controller is. A fixed URL (one controller, today's cluster); or, in KRaft mode, a function
 * asked at every registration and heartbeat, answering the Raft leader's URL or undefined while no leader is
 * known (Kafka's RaftControllerNodeProvider).
 */
export type ControllerLocator = string | (() => string | undefined);

export interface BrokerInput {
  brokerId: number;
  /** New at every process start (KIP-631), so the controller can tell a restart from a duplicate. */
  incarnationId: string;
  /** From meta.properties; null for a new data directory. */
  clusterId: string | null;
  listener: { name: string; host: string; port: number; url: string };
  /** Where the node serves Kafka's own clients (its advertised PLAINTEXT listener, issue 16), registered after `listener`. */
  kafkaListener?: { host: string; port: number } | undefined;
  rack: string | null;
  controllerUrl: ControllerLocator;
  config: BrokerConfig;
  ports: BrokerPorts;
}

export interface BrokerContext extends BrokerInput {
  brokerEpoch: number;
  image: MetadataImage | null;
  registrationAttempts: number;
  /** Heartbeats in a row that the controller did not take (NOT_CONTROLLER, no answer); 0 after one it answered. */
  heartbeatFailures: number;
  wantShutDown: boolean;
  fatalError: string | null;
}

export type BrokerEvent =
  | { type: 'registration.succeeded'; brokerEpoch: number; clusterId: string }
  | { type: 'registration.failed'; errorName: ErrorName; message: string }
  | { type: 'heartbeat.succeeded'; isCaughtUp: boolean; isFenced: boolean; shouldShutDown: boolean }
  /** `reachedController` is false when the request got no answer (transport failure, timeout) or none was sent. */
  | { type: 'heartbeat.failed'; errorName: ErrorName; message: string; reachedController: boolean }
  | { type: 'heartbeat.sendNow' }
  | { type: 'heartbeat.stop' }
  | { type: 'request.updateMetadata'; ref: RequestRef; body: RequestBody<'updateMetadata'> }
  /** KRaft mode: the node's MetadataPublisher built a newer image from the committed metadata log (nothing to answer). */
  | { type: 'metadata.published'; image: MetadataImage }
  | { type: 'broker.shutdown' };
