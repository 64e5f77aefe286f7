/**
 * The controller (Kafka's KRaft controller, single-node): the one authority over cluster metadata.
 *
 * It replays its metadata log on start, then registers brokers, tracks their liveness with one session
 * timer per broker (`broker.session.timeout.ms`), places partitions and elects leaders, creates, deletes and
 * grows topics, and pushes the resulting image to every live broker. Every change is a batch of metadata
 * records that is appended to the log and replayed into the state, so a restarted controller rebuilds
 * exactly the same image. Admin requests are answered once the new image has reached every unfenced broker
 * (or their `timeoutMs` passed), so a client that creates a topic can use it right away.
 */
import type { BrokerConfig, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { Clock, IdGenerator, Logger, PeerRequester, Random, RequestRef, Responder, RpcResult } from '@kactor/runtime';
import { KafkaStorageError } from '@kactor/storage';
import { assign, enqueueActions, setup, type AnyActorRef } from 'xstate';
import { brokerHeartbeat, heartbeatStatus, registerBroker, sessionExpired, type BrokerSession } from './broker-commands.js';
import { uncleanElectionPolicyOf } from './elections.js';
import { leaderImbalanceChanges } from './leader-imbalance.js';
import { appendMetadataRecords, readMetadataRecords } from './metadata-log.js';
import type { MetadataLog } from './metadata-log-writer.js';
import type { MetadataRecord } from './metadata-records.js';
import { emptyControllerState, replayAll, toMetadataImage, type ControllerState } from './metadata-state.js';
import { lowestActiveOffset, propagationTargets, waitersReadyToAnswer, type BrokerPropagation, type PropagationWaiter } from './propagation.js';
import { createPartitions, createTopics, deleteTopics, type TopicCommandDependencies } from './topic-commands.js';
import { electLeaders } from './elect-leaders.js';
import { alterPartitionRequest } from './alter-partition-request.js';
import { warnUncleanElections } from './unclean-elections.js';

export interface ControllerConfig {
  /** broker.session.timeout.ms */
  brokerSessionTimeoutMs: number;
  /** num.partitions */
  defaultNumPartitions: number;
  /** default.replication.factor */
  defaultReplicationFactor: number;
  /** unclean.leader.election.enable, the default of topics without their own (Kafka's default false). */
  uncleanLeaderElectionEnable?: boolean;
  /** auto.leader.rebalance.enable (Kafka's default true). */
  autoLeaderRebalanceEnable?: boolean;
  /** leader.imbalance.check.interval.seconds (Kafka's default 300). */
  leaderImbalanceCheckIntervalSeconds?: number;
  /** leader.imbalance.per.broker.percentage (Kafka's default 10). */
  leaderImbalancePerBrokerPercentage?: number;
}

/** The election settings a config leaves out take Kafka's defaults (those of the config module). */
export const defaultElectionConfig = {
  uncleanLeaderElectionEnable: false,
  autoLeaderRebalanceEnable: true,
  leaderImbalanceCheckIntervalSeconds: 300,
  leaderImbalancePerBrokerPercentage: 10,
} as const satisfies Partial<ControllerConfig>;

/** The controller's settings from the broker's (the node passes these through). */
export function controllerConfigOf(broker: BrokerConfig): Required<ControllerConfig> {
  return {
    brokerSessionTimeoutMs: broker.brokerSessionTimeoutMs,
    defaultNumPartitions: broker.numPartitions,
    defaultReplicationFactor: broker.defaultReplicationFactor,
    uncleanLeaderElectionEnable: broker.uncleanLeaderElectionEnable,
    autoLeaderRebalanceEnable: broker.autoLeaderRebalanceEnable,
    leaderImbalanceCheckIntervalSeconds: broker.leaderImbalanceCheckIntervalSeconds,
    leaderImbalancePerBrokerPercentage: broker.leaderImbalancePerBrokerPercentage,
  };
}

export interface ControllerPorts {
  clock: Clock;
  random: Random;
  ids: IdGenerator;
  /** The `__cluster_metadata` log (through a MetadataLogWriter, which lets lifecycle records wait for disk space). */
  log: MetadataLog;
  peers: PeerRequester;
  responder: Responder;
  logger: Logger;
  /** Validates topic configs (the config module), returning a problem or undefined. */
  topicConfigProblem(configs: Record<string, string>): string | undefined;
}

export interface ControllerInput {
  controllerId: number;
  clusterId: string;
  config: ControllerConfig;
  ports: ControllerPorts;
}

export interface ControllerContext extends Omit<ControllerInput, 'config'> {
  config: Required<ControllerConfig>;
  state: ControllerState;
  /** Unclean leader elections this controller made (each may have lost acknowledged records); for metrics and the dashboard. */
  uncleanLeaderElections: number;
  sessions: Record<number, BrokerSession>;
  propagation: Record<number, BrokerPropagation>;
  waiters: PropagationWaiter[];
  nextWaiterId: number;
}

type AdminApi = 'createTopics' | 'deleteTopics' | 'createPartitions' | 'electLeaders';

export type ControllerEvent =
  | { type: 'request.brokerRegistration'; ref: RequestRef; body: RequestBody<'brokerRegistration'> }
  | { type: 'request.brokerHeartbeat'; ref: RequestRef; body: RequestBody<'brokerHeartbeat'> }
  | { type: 'request.createTopics'; ref: RequestRef; body: RequestBody<'createTopics'> }
  | { type: 'request.deleteTopics'; ref: RequestRef; body: RequestBody<'deleteTopics'> }
  | { type: 'request.createPartitions'; ref: RequestRef; body: RequestBody<'createPartitions'> }
  | { type: 'request.electLeaders'; ref: RequestRef; body: RequestBody<'electLeaders'> }
  | { type: 'request.alterPartition'; ref: RequestRef; body: RequestBody<'alterPartition'> }
  | { type: 'timer.brokerSessionExpired'; brokerId: number; incarnationId: string }
  | { type: 'timer.propagationDeadline'; waiterId: number }
  | { type: 'timer.leaderImbalanceCheck' }
  | { type: 'peer.metadataPushed'; brokerId: number; brokerEpoch: number; metadataOffset: number; result: RpcResult<'updateMetadata'> }
  | { type: 'controller.stop' };

const sessionTimerId = (brokerId: number) => `session-${brokerId}`;
const propagationTimerId = (waiterId: number) => `propagation-${waiterId}`;
const leaderImbalanceTimerId = 'leader-imbalance-check';
const code = (name: Parameters<typeof errorByName>[0]) => errorByName(name).code;

function nextOffsets(context: ControllerContext, records: readonly MetadataRecord[]) {
  const base = context.ports.log.logEndOffset;
  return records.map((record, index) => ({ offset: base + index, record }));
}

function topicDependencies(context: ControllerContext): TopicCommandDependencies {
  return {
    defaultNumPartitions: context.config.defaultNumPartitions,
    defaultReplicationFactor: context.config.defaultReplicationFactor,
    newTopicId: () => context.ports.ids.next(),
    randomInt: (maxExclusive) => context.ports.random.nextInt(maxExclusive),
    topicConfigProblem: (configs) => context.ports.topicConfigProblem(configs),
  };
}

const uncleanPolicy = (context: ControllerContext) => uncleanElectionPolicyOf(context.state, context.config.uncleanLeaderElectionEnable);

/** Warns about the unclean elections among `records` and returns the controller's new count. */
function countUnclean(context: ControllerContext, records: readonly MetadataRecord[]): number {
  return context.uncleanLeaderElections + warnUncleanElections(context.ports.logger, context.state, records);
}

function respond(context: ControllerContext, ref: RequestRef, body: unknown): void {
  context.ports.responder.respond(ref as RequestRef & { api: 'metadata' }, body as ResponseBody<'metadata'>);
}

/** Pushes the current image to one broker; the answer comes back as a `peer.metadataPushed` event. */
function sendMetadataImage(context: ControllerContext, self: AnyActorRef, target: { brokerId: number; url: string; brokerEpoch: number }): void {
  const image = toMetadataImage(context.state, context.controllerId);
  context.ports.peers.request(target.url, 'updateMetadata', { controllerId: context.controllerId, brokerEpoch: target.brokerEpoch, image }, (result) => {
    // A controller stopped meanwhile (its broker crashed or shut down) has nothing to record.
    if (self.getSnapshot().status === 'active') self.send({ type: 'peer.metadataPushed', brokerId: target.brokerId, brokerEpoch: target.brokerEpoch, metadataOffset: image.metadataOffset, result });
  });
}

export const controllerMachine = setup({
  types: {
    context: {} as ControllerContext,
    events: {} as ControllerEvent,
    input: {} as ControllerInput,
  },
  actions: {
    replayMetadataLog: assign(({ context }) => {
      const records = readMetadataRecords(context.ports.log);
      const state = replayAll(emptyControllerState(context.clusterId), records);
      context.ports.logger.info({ records: records.length, metadataOffset: state.metadataOffset }, 'metadata log replayed');
      return { state };
    }),
    /**
     * Brokers known from the log get one session timeout to show up again: until they heartbeat or
     * re-register, their old registration stands, and then they are fenced.
     */
    armSessionTimersForReplayedBrokers: enqueueActions(({ context, enqueue }) => {
      for (const broker of Object.values(context.state.brokers)) {
        if (broker.fenced) continue;
        enqueue.raise(
          { type: 'timer.brokerSessionExpired', brokerId: broker.brokerId, incarnationId: broker.incarnationId },
          { delay: context.config.brokerSessionTimeoutMs, id: sessionTimerId(broker.brokerId) },
        );
      }
    }),
    handleBrokerRegistration: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.brokerRegistration') return;
      const now = context.ports.clock.now();
      const outcome = registerBroker(context.state, context.sessions, event.body, now, uncleanPolicy(context));
      if (!outcome.ok) {
        context.ports.logger.warn({ brokerId: event.body.brokerId, errorName: outcome.errorName }, outcome.errorMessage);
        const body: ResponseBody<'brokerRegistration'> = {
          throttleTimeMs: 0,
          errorCode: code(outcome.errorName),
          errorMessage: outcome.errorMessage,
          brokerEpoch: -1,
          clusterId: context.state.clusterId,
        };
        enqueue(() => respond(context, event.ref, body));
        return;
      }
      const state = replayAll(context.state, nextOffsets(context, outcome.records));
      const broker = state.brokers[event.body.brokerId];
      if (broker === undefined) throw new Error(`broker ${event.body.brokerId} missing after registration`);
      const sessions = { ...context.sessions, [broker.brokerId]: { incarnationId: broker.incarnationId, expiresAtMs: now + context.config.brokerSessionTimeoutMs } };
      const propagation = { ...context.propagation, [broker.brokerId]: { brokerEpoch: broker.brokerEpoch, ackedOffset: -1, inFlightOffset: null, retryOnHeartbeat: false } };
      enqueue.assign({ state, sessions, propagation, uncleanLeaderElections: countUnclean(context, outcome.records) });
      if (outcome.records.length > 0) {
        enqueue(() => appendMetadataRecords(context.ports.log, outcome.records, context.ports.clock.now(), 'defer'));
        context.ports.logger.info({ brokerId: broker.brokerId, brokerEpoch: broker.brokerEpoch, url: broker.url }, 'broker registered');
      }
      enqueue.cancel(sessionTimerId(broker.brokerId));
      enqueue.raise(
        { type: 'timer.brokerSessionExpired', brokerId: broker.brokerId, incarnationId: broker.incarnationId },
        { delay: context.config.brokerSessionTimeoutMs, id: sessionTimerId(broker.brokerId) },
      );
      const body: ResponseBody<'brokerRegistration'> = {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        brokerEpoch: broker.brokerEpoch,
        clusterId: state.clusterId,
      };
      enqueue(() => respond(context, event.ref, body));
    }),

    handleBrokerHeartbeat: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.brokerHeartbeat') return;
      const shutdownOffset = context.sessions[event.body.brokerId]?.controlledShutdownOffset;
      // The broker's own report counts: it says which image it has applied.
      const reported = { ...context.propagation };
      const own = reported[event.body.brokerId];
      if (own !== undefined) reported[event.body.brokerId] = { ...own, ackedOffset: Math.max(own.ackedOffset, event.body.currentMetadataOffset) };
      const shutdownCaughtUp = shutdownOffset !== undefined && (lowestActiveOffset(context.state, reported) ?? shutdownOffset) >= shutdownOffset;
      const outcome = brokerHeartbeat(context.state, event.body, uncleanPolicy(context), shutdownCaughtUp);
      if (!outcome.ok) {
        const body: ResponseBody<'brokerHeartbeat'> = {
          throttleTimeMs: 0,
          errorCode: code(outcome.errorName),
          errorMessage: outcome.errorMessage,
          isCaughtUp: false,
          isFenced: true,
          shouldShutDown: false,
        };
        enqueue(() => respond(context, event.ref, body));
        return;
      }
      const { brokerId } = event.body;
      const broker = context.state.brokers[brokerId];
      if (broker === undefined) return;
      const state = replayAll(context.state, nextOffsets(context, outcome.records));
      const previous = context.propagation[brokerId];
      const propagation = {
        ...context.propagation,
        [brokerId]: {
          brokerEpoch: broker.brokerEpoch,
          ackedOffset: Math.max(previous?.ackedOffset ?? -1, event.body.currentMetadataOffset),
          inFlightOffset: previous?.inFlightOffset ?? null,
          retryOnHeartbeat: false,
        },
      };
      const shutDown = event.body.wantShutDown && state.brokers[brokerId]?.fenced === true;
      // Entering controlled shutdown now, or found in it with no offset (this controller restarted since): count from here.
      const enteredControlledShutdown = state.brokers[brokerId]?.inControlledShutdown === true && (!broker.inControlledShutdown || shutdownOffset === undefined);
      const sessions = {
        ...context.sessions,
        [brokerId]: {
          incarnationId: broker.incarnationId,
          expiresAtMs: context.ports.clock.now() + context.config.brokerSessionTimeoutMs,
          ...(enteredControlledShutdown ? { controlledShutdownOffset: state.metadataOffset } : shutdownOffset === undefined ? {} : { controlledShutdownOffset: shutdownOffset }),
        },
      };
      if (shutDown) {
        delete sessions[brokerId];
        delete propagation[brokerId];
      }
      enqueue.assign({ state, sessions, propagation, uncleanLeaderElections: countUnclean(context, outcome.records) });
      if (outcome.records.length > 0) {
        enqueue(() => appendMetadataRecords(context.ports.log, outcome.records, context.ports.clock.now(), 'defer'));
        const after = state.brokers[brokerId];
        context.ports.logger.info({ brokerId, fenced: after?.fenced, inControlledShutdown: after?.inControlledShutdown }, 'broker status changed');
      }
      enqueue.cancel(sessionTimerId(brokerId));
      if (!shutDown) {
        enqueue.raise(
          { type: 'timer.brokerSessionExpired', brokerId, incarnationId: broker.incarnationId },
          { delay: context.config.brokerSessionTimeoutMs, id: sessionTimerId(brokerId) },
        );
      }
      const body: ResponseBody<'brokerHeartbeat'> = {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        isCaughtUp: outcome.isCaughtUp,
        ...heartbeatStatus(state, brokerId, event.body.wantShutDown),
      };
      enqueue(() => respond(context, event.ref, body));
    }),

    fenceExpiredBroker: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'timer.brokerSessionExpired') return;
      const records = sessionExpired(context.state, event.brokerId, uncleanPolicy(context));
      const sessions = { ...context.sessions };
      delete sessions[event.brokerId];
      const propagation = { ...context.propagation };
      delete propagation[event.brokerId];
      context.ports.logger.warn({ brokerId: event.brokerId, sessionTimeoutMs: context.config.brokerSessionTimeoutMs }, 'broker session expired: fencing it');
      enqueue.assign({ state: replayAll(context.state, nextOffsets(context, records)), sessions, propagation, uncleanLeaderElections: countUnclean(context, records) });
      if (records.length > 0) enqueue(() => appendMetadataRecords(context.ports.log, records, context.ports.clock.now(), 'defer'));
    }),

    handleAdminRequest: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.createTopics' && event.type !== 'request.deleteTopics' && event.type !== 'request.createPartitions' && event.type !== 'request.electLeaders') return;
      const { records, body } = runAdminCommand(context, event);
      const withOffsets = nextOffsets(context, records);
      if (records.length === 0) {
        enqueue(() => respond(context, event.ref, body));
        return;
      }
      // Replayed first: a batch that breaks a metadata invariant throws here, before it is written.
      const nextState = replayAll(context.state, withOffsets);
      // The write is this transition's side effect (the log is synchronous, as the partition's append): a
      // change that cannot be written now is refused and not applied, so nothing answered is lost.
      try {
        appendMetadataRecords(context.ports.log, records, context.ports.clock.now(), 'refuse');
      } catch (error) {
        if (!(error instanceof KafkaStorageError)) throw error;
        context.ports.logger.warn({ err: error, api: event.type }, 'refused an admin request: the metadata log cannot be written');
        enqueue(() => respond(context, event.ref, refusedForStorage(body, 'the metadata log cannot be written (a full disk?)')));
        return;
      }
      enqueue.assign({ state: nextState, uncleanLeaderElections: countUnclean(context, records) });
      const waiterId = context.nextWaiterId;
      const offset = withOffsets[withOffsets.length - 1]?.offset ?? -1;
      const waiter: PropagationWaiter = { id: waiterId, ref: event.ref, body, metadataOffset: offset };
      enqueue.assign({ waiters: [...context.waiters, waiter], nextWaiterId: waiterId + 1 });
      enqueue.raise({ type: 'timer.propagationDeadline', waiterId }, { delay: Math.max(0, event.body.timeoutMs), id: propagationTimerId(waiterId) });
    }),

    /**
     * A leader's ISR change (AlterPartition): answered as soon as the records are in the log, not once every broker
     * has the new image, because the leader adopts the ISR from the answer (KIP-497). A change that cannot be
     * written is refused as a whole with KAFKA_STORAGE_ERROR and the leader keeps its committed ISR.
     */
    handleAlterPartition: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'request.alterPartition') return;
      const { records, body } = alterPartitionRequest(context.state, event.body);
      if (records.length > 0) {
        // The offsets the records get, read before the append moves the log end past them.
        const withOffsets = nextOffsets(context, records);
        const nextState = replayAll(context.state, withOffsets);
        try {
          appendMetadataRecords(context.ports.log, records, context.ports.clock.now(), 'refuse');
        } catch (error) {
          if (!(error instanceof KafkaStorageError)) throw error;
          context.ports.logger.warn({ err: error, brokerId: event.body.brokerId }, 'refused an ISR change: the metadata log cannot be written');
          const refused: ResponseBody<'alterPartition'> = { throttleTimeMs: 0, errorCode: code('KAFKA_STORAGE_ERROR'), topics: [] };
          enqueue(() => respond(context, event.ref, refused));
          return;
        }
        enqueue.assign({ state: nextState });
      }
      enqueue(() => respond(context, event.ref, body));
    }),

    /** Arms the next leader imbalance check (only with auto.leader.rebalance.enable). */
    armLeaderImbalanceCheck: enqueueActions(({ context, enqueue }) => {
      if (!context.config.autoLeaderRebalanceEnable) return;
      enqueue.cancel(leaderImbalanceTimerId);
      enqueue.raise({ type: 'timer.leaderImbalanceCheck' }, { delay: 'leaderImbalanceCheckInterval', id: leaderImbalanceTimerId });
    }),

    /**
     * Preferred leaders return (leader-imbalance.ts): brokers whose share of preferred partitions led elsewhere is above
     * leader.imbalance.per.broker.percentage get them back. Like the brokers' lifecycle, these moves are the controller's
     * own and wait for disk space rather than being dropped.
     */
    rebalancePreferredLeaders: enqueueActions(({ context, enqueue }) => {
      const { imbalanced, records } = leaderImbalanceChanges(context.state, context.config.leaderImbalancePerBrokerPercentage);
      if (records.length === 0) return;
      context.ports.logger.info({ imbalanced, partitions: records.length }, 'leader imbalance: moving leadership back to preferred replicas');
      enqueue.assign({ state: replayAll(context.state, nextOffsets(context, records)) });
      enqueue(() => appendMetadataRecords(context.ports.log, records, context.ports.clock.now(), 'defer'));
    }),

    answerExpiredWaiter: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'timer.propagationDeadline') return;
      const waiter = context.waiters.find((candidate) => candidate.id === event.waiterId);
      if (waiter === undefined) return;
      enqueue.assign({ waiters: context.waiters.filter((candidate) => candidate.id !== event.waiterId) });
      enqueue(() => respond(context, waiter.ref, waiter.body));
    }),

    recordMetadataPush: assign(({ context, event }) => {
      if (event.type !== 'peer.metadataPushed') return {};
      const current = context.propagation[event.brokerId];
      if (current === undefined || current.brokerEpoch !== event.brokerEpoch) return {};
      const acked = event.result.ok && event.result.body.errorCode === 0;
      if (!acked) context.ports.logger.debug({ brokerId: event.brokerId, result: event.result }, 'metadata push failed; the next heartbeat retries');
      return {
        propagation: {
          ...context.propagation,
          [event.brokerId]: {
            ...current,
            inFlightOffset: null,
            retryOnHeartbeat: !acked,
            ackedOffset: acked ? Math.max(current.ackedOffset, event.metadataOffset) : current.ackedOffset,
          },
        },
      };
    }),

    /** Sends the image to every broker that is behind and has no push in flight (one push per broker at a time). */
    propagateMetadata: enqueueActions(({ context, enqueue }) => {
      const targets = propagationTargets(context.state, context.propagation);
      if (targets.length === 0) return;
      const propagation = { ...context.propagation };
      for (const target of targets) {
        const current = propagation[target.brokerId];
        if (current === undefined) continue;
        propagation[target.brokerId] = { ...current, inFlightOffset: context.state.metadataOffset };
        enqueue(({ self }) => sendMetadataImage(context, self, target));
      }
      enqueue.assign({ propagation });
    }),

    answerPropagatedWaiters: enqueueActions(({ context, enqueue }) => {
      const ready = waitersReadyToAnswer(context.state, context.propagation, context.waiters);
      if (ready.length === 0) return;
      const readyIds = new Set(ready.map((waiter) => waiter.id));
      enqueue.assign({ waiters: context.waiters.filter((waiter) => !readyIds.has(waiter.id)) });
      for (const waiter of ready) {
        enqueue.cancel(propagationTimerId(waiter.id));
        enqueue(() => respond(context, waiter.ref, waiter.body));
      }
    }),

    /** The records are committed, so pending admin requests succeeded even if not every broker has heard yet. */
    answerAllWaiters: enqueueActions(({ context, enqueue }) => {
      for (const waiter of context.waiters) enqueue(() => respond(context, waiter.ref, waiter.body));
      enqueue.assign({ waiters: [] });
    }),
  },
  delays: {
    /** leader.imbalance.check.interval.seconds */
    leaderImbalanceCheckInterval: ({ context }) => context.config.leaderImbalanceCheckIntervalSeconds * 1_000,
  },
  guards: {
    /** Only the timer of the broker's current registration fences it; heartbeats re-arm it. */
    isCurrentRegistration: ({ context, event }) =>
      event.type === 'timer.brokerSessionExpired' && context.state.brokers[event.brokerId]?.incarnationId === event.incarnationId,
  },
}).createMachine({
  id: 'controller',
  context: ({ input }) => ({
    ...input,
    config: { ...defaultElectionConfig, ...input.config },
    state: emptyControllerState(input.clusterId),
    uncleanLeaderElections: 0,
    sessions: {},
    propagation: {},
    waiters: [],
    nextWaiterId: 1,
  }),
  initial: 'Loading',
  states: {
    Loading: {
      description: 'Replays the __cluster_metadata log into the metadata state; the controller serves nothing until this is done.',
      entry: 'replayMetadataLog',
      always: 'Active',
    },
    Active: {
      description:
        'The active controller. Registers brokers and fences those silent for broker.session.timeout.ms, unfences brokers that caught up, ' +
        'creates, deletes and grows topics, elects leaders (also on ElectLeaders), commits leaders\' ISR changes (AlterPartition), ' +
        'and pushes every new metadata image to the live brokers. ' +
        'With auto.leader.rebalance.enable it checks leader imbalance every leader.imbalance.check.interval.seconds and gives leadership back to preferred replicas. ' +
        'Admin requests are answered once the image reached every unfenced broker or their timeoutMs passed; an ISR change once it is in the log.',
      entry: ['armSessionTimersForReplayedBrokers', 'armLeaderImbalanceCheck'],
      on: {
        'request.brokerRegistration': { actions: ['handleBrokerRegistration', 'propagateMetadata', 'answerPropagatedWaiters'] },
        'request.brokerHeartbeat': { actions: ['handleBrokerHeartbeat', 'propagateMetadata', 'answerPropagatedWaiters'] },
        'request.createTopics': { actions: ['handleAdminRequest', 'propagateMetadata', 'answerPropagatedWaiters'] },
        'request.deleteTopics': { actions: ['handleAdminRequest', 'propagateMetadata', 'answerPropagatedWaiters'] },
        'request.createPartitions': { actions: ['handleAdminRequest', 'propagateMetadata', 'answerPropagatedWaiters'] },
        'request.electLeaders': { actions: ['handleAdminRequest', 'propagateMetadata', 'answerPropagatedWaiters'] },
        'request.alterPartition': { actions: ['handleAlterPartition', 'propagateMetadata', 'answerPropagatedWaiters'] },
        'timer.brokerSessionExpired': { guard: 'isCurrentRegistration', actions: ['fenceExpiredBroker', 'propagateMetadata', 'answerPropagatedWaiters'] },
        'timer.propagationDeadline': { actions: 'answerExpiredWaiter' },
        'timer.leaderImbalanceCheck': { actions: ['rebalancePreferredLeaders', 'armLeaderImbalanceCheck', 'propagateMetadata', 'answerPropagatedWaiters'] },
        'peer.metadataPushed': { actions: ['recordMetadataPush', 'propagateMetadata', 'answerPropagatedWaiters'] },
        'controller.stop': { target: 'Stopped' },
      },
    },
    Stopped: {
      description: 'Shut down with its broker. Pending admin requests are answered: their records are already committed.',
      type: 'final',
      entry: 'answerAllWaiters',
    },
  },
});

