/**
 * The controller (Kafka's KRaft controller): the one authority over cluster metadata.
 *
 * It registers brokers, tracks their liveness with one session timer per broker (`broker.session.timeout.ms`), places
 * partitions and elects leaders, creates, deletes and grows topics. Every change is a batch of metadata records that is
 * replayed into the state and appended to `__cluster_metadata`, so a controller that replays the log rebuilds exactly
 * the same image. Two modes (`ControllerInput.mode`):
 * - `single` (default): the only controller. It replays its local log on start (Loading), then is Active: it pushes
 *   every new image to the live brokers (UpdateMetadata) and answers admin requests once the image reached every
 *   unfenced broker (or their `timeoutMs` passed), so a client that creates a topic can use it right away.
 * - `quorum` (KRaft, issue 12): Kafka's QuorumController on a voter of the controller quorum. It is Inactive (a
 *   standby replaying committed records) until the Raft replica says this node leads (`quorum.claimed`), Active while
 *   it does, and Inactive again when it renounces. The active controller answers only what is committed (see
 *   admin-handling.ts and quorum-handling.ts); brokers fetch the log themselves, nothing is pushed.
 * The handlers are in broker-lifecycle-handling.ts, admin-handling.ts, producer-ids-handling.ts, metadata-push.ts and quorum-handling.ts.
 */
import { assign, enqueueActions, setup } from 'xstate';
import { activateClusterControl, armSessionTimersForReplayedBrokers, fenceExpiredBroker, handleBrokerHeartbeat, handleBrokerRegistration } from './broker-lifecycle-handling.js';
import { answerAllWaiters, answerExpiredWaiter, answerReadyWaiters, handleAdminRequest, handleAlterPartition } from './admin-handling.js';
import {
  defaultElectionConfig,
  leaderImbalanceTimerId,
  nextOffsets,
  writeRecords,
  type ControllerContext,
  type ControllerEffects,
  type ControllerEvent,
  type ControllerInput,
  type ControllerRequestEvent,
} from './controller-context.js';
import { leaderImbalanceChanges } from './leader-imbalance.js';
import { readMetadataRecords } from './metadata-log.js';
import { emptyControllerState, replayAll } from './metadata-state.js';
import { propagateMetadata, recordMetadataPush } from './metadata-push.js';
import { handleAllocateProducerIds } from './producer-ids-handling.js';
import { adoptCommittedState, answerNotController, claimLeadership, loadCommittedSnapshot, recordActiveController, recordReplicaProgress, refuseSnapshotWhileActive, renounceLeadership, replayCommittedRecords } from './quorum-handling.js';

export { controllerConfigOf, defaultElectionConfig } from './controller-context.js';
export type { ControllerConfig, ControllerContext, ControllerEvent, ControllerInput, ControllerMode, ControllerPorts } from './controller-context.js';

/** XState's enqueue, as the handlers' ControllerEffects. */
interface Enqueue {
  (action: () => void): void;
  assign(patch: Partial<ControllerContext>): void;
  raise(event: ControllerEvent, options?: { delay?: number; id?: string }): void;
  cancel(id: string): void;
}

/** The handlers' effects over XState's enqueue: methods of one small object, so an action builds no closures (broker heartbeats run one each). */
class EnqueuedEffects implements ControllerEffects {
  constructor(private readonly enqueue: Enqueue) {}

  assign(patch: Partial<ControllerContext>): void {
    this.enqueue.assign(patch);
  }

  run(effect: () => void): void {
    this.enqueue(effect);
  }

  schedule(event: ControllerEvent, delayMs: number, id: string): void {
    this.enqueue.raise(event, { delay: delayMs, id });
  }

  cancel(id: string): void {
    this.enqueue.cancel(id);
  }

  raise(event: ControllerEvent): void {
    this.enqueue.raise(event);
  }
}

