/**
 * A broker's lifecycle (Kafka's BrokerLifecycleManager, with Kafka's BrokerState names), in two parallel
 * regions: `lifecycle` (register, catch up with metadata, wait to be unfenced, run, shut down in a
 * controlled way) and `heartbeat` (one BrokerHeartbeat every broker.heartbeat.interval.ms while registered).
 *
 * Metadata images are applied in any state, newest offset only: pushed by the controller (UpdateMetadata), or in
 * KRaft mode published by the node's MetadataPublisher from the committed `__cluster_metadata` log the broker
 * follows as an observer (`metadata.published`). The broker starts, updates and stops its partition actors to
 * match them (see partition-host.ts). Requests from clients are routed by the node (request-router.ts) using the
 * image this actor holds.
 *
 * The active controller is looked up at every registration and heartbeat (controller-calls.ts): after
 * NOT_CONTROLLER or no answer, the next attempt goes, after retry.backoff.ms, to whichever controller is known then.
 */
import type { ErrorName, MetadataImage, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import { assign, emit, enqueueActions, raise, setup, type Actor } from 'xstate';
import type { BrokerContext, BrokerEmitted, BrokerEvent, BrokerInput, PartitionHostPort } from './broker-types.js';
import { retryBackoffMs, sendHeartbeat, sendRegistration } from './controller-calls.js';
import { imageProblem } from './image-check.js';

export type { BrokerConfig, BrokerContext, BrokerEmitted, BrokerEvent, BrokerInput, BrokerPorts, ControllerLocator, PartitionHostPort } from './broker-types.js';

/** Registration errors no retry can fix: the process must stop and say why. */
/** CLUSTER_AUTHORIZATION_FAILED: this node does not hold the controller's cluster secret; retrying cannot help. */
const fatalRegistrationErrors: ReadonlySet<ErrorName> = new Set(['INCONSISTENT_CLUSTER_ID', 'INVALID_REQUEST', 'UNSUPPORTED_VERSION', 'CLUSTER_AUTHORIZATION_FAILED']);

/** The image an event carries: pushed by the controller (UpdateMetadata) or published from the committed metadata log. */
function carriedImage(event: BrokerEvent): MetadataImage | undefined {
  if (event.type === 'request.updateMetadata') return event.body.image;
  return event.type === 'metadata.published' ? event.image : undefined;
}

export const brokerMachine = setup({
  types: {
    context: {} as BrokerContext,
    events: {} as BrokerEvent,
    input: {} as BrokerInput,
    emitted: {} as BrokerEmitted,
  },
  actions: {
    sendRegistration: ({ context, self }) => sendRegistration(context, (event) => self.send(event)),
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
    sendHeartbeat: ({ context, self }) => sendHeartbeat(context, (event) => self.send(event)),
    countFailedHeartbeat: assign(({ context, event }) => {
      if (event.type === 'heartbeat.failed') {
        // An election takes a few retries: said quietly, louder once when it lasts (and not at every retry after that).
        const attempt = context.heartbeatFailures + 1;
        context.ports.logger[attempt === 10 || attempt % 100 === 0 ? 'warn' : 'debug']({ errorName: event.errorName, attempt }, `heartbeat not taken by a controller: ${event.message}`);
      }
      return { heartbeatFailures: context.heartbeatFailures + 1 };
    }),
    resetHeartbeatFailures: assign({ heartbeatFailures: 0 }),
    requestShutDown: assign({ wantShutDown: true }),
    sendHeartbeatNow: raise({ type: 'heartbeat.sendNow' }),
    sendHeartbeatSoon: raise({ type: 'heartbeat.sendNow' }, { delay: 'controlledShutdownFirstRetry' }),
    stopHeartbeats: raise({ type: 'heartbeat.stop' }),
    stopPartitions: emit({ type: 'partitions.stop' }),
    /** Only a newer image replaces the one held: metadata offsets never go back, whichever way an image arrives. */
    applyNewerImage: enqueueActions(({ context, event, enqueue }) => {
      const image = carriedImage(event);
      if (image === undefined || image.metadataOffset <= (context.image?.metadataOffset ?? -1)) return;
      enqueue.assign({ image });
      enqueue.emit({ type: 'partitions.applyImage', image });
    }),
    acknowledgeImage: ({ context, event }) => {
      if (event.type !== 'request.updateMetadata') return;
      const body: ResponseBody<'updateMetadata'> = { errorCode: 0, errorMessage: null };
      context.ports.responder.respond(event.ref as RequestRef & { api: 'updateMetadata' }, body);
    },
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
    /** No active controller got the heartbeat (NOT_CONTROLLER, no answer, or none known): worth retrying soon, elsewhere. */
    heartbeatMissedController: ({ event }) => event.type === 'heartbeat.failed' && (event.errorName === 'NOT_CONTROLLER' || !event.reachedController),
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
    registrationRetryBackoff: ({ context }) => retryBackoffMs(context.config, context.registrationAttempts),
    heartbeatRetryBackoff: ({ context }) => retryBackoffMs(context.config, context.heartbeatFailures),
    controlledShutdownTimeout: ({ context }) => context.config.brokerSessionTimeoutMs,
    /** Kafka's BrokerLifecycleManager: the heartbeat after the first controlled-shutdown answer goes after 50 ms. */
    controlledShutdownFirstRetry: 50,
  },
}).createMachine({
  id: 'broker',
  context: ({ input }) => ({ ...input, brokerEpoch: -1, image: null, registrationAttempts: 0, heartbeatFailures: 0, wantShutDown: false, fatalError: null }),
  type: 'parallel',
  on: {
    'request.updateMetadata': [
      { guard: 'isInconsistentImage', actions: 'refuseInconsistentImage' },
      { guard: 'isImageForThisRegistration', actions: ['applyNewerImage', 'acknowledgeImage'] },
      { actions: 'refuseStaleImage' },
    ],
    'metadata.published': { actions: 'applyNewerImage' },
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
            'heartbeat.succeeded': { target: 'Waiting', actions: 'resetHeartbeatFailures' },
            'heartbeat.failed': [
              { guard: 'registrationIsStale', target: 'Idle', actions: 'resetHeartbeatFailures' },
              { guard: 'heartbeatMissedController', target: 'BackingOff', actions: 'countFailedHeartbeat' },
              { target: 'Waiting', actions: 'resetHeartbeatFailures' },
            ],
          },
        },
        BackingOff: {
          description:
            'No active controller took the heartbeat (NOT_CONTROLLER, no answer, or none known): waits retry.backoff.ms, doubling up to ' +
            'retry.backoff.max.ms, then heartbeats the controller known by then (Kafka\'s BrokerLifecycleManager after a failure).',
          after: { heartbeatRetryBackoff: 'Sending' },
          on: { 'heartbeat.sendNow': 'Sending' },
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
