/**
 * The controller actor's settings, ports, context and events, and the helpers its handlers share (the offsets new
 * records get, writing them, answering a request). The chart is controller.machine.ts; the handlers live in
 * broker-lifecycle-handling.ts, admin-handling.ts, metadata-push.ts and quorum-handling.ts.
 */
import type { BrokerConfig, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, randomKafkaUuid } from '@kactor/protocol';
import type { Clock, Logger, PeerRequester, Random, RequestRef, Responder, RpcResult } from '@kactor/runtime';
import { KafkaStorageError } from '@kactor/storage';
import { uncleanElectionPolicyOf } from './elections.js';
import type { BrokerSession } from './broker-commands.js';
import { appendMetadataRecords } from './metadata-log.js';
import type { MetadataLog } from './metadata-log-writer.js';
import type { MetadataRecord } from './metadata-records.js';
import type { ControllerState } from './metadata-state.js';
import type { BrokerPropagation, PropagationWaiter } from './propagation.js';
import type { TopicCommandDependencies } from './topic-commands.js';
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
  /** Placement and new topic ids (Kafka Uuids) draw from it. */
  random: Random;
  /**
   * The `__cluster_metadata` log. Single mode: a MetadataLogWriter over the local partition, which lets lifecycle
   * records wait for disk space. Quorum mode: the Raft leader's append (the node's adapter), whose `logEndOffset` is
   * the Raft log end and whose appends throw NotLeaderError once this node no longer leads.
   */
  log: MetadataLog;
  peers: PeerRequester;
  responder: Responder;
  logger: Logger;
  /** Validates topic configs (the config module), returning a problem or undefined. */
  topicConfigProblem(configs: Record<string, string>): string | undefined;
}

/**
 * `single`: the only controller, owner of the local metadata log (read on start) and pushing images to brokers.
 * `quorum` (KRaft): one of the controller quorum's voters, fed committed records and leadership by the Raft replica.
 */
export type ControllerMode = 'single' | 'quorum';

export interface ControllerInput {
  controllerId: number;
  clusterId: string;
  config: ControllerConfig;
  ports: ControllerPorts;
  /** Default `single` (the controller before KRaft quorums). */
  mode?: ControllerMode;
}

export interface ControllerContext extends Omit<ControllerInput, 'config' | 'mode'> {
  config: Required<ControllerConfig>;
  mode: ControllerMode;
  /** The metadata state; on the active quorum controller it includes its own records not committed yet (speculative). */
  state: ControllerState;
  /** Quorum mode: the state of the committed records only, what the controller rolls back to when it renounces. */
  committedState: ControllerState;
  /** Quorum mode: the Raft high watermark, the offset below which records are committed. */
  highWatermark: number;
  /** Quorum mode: the node this controller believes is active (itself when Active), named in NOT_CONTROLLER answers. */
  activeControllerId: number | undefined;
  /** Unclean leader elections this controller made (each may have lost acknowledged records); for metrics and the dashboard. */
  uncleanLeaderElections: number;
  sessions: Record<number, BrokerSession>;
  propagation: Record<number, BrokerPropagation>;
  waiters: PropagationWaiter[];
  nextWaiterId: number;
}

export type AdminApi = 'createTopics' | 'deleteTopics' | 'createPartitions' | 'electLeaders';

export type ControllerRequestEvent =
  | { type: 'request.brokerRegistration'; ref: RequestRef; body: RequestBody<'brokerRegistration'> }
  | { type: 'request.brokerHeartbeat'; ref: RequestRef; body: RequestBody<'brokerHeartbeat'> }
  | { type: 'request.createTopics'; ref: RequestRef; body: RequestBody<'createTopics'> }
  | { type: 'request.deleteTopics'; ref: RequestRef; body: RequestBody<'deleteTopics'> }
  | { type: 'request.createPartitions'; ref: RequestRef; body: RequestBody<'createPartitions'> }
  | { type: 'request.electLeaders'; ref: RequestRef; body: RequestBody<'electLeaders'> }
  | { type: 'request.alterPartition'; ref: RequestRef; body: RequestBody<'alterPartition'> }
  | { type: 'request.allocateProducerIds'; ref: RequestRef; body: RequestBody<'allocateProducerIds'> };

/** What the Raft replica tells a quorum controller (contract C3 of issue 12). */
export type QuorumEvent =
  | { type: 'quorum.committed'; records: ReadonlyArray<{ offset: number; record: MetadataRecord }>; highWatermark: number }
  | { type: 'quorum.claimed'; epoch: number }
  | { type: 'quorum.renounced'; leaderId: number | undefined }
  | { type: 'quorum.replicaProgress'; brokerId: number; appliedOffset: number }
  /**
   * A metadata snapshot was loaded (KIP-630: at start, or installed after FetchSnapshot): it replaces the committed
   * state, which stands at `highWatermark - 1`. Never sent to the active controller (Kafka's LeaderNeverLoadSnapshot).
   */
  | { type: 'quorum.snapshotLoaded'; state: ControllerState; highWatermark: number }
  /** Raised by the controller itself: an append threw NotLeaderError, so this node no longer leads (`leaderId`: who does, if known). */
  | { type: 'quorum.notLeader'; leaderId: number | undefined };