function effectsOf(enqueue: Enqueue): ControllerEffects {
  return new EnqueuedEffects(enqueue);
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
    armSessionTimersForReplayedBrokers: enqueueActions(({ context, enqueue }) => armSessionTimersForReplayedBrokers(context, effectsOf(enqueue))),
    handleBrokerRegistration: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'request.brokerRegistration') handleBrokerRegistration(context, event, effectsOf(enqueue));
    }),
    handleBrokerHeartbeat: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'request.brokerHeartbeat') handleBrokerHeartbeat(context, event, effectsOf(enqueue));
    }),
    fenceExpiredBroker: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'timer.brokerSessionExpired') fenceExpiredBroker(context, event, effectsOf(enqueue));
    }),
    handleAdminRequest: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'request.createTopics' || event.type === 'request.deleteTopics' || event.type === 'request.createPartitions' || event.type === 'request.electLeaders') {
        handleAdminRequest(context, event, effectsOf(enqueue));
      }
    }),
    handleAlterPartition: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'request.alterPartition') handleAlterPartition(context, event, effectsOf(enqueue));
    }),
    handleAllocateProducerIds: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'request.allocateProducerIds') handleAllocateProducerIds(context, event, effectsOf(enqueue));
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
      const withOffsets = nextOffsets(context, records);
      const state = replayAll(context.state, withOffsets);
      const written = writeRecords(context, withOffsets, 'defer');
      if (written.written) enqueue.assign({ state });
      else enqueue.raise({ type: 'quorum.notLeader', leaderId: written.reason === 'notLeader' ? written.leaderId : undefined });
    }),
    answerExpiredWaiter: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'timer.propagationDeadline') answerExpiredWaiter(context, event, effectsOf(enqueue));
    }),
    recordMetadataPush: assign(({ context, event }) => (event.type === 'peer.metadataPushed' ? recordMetadataPush(context, event) : {})),
    propagateMetadata: enqueueActions(({ context, enqueue, self }) => propagateMetadata(context, self, effectsOf(enqueue))),
    answerReadyWaiters: enqueueActions(({ context, enqueue }) => answerReadyWaiters(context, effectsOf(enqueue))),
    answerAllWaiters: enqueueActions(({ context, enqueue }) => answerAllWaiters(context, effectsOf(enqueue))),
    replayCommittedRecords: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'quorum.committed') replayCommittedRecords(context, event, effectsOf(enqueue));
    }),
    adoptCommittedState: enqueueActions(({ context, enqueue }) => adoptCommittedState(context, effectsOf(enqueue))),
    loadCommittedSnapshot: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'quorum.snapshotLoaded') loadCommittedSnapshot(context, event, effectsOf(enqueue));
    }),
    /** KIP-630's LeaderNeverLoadSnapshot: a snapshot reaching the active controller is a bug (the actor fails). */
    refuseSnapshotWhileActive: ({ context }) => refuseSnapshotWhileActive(context),
    answerNotController: enqueueActions(({ context, event, enqueue }) => {
      if (event.type.startsWith('request.')) answerNotController(context, event as ControllerRequestEvent, effectsOf(enqueue));
    }),
    recordActiveController: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'quorum.renounced') recordActiveController(event, effectsOf(enqueue));
    }),
    claimLeadership: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'quorum.claimed') claimLeadership(context, event, effectsOf(enqueue));
    }),
    activateClusterControl: enqueueActions(({ context, enqueue }) => activateClusterControl(context, effectsOf(enqueue))),
    renounceLeadership: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'quorum.renounced' || event.type === 'quorum.notLeader') renounceLeadership(context, event, effectsOf(enqueue));
    }),
    recordReplicaProgress: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'quorum.replicaProgress') recordReplicaProgress(context, event, effectsOf(enqueue));
    }),
  },
  delays: {
    /** leader.imbalance.check.interval.seconds */
    leaderImbalanceCheckInterval: ({ context }) => context.config.leaderImbalanceCheckIntervalSeconds * 1_000,
  },
  guards: {
    /** Quorum mode (KRaft): the controller runs on a voter of the controller quorum. */
    isQuorumMode: ({ context }) => context.mode === 'quorum',
    /** Only the timer of the broker's current registration fences it; heartbeats re-arm it. */
    isCurrentRegistration: ({ context, event }) =>
      event.type === 'timer.brokerSessionExpired' && context.state.brokers[event.brokerId]?.incarnationId === event.incarnationId,
  },
}).createMachine({
  id: 'controller',
  context: ({ input }) => ({
    ...input,
    config: { ...defaultElectionConfig, ...input.config },
    mode: input.mode ?? 'single',
    state: emptyControllerState(input.clusterId),
    committedState: emptyControllerState(input.clusterId),
    highWatermark: 0,
    activeControllerId: undefined,
    uncleanLeaderElections: 0,
    sessions: {},
    propagation: {},
    waiters: [],
    nextWaiterId: 1,
  }),
  initial: 'Loading',
  states: {
    Loading: {
      description:
        'Single mode: replays the __cluster_metadata log into the metadata state; the controller serves nothing until this is done. ' +
        'Quorum mode: the controller never reads the log itself and goes straight to Inactive.',
      always: [{ guard: 'isQuorumMode', target: 'Inactive' }, { target: 'Active', actions: 'replayMetadataLog' }],
    },
    Inactive: {
      description:
        'A standby controller of the quorum (QuorumController not active): replays the records the Raft replica reports committed into its state, ' +
        'and answers every controller API with NOT_CONTROLLER naming the active controller it knows of. ' +
        'Becomes active when its node is elected Raft leader and has replayed every committed record up to the epoch start (claim).',
      on: {
        'quorum.committed': { actions: ['replayCommittedRecords', 'adoptCommittedState'] },
        'quorum.snapshotLoaded': { actions: ['loadCommittedSnapshot', 'adoptCommittedState'] },
        'quorum.claimed': { target: 'Active', actions: ['claimLeadership', 'activateClusterControl'] },
        'quorum.renounced': { actions: 'recordActiveController' },
        'request.brokerRegistration': { actions: 'answerNotController' },
        'request.brokerHeartbeat': { actions: 'answerNotController' },
        'request.createTopics': { actions: 'answerNotController' },
        'request.deleteTopics': { actions: 'answerNotController' },
        'request.createPartitions': { actions: 'answerNotController' },
        'request.electLeaders': { actions: 'answerNotController' },
        'request.alterPartition': { actions: 'answerNotController' },
        'request.allocateProducerIds': { actions: 'answerNotController' },
        'controller.stop': { target: 'Stopped' },
      },
    },
    Active: {
      description:
        'The active controller. Registers brokers and fences those silent for broker.session.timeout.ms, unfences brokers that caught up, ' +
        'creates, deletes and grows topics, elects leaders (also on ElectLeaders), commits leaders\' ISR changes (AlterPartition), hands brokers blocks of producer ids (AllocateProducerIds, KIP-730). ' +
        'With auto.leader.rebalance.enable it checks leader imbalance every leader.imbalance.check.interval.seconds and gives leadership back to preferred replicas. ' +
        'Single mode: pushes every new metadata image to the live brokers; admin requests are answered once the image reached every unfenced broker or their timeoutMs passed, an ISR change once it is in the log. ' +
        'Quorum mode: replays its own records when it appends them, but answers an admin request only once the high watermark passed its records and every unfenced broker applied them (or its timeoutMs passed), ' +
        'an ISR change or a producer id block once committed; registrations and heartbeats at once. Renounces (back to Inactive, rolled back to the committed state, pending requests answered NOT_CONTROLLER) when another node leads or an append finds it no longer leader.',
      entry: ['armSessionTimersForReplayedBrokers', 'armLeaderImbalanceCheck'],
      on: {
        'request.brokerRegistration': { actions: ['handleBrokerRegistration', 'propagateMetadata', 'answerReadyWaiters'] },
        'request.brokerHeartbeat': { actions: ['handleBrokerHeartbeat', 'propagateMetadata', 'answerReadyWaiters'] },
        'request.createTopics': { actions: ['handleAdminRequest', 'propagateMetadata', 'answerReadyWaiters'] },
        'request.deleteTopics': { actions: ['handleAdminRequest', 'propagateMetadata', 'answerReadyWaiters'] },
        'request.createPartitions': { actions: ['handleAdminRequest', 'propagateMetadata', 'answerReadyWaiters'] },
        'request.electLeaders': { actions: ['handleAdminRequest', 'propagateMetadata', 'answerReadyWaiters'] },
        'request.alterPartition': { actions: ['handleAlterPartition', 'propagateMetadata', 'answerReadyWaiters'] },
        'request.allocateProducerIds': { actions: ['handleAllocateProducerIds', 'propagateMetadata', 'answerReadyWaiters'] },
        'timer.brokerSessionExpired': { guard: 'isCurrentRegistration', actions: ['fenceExpiredBroker', 'propagateMetadata', 'answerReadyWaiters'] },
        'timer.propagationDeadline': { actions: 'answerExpiredWaiter' },
        'timer.leaderImbalanceCheck': { actions: ['rebalancePreferredLeaders', 'armLeaderImbalanceCheck', 'propagateMetadata', 'answerReadyWaiters'] },
        'peer.metadataPushed': { actions: ['recordMetadataPush', 'propagateMetadata', 'answerReadyWaiters'] },
        'quorum.committed': { actions: ['replayCommittedRecords', 'answerReadyWaiters'] },
        'quorum.snapshotLoaded': { actions: 'refuseSnapshotWhileActive' },
        'quorum.replicaProgress': { actions: ['recordReplicaProgress', 'answerReadyWaiters'] },
        'quorum.renounced': { target: 'Inactive', actions: 'renounceLeadership' },
        'quorum.notLeader': { target: 'Inactive', actions: 'renounceLeadership' },
        'controller.stop': { target: 'Stopped' },
      },
    },
    Stopped: {
      description: 'Shut down with its node. Pending requests are answered: committed changes as done, in quorum mode the others NOT_CONTROLLER.',
      type: 'final',
      entry: 'answerAllWaiters',
    },
  },
});