function runAdminCommand(
  context: ControllerContext,
  event: Extract<ControllerEvent, { type: `request.${AdminApi}` }>,
): { records: MetadataRecord[]; body: unknown } {
  switch (event.type) {
    case 'request.createTopics': {
      const outcome = createTopics(context.state, event.body, topicDependencies(context));
      const body: ResponseBody<'createTopics'> = {
        throttleTimeMs: 0,
        topics: outcome.results.map((result) => ({
          name: result.name,
          topicId: result.topicId,
          errorCode: code(result.errorName),
          errorMessage: result.errorMessage,
          numPartitions: result.numPartitions,
          replicationFactor: result.replicationFactor,
        })),
      };
      return { records: outcome.records, body };
    }
    case 'request.deleteTopics': {
      const outcome = deleteTopics(context.state, event.body);
      const body: ResponseBody<'deleteTopics'> = {
        throttleTimeMs: 0,
        responses: outcome.results.map((result) => ({
          name: result.name,
          topicId: result.topicId,
          errorCode: code(result.errorName),
          errorMessage: result.errorMessage,
        })),
      };
      return { records: outcome.records, body };
    }
    case 'request.createPartitions': {
      const outcome = createPartitions(context.state, event.body, topicDependencies(context));
      const body: ResponseBody<'createPartitions'> = {
        throttleTimeMs: 0,
        results: outcome.results.map((result) => ({ name: result.name, errorCode: code(result.errorName), errorMessage: result.errorMessage })),
      };
      return { records: outcome.records, body };
    }
    case 'request.electLeaders':
      return electLeaders(context.state, event.body);
  }
}