export type ControllerEvent =
  | ControllerRequestEvent
  | QuorumEvent
  | { type: 'timer.brokerSessionExpired'; brokerId: number; incarnationId: string }
  | { type: 'timer.propagationDeadline'; waiterId: number }
  | { type: 'timer.leaderImbalanceCheck' }
  | { type: 'peer.metadataPushed'; brokerId: number; brokerEpoch: number; metadataOffset: number; result: RpcResult<'updateMetadata'> }
  | { type: 'controller.stop' };

/**
 * What a handler may do, in order: change the context, run a side effect (answer, push), arm or cancel a timer, raise
 * an event. The chart adapts XState's enqueue to it, so handlers in other modules stay plain functions.
 */
export interface ControllerEffects {
  assign(patch: Partial<ControllerContext>): void;
  run(effect: () => void): void;
  schedule(event: ControllerEvent, delayMs: number, id: string): void;
  cancel(id: string): void;
  raise(event: ControllerEvent): void;
}

export const sessionTimerId = (brokerId: number) => `session-${brokerId}`;
export const propagationTimerId = (waiterId: number) => `propagation-${waiterId}`;
export const leaderImbalanceTimerId = 'leader-imbalance-check';
export const code = (name: Parameters<typeof errorByName>[0]) => errorByName(name).code;

/** The offsets `records` get when appended next: the log end (the Raft log end in quorum mode) onwards. */
export function nextOffsets(context: ControllerContext, records: readonly MetadataRecord[]) {
  const base = context.ports.log.logEndOffset;
  return records.map((record, index) => ({ offset: base + index, record }));
}

export function topicDependencies(context: ControllerContext): TopicCommandDependencies {
  return {
    defaultNumPartitions: context.config.defaultNumPartitions,
    defaultReplicationFactor: context.config.defaultReplicationFactor,
    newTopicId: () => newTopicId(context),
    randomInt: (maxExclusive) => context.ports.random.nextInt(maxExclusive),
    topicConfigProblem: (configs) => context.ports.topicConfigProblem(configs),
  };
}

/**
 * A new topic's id: Kafka's Uuid, drawn from the injected random source (seeded in simulations), because KIP-848's
 * records and ConsumerGroupHeartbeat carry topic ids as 16-byte Uuids, which a nanoid is not. Drawn again in the
 * (seeded-run) case that a topic has it already, since a node restarted with the same seed replays its stream.
 */
function newTopicId(context: ControllerContext): string {
  for (;;) {
    const topicId = randomKafkaUuid((length) => context.ports.random.nextBytes(length));
    if (context.state.topicNamesById[topicId] === undefined) return topicId;
  }
}

export const uncleanPolicy = (context: ControllerContext) => uncleanElectionPolicyOf(context.state, context.config.uncleanLeaderElectionEnable);

/** Warns about the unclean elections among `records` and returns the controller's new count. */
export function countUnclean(context: ControllerContext, records: readonly MetadataRecord[]): number {
  return context.uncleanLeaderElections + warnUncleanElections(context.ports.logger, context.state, records);
}

export function respond(context: ControllerContext, ref: RequestRef, body: unknown): void {
  context.ports.responder.respond(ref as RequestRef & { api: 'metadata' }, body as ResponseBody<'metadata'>);
}

/**
 * The Raft host's NotLeaderError, recognised by name: an append on a node that no longer leads the quorum (Kafka's
 * NotLeaderException from RaftClient.prepareAppend).
 */
export function isNotLeaderError(error: unknown): boolean {
  return error instanceof Error && error.name === 'NotLeaderError';
}

export type WriteOutcome = { written: true } | { written: false; reason: 'storage'; error: KafkaStorageError } | { written: false; reason: 'notLeader'; leaderId: number | undefined };

/** The leader a NotLeaderError names (the Raft host's error carries `leaderId`), if any. */
function leaderNamedBy(error: unknown): number | undefined {
  const leaderId = (error as { leaderId?: unknown }).leaderId;
  return typeof leaderId === 'number' ? leaderId : undefined;
}

/**
 * Appends one command's records at the offsets `nextOffsets` gave them. `refuse`: a full disk refuses them (what a
 * client was promised); `defer`: they wait for space (the brokers' lifecycle; see metadata-log-writer.ts). In quorum
 * mode an append the Raft replica refuses because this node no longer leads is reported, not thrown.
 */
export function writeRecords(context: ControllerContext, withOffsets: ReadonlyArray<{ offset: number; record: MetadataRecord }>, whenFull: 'refuse' | 'defer'): WriteOutcome {
  const first = withOffsets[0];
  if (first === undefined) return { written: true };
  try {
    const baseOffset = appendMetadataRecords(context.ports.log, withOffsets.map(({ record }) => record), context.ports.clock.now(), whenFull);
    // The state replayed these records at the offsets they were expected to get: the log must agree (broker epochs are offsets).
    if (baseOffset !== first.offset) throw new Error(`metadata records written at offset ${baseOffset}, replayed at ${first.offset}`);
    return { written: true };
  } catch (error) {
    if (context.mode === 'quorum' && isNotLeaderError(error)) return { written: false, reason: 'notLeader', leaderId: leaderNamedBy(error) };
    if (whenFull === 'refuse' && error instanceof KafkaStorageError) return { written: false, reason: 'storage', error };
    throw error;
  }
}
