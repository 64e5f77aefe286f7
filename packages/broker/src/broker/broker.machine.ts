/**
 * A broker's lifecycle (Kafka's BrokerLifecycleManager, with Kafka's BrokerState names), in two parallel
 * regions: `lifecycle` (register, catch up with metadata, wait to be unfenced, run, shut down in a
 * controlled way) and `heartbeat` (one BrokerHeartbeat every broker.heartbeat.interval.ms while registered).
 *
 * Metadata images pushed by the controller are applied in any state: the broker starts, updates and stops
 * its partition actors to match them (see partition-host.ts). Requests from clients are routed by the node
 * (request-router.ts) using the image this actor holds.
 */
import type { ErrorName, MetadataImage, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, errorForCode } from '@kactor/protocol';
import type { Clock, Logger, PeerRequester, RequestRef, Responder, RpcResult } from '@kactor/runtime';
import { assign, emit, enqueueActions, raise, setup, type Actor } from 'xstate';
import { imageProblem } from './image-check.js';

export interface BrokerConfig {
  /** broker.heartbeat.interval.ms */
  brokerHeartbeatIntervalMs: number;
  /** broker.session.timeout.ms: also bounds how long a controlled shutdown waits for the controller. */
  brokerSessionTimeoutMs: number;
  /** retry.backoff.ms: first wait before retrying a failed registration. */
  retryBackoffMs: number;
  /** retry.backoff.max.ms: longest wait between registration attempts. */
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

export interface BrokerInput {
  brokerId: number;
  /** New at every process start (KIP-631), so the controller can tell a restart from a duplicate. */
  incarnationId: string;
  /** From meta.properties; null for a new data directory. */
  clusterId: string | null;
  listener: { name: string; host: string; port: number; url: string };
  rack: string | null;
  controllerUrl: string;
  config: BrokerConfig;
  ports: BrokerPorts;
}

export interface BrokerContext extends BrokerInput {
  brokerEpoch: number;
  image: MetadataImage | null;
  registrationAttempts: number;
  wantShutDown: boolean;
  fatalError: string | null;
}

export type BrokerEvent =
  | { type: 'registration.succeeded'; brokerEpoch: number; clusterId: string }
  | { type: 'registration.failed'; errorName: ErrorName; message: string }
  | { type: 'heartbeat.succeeded'; isCaughtUp: boolean; isFenced: boolean; shouldShutDown: boolean }
  | { type: 'heartbeat.failed'; errorName: ErrorName; message: string }
  | { type: 'heartbeat.sendNow' }
  | { type: 'heartbeat.stop' }
  | { type: 'request.updateMetadata'; ref: RequestRef; body: RequestBody<'updateMetadata'> }
  | { type: 'broker.shutdown' };

/** Registration errors no retry can fix: the process must stop and say why. */
/** CLUSTER_AUTHORIZATION_FAILED: this node does not hold the controller's cluster secret; retrying cannot help. */
const fatalRegistrationErrors: ReadonlySet<ErrorName> = new Set(['INCONSISTENT_CLUSTER_ID', 'INVALID_REQUEST', 'UNSUPPORTED_VERSION', 'CLUSTER_AUTHORIZATION_FAILED']);

function rpcOutcome<A extends 'brokerRegistration' | 'brokerHeartbeat'>(result: RpcResult<A>) {
  if (!result.ok) return { ok: false as const, errorName: result.error.name as ErrorName, message: result.error.message };
  if (result.body.errorCode !== 0) {
    return { ok: false as const, errorName: errorForCode(result.body.errorCode).name, message: result.body.errorMessage ?? '' };
  }
  return { ok: true as const, body: result.body as ResponseBody<A> };
}

export const brokerMachine = setup({
  types: {
    context: {} as BrokerContext,
    events: {} as BrokerEvent,
    input: {} as BrokerInput,
    emitted: {} as BrokerEmitted,
  },
  actions: {
    sendRegistration: ({ context, self }) => {
      context.ports.peers.request(
        context.controllerUrl,
        'brokerRegistration',
        { brokerId: context.brokerId, clusterId: context.clusterId, incarnationId: context.incarnationId, listeners: [context.listener], rack: context.rack },
        (result) => {
          const outcome = rpcOutcome(result);
          self.send(
            outcome.ok
              ? { type: 'registration.succeeded', brokerEpoch: outcome.body.brokerEpoch, clusterId: outcome.body.clusterId ?? '' }
              : { type: 'registration.failed', errorName: outcome.errorName, message: outcome.message },
          );
        },
      );
    },
    recordRegistration: assign(({ context, event }) => {
      if (event.type !== 'registration.succeeded') return {};
      if (context.clusterId === null) context.ports.saveClusterId(event.clusterId);
      context.ports.logger.info({ brokerEpoch: event.brokerEpoch, clusterId: event.clusterId }, 'registered with the controller');
      return { brokerEpoch: event.brokerEpoch, clusterId: event.clusterId, registrationAttempts: 0 };
    }),
    countFailedRegistration: assign(({ context, event }) => {
      if (event.type === 'registration.failed') {
        // The controller is often still starting when its brokers first try: say so quietly, louder if it lasts.
        const attempt = context.registrationAttempts + 1;
        const level = attempt < 10 ? 'debug' : 'warn';
        context.ports.logger[level]({ errorName: event.errorName, attempt }, `registration failed: ${event.message}`);
      }
      return { registrationAttempts: context.registrationAttempts + 1 };
    }),
    recordFatalError: assign(({ context, event }) => {
      const message = event.type === 'registration.failed' ? `${event.errorName}: ${event.message}` : 'fatal error';
      context.ports.logger.error(message);
      return { fatalError: message };
    }),
    forgetRegistration: assign(({ context }) => {
      context.ports.logger.warn({ brokerEpoch: context.brokerEpoch }, 'the controller no longer knows this registration: registering again');
      return { brokerEpoch: -1 };
    }),
    sendHeartbeat: ({ context, self }) => {
      context.ports.peers.request(
        context.controllerUrl,
        'brokerHeartbeat',
        {
          brokerId: context.brokerId,
          brokerEpoch: context.brokerEpoch,
          currentMetadataOffset: context.image?.metadataOffset ?? -1,
          wantFence: false,
          wantShutDown: context.wantShutDown,
        },
        (result) => {
          const outcome = rpcOutcome(result);
          self.send(
            outcome.ok
              ? { type: 'heartbeat.succeeded', isCaughtUp: outcome.body.isCaughtUp, isFenced: outcome.body.isFenced, shouldShutDown: outcome.body.shouldShutDown }
              : { type: 'heartbeat.failed', errorName: outcome.errorName, message: outcome.message },
          );
        },
      );
    },
    requestShutDown: assign({ wantShutDown: true }),
    sendHeartbeatNow: raise({ type: 'heartbeat.sendNow' }),
    sendHeartbeatSoon: raise({ type: 'heartbeat.sendNow' }, { delay: 'controlledShutdownFirstRetry' }),
    stopHeartbeats: raise({ type: 'heartbeat.stop' }),
    stopPartitions: emit({ type: 'partitions.stop' }),
    applyMetadataImage: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.updateMetadata') return;
      const current = context.image?.metadataOffset ?? -1;
      if (event.body.image.metadataOffset > current) {
        enqueue.assign({ image: event.body.image });
        enqueue.emit({ type: 'partitions.applyImage', image: event.body.image });
      }
      const body: ResponseBody<'updateMetadata'> = { errorCode: 0, errorMessage: null };
      enqueue(() => context.ports.responder.respond(event.ref as RequestRef & { api: 'updateMetadata' }, body));
    }),
    refuseInconsistentImage: ({ context, event }) => {
      if (event.type !== 'request.updateMetadata') return;
      const reason = imageProblem(event.body) ?? 'it is inconsistent';
      context.ports.logger.warn({ controllerId: event.body.controllerId }, `refused a metadata image: ${reason}`);
      const body: ResponseBody<'updateMetadata'> = { errorCode: errorByName('INVALID_REQUEST').code, errorMessage: `metadata image refused: ${reason}` };
      context.ports.responder.respond(event.ref as RequestRef & { api: 'updateMetadata' }, body);
    },
    refuseStaleImage: ({ context, event }) => {
      if (event.type !== 'request.updateMetadata') return;
      // The broker's own epoch is not echoed: error texts must reveal no internal state.
      const body: ResponseBody<'updateMetadata'> = {
        errorCode: errorByName('STALE_BROKER_EPOCH').code,
        errorMessage: `the image is for broker epoch ${event.body.brokerEpoch}, not this broker's current registration`,
      };
      context.ports.responder.respond(event.ref as RequestRef & { api: 'updateMetadata' }, body);
    },
  },
  guards: {
    isFatalRegistrationError: ({ event }) => event.type === 'registration.failed' && fatalRegistrationErrors.has(event.errorName),
    isCaughtUp: ({ context }) => context.brokerEpoch >= 0 && (context.image?.metadataOffset ?? -1) >= context.brokerEpoch,
    isUnfenced: ({ event }) => event.type === 'heartbeat.succeeded' && !event.isFenced,
    isFenced: ({ event }) => event.type === 'heartbeat.succeeded' && event.isFenced,
    mayShutDown: ({ event }) => event.type === 'heartbeat.succeeded' && event.shouldShutDown,
    registrationIsStale: ({ event }) => event.type === 'heartbeat.failed' && event.errorName === 'STALE_BROKER_EPOCH',
    /**
     * Images for this registration are applied; so are images that arrive while the registration answer is
     * still on its way (the push and the answer travel on different connections). Images for an earlier
     * incarnation are refused so that the controller does not count them as delivered.
     */
    isInconsistentImage: ({ event }) => event.type === 'request.updateMetadata' && imageProblem(event.body) !== undefined,
    isImageForThisRegistration: ({ context, event }) =>
      event.type === 'request.updateMetadata' && (event.body.brokerEpoch === context.brokerEpoch || context.brokerEpoch === -1),
  },
  delays: {
    brokerHeartbeatInterval: ({ context }) => context.config.brokerHeartbeatIntervalMs,
    registrationRetryBackoff: ({ context }) =>
      Math.min(context.config.retryBackoffMs * 2 ** Math.min(context.registrationAttempts - 1, 20), context.config.retryBackoffMaxMs),
    controlledShutdownTimeout: ({ context }) => context.config.brokerSessionTimeoutMs,
    /** Kafka's BrokerLifecycleManager: the heartbeat after the first controlled-shutdown answer goes after 50 ms. */
    controlledShutdownFirstRetry: 50,
  },
}).createMachine({
  id: 'broker',
  context: ({ input }) => ({ ...input, brokerEpoch: -1, image: null, registrationAttempts: 0, wantShutDown: false, fatalError: null }),
  type: 'parallel',
  on: {
    'request.updateMetadata': [
      { guard: 'isInconsistentImage', actions: 'refuseInconsistentImage' },
      { guard: 'isImageForThisRegistration', actions: 'applyMetadataImage' },
      { actions: 'refuseStaleImage' },
    ],
  },
  states: {
    lifecycle: {
      initial: 'STARTING',
      states: {
        STARTING: {
          description: 'Registering with the controller (retrying with backoff), then catching up with the metadata up to its own registration.',
          initial: 'registering',
          states: {
            registering: {
              entry: 'sendRegistration',
              on: {
                'registration.succeeded': { target: 'catchingUp', actions: 'recordRegistration' },
                'registration.failed': [
                  { guard: 'isFatalRegistrationError', target: '#broker.lifecycle.NOT_RUNNING', actions: 'recordFatalError' },
                  { target: 'backingOff', actions: 'countFailedRegistration' },
                ],
              },
            },
            backingOff: {
              description: 'Waits retry.backoff.ms, doubling up to retry.backoff.max.ms, before registering again.',
              after: { registrationRetryBackoff: 'registering' },
            },
            catchingUp: {
              description: 'Registered (fenced); waits for a metadata image that includes its own registration.',
              always: { guard: 'isCaughtUp', target: '#broker.lifecycle.RECOVERY' },
            },
          },
          on: { 'broker.shutdown': { target: 'SHUTTING_DOWN' } },
        },
        RECOVERY: {
          description: 'Caught up with the metadata but still fenced: heartbeats until the controller unfences it.',
          on: {
            'heartbeat.succeeded': { guard: 'isUnfenced', target: 'RUNNING' },
            'heartbeat.failed': { guard: 'registrationIsStale', target: 'STARTING', actions: 'forgetRegistration' },
            'broker.shutdown': { target: 'SHUTTING_DOWN' },
          },
        },
        RUNNING: {
          description: 'Unfenced: may lead partitions and serves produce and fetch for those it leads.',
          on: {
            'heartbeat.succeeded': { guard: 'isFenced', target: 'RECOVERY' },
            'heartbeat.failed': { guard: 'registrationIsStale', target: 'STARTING', actions: 'forgetRegistration' },
            'broker.shutdown': { target: 'PENDING_CONTROLLED_SHUTDOWN' },
          },
        },
        PENDING_CONTROLLED_SHUTDOWN: {
          description:
            'Asks the controller (wantShutDown) to move leadership away; keeps following as the other brokers learn the new leaders, ' +
            'and shuts down once the controller says it may (it leads nothing and every active broker has the new image), ' +
            'or after broker.session.timeout.ms if the controller does not answer.',
          entry: ['requestShutDown', 'sendHeartbeatNow'],
          after: { controlledShutdownTimeout: 'SHUTTING_DOWN' },
          initial: 'awaitingFirstAnswer',
          states: {
            awaitingFirstAnswer: {
              description: 'The first heartbeat asking to shut down is in flight.',
              on: {
                'heartbeat.succeeded': [
                  { guard: 'mayShutDown', target: '#broker.lifecycle.SHUTTING_DOWN' },
                  // Kafka's BrokerLifecycleManager asks again 50 ms after the first answer: leadership usually moves at once.
                  { target: 'awaitingController', actions: 'sendHeartbeatSoon' },
                ],
              },
            },
            awaitingController: {
              description: 'Leadership is moving away: heartbeats every broker.heartbeat.interval.ms until the controller says it may stop.',
              on: { 'heartbeat.succeeded': { guard: 'mayShutDown', target: '#broker.lifecycle.SHUTTING_DOWN' } },
            },
          },
        },
        SHUTTING_DOWN: {
          description: 'Stops heartbeats and partition actors and closes their logs.',
          entry: ['stopHeartbeats', 'stopPartitions'],
          always: 'NOT_RUNNING',
        },
        NOT_RUNNING: {
          description: 'Stopped (after a shutdown, or because registration failed for good: see fatalError).',
          type: 'final',
          entry: 'stopHeartbeats',
        },
      },
    },
    heartbeat: {
      initial: 'Idle',
      states: {
        Idle: {
          description: 'Not registered: no heartbeats.',
          on: { 'registration.succeeded': 'Waiting' },
        },
        Waiting: {
          description: 'Registered: waits broker.heartbeat.interval.ms before the next heartbeat.',
          after: { brokerHeartbeatInterval: 'Sending' },
          on: { 'heartbeat.sendNow': 'Sending' },
        },
        Sending: {
          description: 'A heartbeat is in flight (bounded by request.timeout.ms in the RPC layer).',
          entry: 'sendHeartbeat',
          on: {
            'heartbeat.succeeded': 'Waiting',
            'heartbeat.failed': [{ guard: 'registrationIsStale', target: 'Idle' }, { target: 'Waiting' }],
          },
        },
        Stopped: { type: 'final', description: 'The broker is shutting down.' },
      },
      on: { 'heartbeat.stop': '.Stopped' },
    },
  },
});

/** Connects a broker actor's emitted partition work to the node's partition host. Call it before starting the actor. */
export function connectPartitionHost(actor: Actor<typeof brokerMachine>, host: PartitionHostPort): void {
  actor.on('partitions.applyImage', ({ image }) => host.applyImage(image));
  actor.on('partitions.stop', () => host.stopAll());
}