/**
 * An admin response whose every change is refused with KAFKA_STORAGE_ERROR (56); answers the command had
 * already refused keep their own error.
 */
function refusedForStorage(body: unknown, errorMessage: string): unknown {
  const storageErrorCode = code('KAFKA_STORAGE_ERROR');
  const refuse = <T extends { errorCode: number; errorMessage: string | null }>(result: T): T =>
    result.errorCode === 0 ? { ...result, errorCode: storageErrorCode, errorMessage } : result;
  const response = body as {
    topics?: Array<{ errorCode: number; errorMessage: string | null }>;
    responses?: Array<{ errorCode: number; errorMessage: string | null }>;
    results?: Array<{ errorCode: number; errorMessage: string | null }>;
    replicaElectionResults?: Array<{ topic: string; partitionResult: Array<{ errorCode: number; errorMessage: string | null }> }>;
  };
  return {
    ...response,
    ...(response.replicaElectionResults === undefined
      ? {}
      : { replicaElectionResults: response.replicaElectionResults.map((topic) => ({ ...topic, partitionResult: topic.partitionResult.map(refuse) })) }),
    ...(response.topics === undefined ? {} : { topics: response.topics.map(refuse) }),
    ...(response.responses === undefined ? {} : { responses: response.responses.map(refuse) }),
    ...(response.results === undefined ? {} : { results: response.results.map(refuse) }),
  };
}
