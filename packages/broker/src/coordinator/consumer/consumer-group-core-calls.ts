/**
 * The consumer group's pure core (consumer-group-heartbeat.ts, consumer-group-leave.ts, consumer-group-replay.ts,
 * consumer-group-offset-validation.ts) called with what the statechart knows (its context, the broker's image and
 * settings) and its answers turned into the chart's effects (consumer-group-effects.ts).
 */
import { serverAssignorByName, type ServerPartitionAssignor } from '@kactor/assignors';
import type { ConsumerGroupRecord, ErrorName, MetadataImage, RequestBody } from '@kactor/protocol';
import { memberEpochs } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import type { ConsumerRebalanceCause } from '../rebalance-consumer.js';
import type { ConsumerGroupData, SubscribedTopicMetadata } from './consumer-group-data.js';
import type { ConsumerTimerEffect } from './consumer-group-effects.js';
import { consumerGroupHeartbeat, isHeartbeatRefusal, type ConsumerGroupTimer } from './consumer-group-heartbeat.js';
import { fenceMember, fenceMemberOnRebalanceTimeout } from './consumer-group-leave.js';
import { validateOffsetCommit } from './consumer-group-offset-validation.js';
import { applyConsumerGroupRecord } from './consumer-group-replay.js';
import { topicsOfImage } from './consumer-group-subscription.js';
import type { ConsumerGroupContext } from './consumer-group-context.js';

export type HeartbeatOutcome =
  | { refusal: { errorName: ErrorName; errorMessage: string | null }; timers: ConsumerTimerEffect[] }
  | { records: ConsumerGroupRecord[]; response: unknown; timers: ConsumerTimerEffect[]; cause: ConsumerRebalanceCause };

/** The assignors of each group.consumer.assignors list (one list per broker config), built once rather than per heartbeat. */
const assignorsByConfig = new WeakMap<readonly string[], ReadonlyMap<string, ServerPartitionAssignor>>();

/** The topics of each metadata image by name: an image is immutable, so its heartbeats share one map. */
const topicsByImage = new WeakMap<MetadataImage, ReadonlyMap<string, SubscribedTopicMetadata>>();

const noTopics: ReadonlyMap<string, SubscribedTopicMetadata> = new Map();

/** group.consumer.assignors as instances, in the configured order (names kactor does not implement are left out: UNSUPPORTED_ASSIGNOR). */
function configuredAssignors(names: readonly string[]): ReadonlyMap<string, ServerPartitionAssignor> {
  const known = assignorsByConfig.get(names);
  if (known !== undefined) return known;
  const assignors = new Map<string, ServerPartitionAssignor>();
  for (const name of names) {
    const assignor = serverAssignorByName(name);
    if (assignor !== undefined) assignors.set(name, assignor);
  }
  assignorsByConfig.set(names, assignors);
  return assignors;
}

function imageTopics(image: MetadataImage | null): ReadonlyMap<string, SubscribedTopicMetadata> {
  if (image === null) return noTopics;
  let topics = topicsByImage.get(image);
  if (topics === undefined) {
    topics = topicsOfImage(image);
    topicsByImage.set(image, topics);
  }
  return topics;
}

function timerEffect(timer: ConsumerGroupTimer): ConsumerTimerEffect {
  switch (timer.type) {
    case 'scheduleSessionTimeout':
      return { kind: 'startTimer', event: { type: 'timer.memberSessionExpired', memberId: timer.memberId }, delayMs: timer.timeoutMs };
    case 'cancelSessionTimeout':
      return { kind: 'cancelTimer', event: { type: 'timer.memberSessionExpired', memberId: timer.memberId } };
    case 'scheduleRebalanceTimeout':
      return { kind: 'startTimer', event: { type: 'timer.memberRebalanceExpired', memberId: timer.memberId, memberEpoch: timer.memberEpoch }, delayMs: timer.timeoutMs };
    case 'cancelRebalanceTimeout':
      return { kind: 'cancelTimer', event: { type: 'timer.memberRebalanceExpired', memberId: timer.memberId, memberEpoch: -1 } };
  }
}

