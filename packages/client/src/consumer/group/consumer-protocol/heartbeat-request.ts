/**
 * The ConsumerGroupHeartbeat a KIP-848 member sends, as pure functions (Kafka's
 * `ConsumerHeartbeatRequestManager.HeartbeatState`). The request is incremental: a field is sent only
 * when it changed since the coordinator last acknowledged one (Kafka's "sent fields"); a joining member,
 * and one whose last heartbeat failed, sends every field, because the coordinator may not have seen them.
 * The member id, epoch and group id go in every request.
 */
import { memberEpochs, unchangedHeartbeatFields, type RequestBody } from '@kactor/protocol';
import { toTopicIdPartitions, type OwnedPartition, type TopicIdPartitions } from './reconciliation.js';

/** The incremental fields of the request, as last sent. */
export interface HeartbeatFields {
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly rebalanceTimeoutMs: number;
  readonly subscribedTopicNames: readonly string[];
  readonly serverAssignor: string | null;
  readonly topicPartitions: TopicIdPartitions;
}

/** What the request is built from (a slice of the machine's context). */
export interface HeartbeatSource {
  readonly settings: {
    readonly groupId: string;
    readonly memberId: string;
    readonly groupInstanceId: string | null;
    readonly rackId: string | null;
    readonly maxPollIntervalMs: number;
    readonly serverAssignor: string | null;
  };
  readonly memberEpoch: number;
  readonly subscription: readonly string[];
  readonly owned: readonly OwnedPartition[];
  /** The fields the coordinator acknowledged last; null sends every field. */
  readonly sentFields: HeartbeatFields | null;
}

export interface BuiltHeartbeat {
  readonly body: RequestBody<'consumerGroupHeartbeat'>;
  /** The member's fields as of this request: the acknowledged ones once it succeeds. */
  readonly fields: HeartbeatFields;
}

/** The member's current fields. */
export function currentFields(source: HeartbeatSource): HeartbeatFields {
  const { settings } = source;
  return {
    instanceId: settings.groupInstanceId,
    rackId: settings.rackId,
    rebalanceTimeoutMs: settings.maxPollIntervalMs,
    subscribedTopicNames: [...source.subscription],
    serverAssignor: settings.serverAssignor,
    topicPartitions: toTopicIdPartitions(source.owned),
  };
}

/**
 * A heartbeat (or the join, epoch 0): every field on a join or when nothing was acknowledged, else only
 * the changed ones, the others null (-1 for the rebalance timeout) meaning "unchanged".
 */
export function heartbeatRequest(source: HeartbeatSource): BuiltHeartbeat {
  const fields = currentFields(source);
  const sent = source.memberEpoch === memberEpochs.join ? null : source.sentFields;
  const changed = <T>(now: T, before: T | undefined): boolean => sent === null || JSON.stringify(now) !== JSON.stringify(before);
  const body: RequestBody<'consumerGroupHeartbeat'> = {
    groupId: source.settings.groupId,
    memberId: source.settings.memberId,
    memberEpoch: source.memberEpoch,
    // A static member names its instance in every request: the coordinator needs it to tell two processes apart.
    instanceId: fields.instanceId,
    rackId: changed(fields.rackId, sent?.rackId) ? fields.rackId : null,
    rebalanceTimeoutMs: changed(fields.rebalanceTimeoutMs, sent?.rebalanceTimeoutMs) ? fields.rebalanceTimeoutMs : -1,
    subscribedTopicNames: changed(fields.subscribedTopicNames, sent?.subscribedTopicNames) ? [...fields.subscribedTopicNames] : null,
    subscribedTopicRegex: null,
    serverAssignor: changed(fields.serverAssignor, sent?.serverAssignor) ? fields.serverAssignor : null,
    topicPartitions: changed(fields.topicPartitions, sent?.topicPartitions) ? fields.topicPartitions : null,
  };
  return { body, fields };
}

/** The epoch a leaving member sends: -2 keeps a static member's assignment until its session times out, -1 leaves for good. */
export function leaveEpoch(groupInstanceId: string | null): number {
  return groupInstanceId === null ? memberEpochs.leave : memberEpochs.leaveStatic;
}

/** The leave heartbeat: the member's ids and its leave epoch, nothing else. */
export function leaveRequest(source: Pick<HeartbeatSource, 'settings'>): RequestBody<'consumerGroupHeartbeat'> {
  const { settings } = source;
  return {
    groupId: settings.groupId,
    memberId: settings.memberId,
    memberEpoch: leaveEpoch(settings.groupInstanceId),
    ...unchangedHeartbeatFields,
    instanceId: settings.groupInstanceId,
  };
}
