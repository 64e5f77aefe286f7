/**
 * Drives one consumer group actor (KIP-848) as a coordinator shard would, on a simulated clock: requests go in as
 * events, answers are collected by request, appends succeed (or fail, or wait) as the test says, and the metadata
 * image holds the topics the test creates. For the consumer group machine tests.
 */
import type { ConsumerGroupRecord, MetadataImage, RequestBody } from '@kactor/protocol';
import { errorForCode } from '@kactor/protocol';
import { createLogger, SimulatedClock, type RequestRef, type Responder } from '@kactor/runtime';
import { createActor } from 'xstate';
import type { GroupRecord } from '../group-records.js';
import { testConsumerConfig, testLimits } from '../group-test-support.js';
import type { AppendResult } from '../../coordinator-runtime/coordinator-shard.js';
import { emptyConsumerGroup, type ConsumerGroupData } from './consumer-group-data.js';
import { consumerGroupMachine, type ConsumerGroupConfig } from './consumer-group.machine.js';

export type AnyRecord = GroupRecord | ConsumerGroupRecord;

/** A metadata image with these topics (name -> partitions), topic ids `<name>-id`. */
export function imageWith(topics: Record<string, number>): MetadataImage {
  return {
    clusterId: 'c',
    controllerId: 0,
    metadataOffset: 1,
    brokers: [],
    topics: Object.entries(topics).map(([name, partitions]) => ({
      name,
      topicId: `${name}-id`,
      isInternal: false,
      configs: [],
      partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({ partitionIndex, leader: 1, leaderEpoch: 0, partitionEpoch: 0, replicas: [1], isr: [1] })),
    })),
  };
}

export interface HeartbeatFields {
  memberEpoch: number;
  topics?: string[] | null;
  /** Owned partitions by topic id; null: unchanged. */
  owned?: Array<{ topicId: string; partitions: number[] }> | null;
  rebalanceTimeoutMs?: number;
  instanceId?: string | null;
  serverAssignor?: string | null;
}

export function startConsumerGroup(
  options: { group?: ConsumerGroupData; topics?: Record<string, number>; config?: Partial<ConsumerGroupConfig>; failAppends?: boolean | (() => boolean); holdAppends?: boolean } = {},
) {
  const clock = new SimulatedClock({ startMs: 1_000_000 });
  const answers = new Map<number, Record<string, unknown>>();
  const appended: AnyRecord[][] = [];
  const deletions: Array<{ token: number; errorName: string }> = [];
  let image = imageWith(options.topics ?? { t: 6 });
  let correlation = 0;
  const responder: Responder = {
    respond: (ref, body) => answers.set(ref.correlationId, body as Record<string, unknown>),
    respondError: (ref, error) => answers.set(ref.correlationId, { errorCode: error.code }),
    finish: () => undefined,
  };
  /** Every state the chart entered, in order (microsteps included: the states a heartbeat's steps pass through). */
  const visited: string[] = [];
  const actor = createActor(consumerGroupMachine, {
    clock,
    inspect: (inspection) => {
      if (inspection.type !== '@xstate.microstep' && inspection.type !== '@xstate.snapshot') return;
      const value = String((inspection.snapshot as { value?: unknown }).value);
      if (visited.at(-1) !== value) visited.push(value);
    },
    input: {
      group: options.group ?? emptyConsumerGroup('g'),
      config: { ...testConsumerConfig, ...options.config },
      limits: testLimits,
      ports: {
        clock,
        logger: createLogger({ level: 'silent' }),
        responder,
        currentImage: () => image,
        deletionDone: (token, errorName) => deletions.push({ token, errorName }),
      },
    },
  });
  const heldAppends: Array<(result: AppendResult) => void> = [];
  actor.on('records.toAppend', ({ token, records }) => {
    appended.push(records);
    const done = (result: AppendResult) => actor.send({ type: 'records.appended', token, result });
    if (options.holdAppends === true) {
      heldAppends.push(done);
      return;
    }
    const fail = typeof options.failAppends === 'function' ? options.failAppends() : options.failAppends === true;
    done(fail ? { ok: false, errorName: 'NOT_LEADER_OR_FOLLOWER' } : { ok: true });
  });
  actor.start();

  const ref = (api: 'consumerGroupHeartbeat' | 'offsetCommit' | 'txnOffsetCommit', client: string): RequestRef => ({
    connectionId: client,
    correlationId: (correlation += 1),
    api,
    version: 0,
    remoteAddress: `/${client}`,
  });
  /** A heartbeat of member `memberId`; a join (epoch 0) sends every field, as the client does. */
  const heartbeat = (memberId: string, fields: HeartbeatFields) => {
    const join = fields.memberEpoch === 0;
    const body: RequestBody<'consumerGroupHeartbeat'> = {
      groupId: 'g',
      memberId,
      memberEpoch: fields.memberEpoch,
      instanceId: fields.instanceId ?? null,
      rackId: null,
      rebalanceTimeoutMs: fields.rebalanceTimeoutMs ?? (join ? 300_000 : -1),
      subscribedTopicNames: fields.topics !== undefined ? fields.topics : join ? ['t'] : null,
      subscribedTopicRegex: null,
      serverAssignor: fields.serverAssignor ?? null,
      topicPartitions: fields.owned !== undefined ? fields.owned : join ? [] : null,
    };
    const request = ref('consumerGroupHeartbeat', memberId);
    actor.send({ type: 'request.consumerGroupHeartbeat', ref: request, body });
    return request.correlationId;
  };
  const commit = (memberId: string, memberEpoch: number, offset: number) => {
    const request = ref('offsetCommit', memberId);
    actor.send({
      type: 'request.offsetCommit',
      ref: request,
      body: {
        groupId: 'g',
        generationIdOrMemberEpoch: memberEpoch,
        memberId,
        groupInstanceId: null,
        retentionTimeMs: -1,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' }] }],
      },
    });
    return request.correlationId;
  };
  const answer = (id: number) => answers.get(id);
  const errorOf = (id: number) => {
    const body = answer(id);
    return body === undefined ? undefined : errorForCode(body.errorCode as number).name;
  };
  /** The error of a commit's only partition. */
  const commitErrorOf = (id: number) => {
    const topics = answer(id)?.topics as Array<{ partitions: Array<{ errorCode: number }> }> | undefined;
    const code = topics?.[0]?.partitions[0]?.errorCode;
    return code === undefined ? undefined : errorForCode(code).name;
  };
  /** The member's assignment in a heartbeat answer, as `topicId: [partitions]`. */
  const assignmentOf = (id: number) => {
    const assignment = answer(id)?.assignment as { topicPartitions: Array<{ topicId: string; partitions: number[] }> } | null | undefined;
    if (assignment === null || assignment === undefined) return assignment;
    return Object.fromEntries(assignment.topicPartitions.map((topic) => [topic.topicId, [...topic.partitions].sort((a, b) => a - b)]));
  };
  const state = () => String(actor.getSnapshot().value);
  const group = () => actor.getSnapshot().context.group;
  const setTopics = (topics: Record<string, number>) => {
    image = imageWith(topics);
  };
  return { clock, actor, visited, answers, appended, heldAppends, deletions, heartbeat, commit, answer, errorOf, commitErrorOf, assignmentOf, state, group, setTopics };
}