/** What a heartbeat does to the group, in DescribeRebalances' trigger names (it matters when it bumps the group epoch). */
function heartbeatCause(group: ConsumerGroupData, request: RequestBody<'consumerGroupHeartbeat'>): ConsumerRebalanceCause {
  const member = group.members[request.memberId];
  if (request.memberEpoch === memberEpochs.leave || request.memberEpoch === memberEpochs.leaveStatic) return { trigger: 'leave', reason: `member ${request.memberId} left the group` };
  if (request.memberEpoch === memberEpochs.join) {
    if (member !== undefined) return { trigger: 'rejoin', reason: `member ${request.memberId} joined again` };
    const replaces = request.instanceId !== null && Object.values(group.members).some((other) => other.instanceId === request.instanceId);
    return replaces ? { trigger: 'static-member-replaced', reason: `a new incarnation of static member ${request.instanceId} joined` } : { trigger: 'join', reason: `member ${request.memberId} joined` };
  }
  const names = request.subscribedTopicNames === null ? null : [...new Set(request.subscribedTopicNames)].sort();
  if (member !== undefined && names !== null && names.join('\u0000') !== member.subscribedTopicNames.join('\u0000')) return { trigger: 'subscription-change', reason: `member ${request.memberId} changed its subscription` };
  return { trigger: 'partition-change', reason: 'the subscribed topics changed' };
}

/** The cause of a heartbeat that changed nothing (never recorded: only a write can start a rebalance). */
const noChange: ConsumerRebalanceCause = { trigger: 'partition-change', reason: null };

export function runHeartbeat(context: ConsumerGroupContext, ref: RequestRef, request: RequestBody<'consumerGroupHeartbeat'>): HeartbeatOutcome {
  const image = context.ports.currentImage();
  const result = consumerGroupHeartbeat(context.group, request, {
    nowMs: context.ports.clock.now(),
    topics: imageTopics(image),
    assignors: configuredAssignors(context.config.assignors),
    defaultAssignor: context.config.assignors[0] ?? 'uniform',
    heartbeatIntervalMs: context.config.heartbeatIntervalMs,
    sessionTimeoutMs: context.config.sessionTimeoutMs,
    maxSize: context.config.maxSize,
    // Kafka's request header carries the client.id (the Kafka listener passes it on); kactor's own does not.
    clientId: ref.clientId ?? '',
    clientHost: ref.remoteAddress,
  });
  if (isHeartbeatRefusal(result)) return { refusal: result, timers: [] };
  // The cause names a rebalance; a heartbeat that writes nothing starts none, so it is not worked out.
  const cause: ConsumerRebalanceCause = result.records.length === 0 ? noChange : heartbeatCause(context.group, request);
  return { records: result.records, response: result.response, timers: result.timers.map(timerEffect), cause };
}

export function runFence(context: ConsumerGroupContext, memberId: string, rebalanceEpoch: number | null): { records: ConsumerGroupRecord[]; timers: ConsumerTimerEffect[] } {
  const change = rebalanceEpoch === null ? fenceMember(context.group, memberId) : fenceMemberOnRebalanceTimeout(context.group, memberId, rebalanceEpoch);
  return change === null ? { records: [], timers: [] } : { records: change.records, timers: change.timers.map(timerEffect) };
}

/** OffsetCommit / TxnOffsetCommit by member epoch (Kafka's ConsumerGroup.validateOffsetCommit). */
export function commitProblem(context: ConsumerGroupContext, memberId: string, memberEpoch: number): ErrorName | undefined {
  return validateOffsetCommit(context.group, memberId, memberEpoch);
}

export function applyRecord(group: ConsumerGroupData, record: ConsumerGroupRecord): ConsumerGroupData {
  return applyConsumerGroupRecord(group, record);
}
