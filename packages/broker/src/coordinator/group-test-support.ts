/**
 * Drives one group actor as a coordinator shard would, on a simulated clock: requests go in as events,
 * answers are collected by request, and appends succeed (or fail) at once. For the group machine tests.
 */
import type { ApiName, RequestBody } from '@kactor/protocol';
import { errorForCode } from '@kactor/protocol';
import { createLogger, SimulatedClock, type RequestRef, type Responder } from '@kactor/runtime';
import { createActor } from 'xstate';
import { emptyGroupData, type ClassicGroupData, type GroupLimits } from './classic-group.js';
import type { GroupRecord } from './group-records.js';
import type { TransactionalWrite } from '../coordinator-runtime/coordinator-shard.js';
import { connectGroupAppends, groupMachine, type AppendResult } from './group.machine.js';
import type { ConsumerGroupConfig } from './consumer/consumer-group.machine.js';
import { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator.js';

export const testLimits: GroupLimits = {
  groupMinSessionTimeoutMs: 6_000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupMaxSize: 100,
  groupInitialRebalanceDelayMs: 3_000,
  offsetMetadataMaxBytes: 4_096,
  newMemberJoinTimeoutMs: 300_000,
};

/** Kafka's group.consumer.* defaults (GroupCoordinatorConfig). */
export const testConsumerConfig: ConsumerGroupConfig = { sessionTimeoutMs: 45_000, heartbeatIntervalMs: 5_000, maxSize: 2_147_483_647, assignors: ['uniform', 'range'] };

const bytes = (text: string) => new TextEncoder().encode(text);

/** A dynamic consumer's JoinGroup for group `g` (range, empty metadata, 10 s session, 30 s rebalance timeout), with `fields` over it. */
export function testJoinGroupBody(fields: Partial<RequestBody<'joinGroup'>> = {}): RequestBody<'joinGroup'> {
  return {
    groupId: 'g',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: new Uint8Array(0) }],
    reason: null,
    clientId: 'classic',
    ...fields,
  };
}

/** `holdAppends`: appends wait in `heldAppends` until the test completes them (an append still on its way). */
export function startGroup(options: { limits?: Partial<GroupLimits>; group?: ClassicGroupData; failAppends?: boolean | (() => boolean); holdAppends?: boolean } = {}) {
  const clock = new SimulatedClock({ startMs: 1_000_000 });
  const answers = new Map<number, { body: Record<string, unknown> }>();
  const appended: GroupRecord[][] = [];
  /** The producer of each append (undefined for a regular one), in the order of `appended`. */
  const appendedTransactional: Array<TransactionalWrite | undefined> = [];
  const deletions: Array<{ token: number; errorName: string }> = [];
  let correlation = 0;
  let unique = 0;
  const responder: Responder = {
    respond: (ref, body) => answers.set(ref.correlationId, { body: body as Record<string, unknown> }),
    respondError: (ref, error) => answers.set(ref.correlationId, { body: { errorCode: error.code } }),
    finish: () => undefined,
  };
  const actor = createActor(groupMachine, {
    clock,
    input: {
      group: options.group ?? emptyGroupData('g', clock.now()),
      limits: { ...testLimits, ...options.limits },
      ports: {
        clock,
        logger: createLogger({ level: 'silent' }),
        responder,
        uniqueId: () => `id${(unique += 1)}`,
        deletionDone: (token, errorName) => deletions.push({ token, errorName }),
      },
    },
  });
  const heldAppends: Array<() => void> = [];
  connectGroupAppends(actor, (records, transactional, onDone: (result: AppendResult) => void) => {
    appended.push(records);
    appendedTransactional.push(transactional);
    if (options.holdAppends === true) {
      heldAppends.push(() => onDone({ ok: true }));
      return;
    }
    onDone((typeof options.failAppends === 'function' ? options.failAppends() : options.failAppends === true) ? { ok: false, errorName: 'NOT_LEADER_OR_FOLLOWER' } : { ok: true });
  });
  actor.start();

  const ref = (api: ApiName, client: string): RequestRef => ({ connectionId: client, correlationId: (correlation += 1), api, version: 0, remoteAddress: `/${client}` });
  const send = <A extends 'joinGroup' | 'syncGroup' | 'heartbeat' | 'leaveGroup' | 'offsetCommit' | 'txnOffsetCommit' | 'offsetFetch'>(api: A, client: string, body: RequestBody<A>) => {
    const request = ref(api, client);
    actor.send({ type: `request.${api}`, ref: request, body } as never);
    return request.correlationId;
  };
  /** The answer to a request, or undefined while it waits. */
  const answer = (id: number) => answers.get(id)?.body;
  const errorOf = (id: number) => {
    const body = answer(id);
    return body === undefined ? undefined : errorForCode(body.errorCode as number).name;
  };

  const join = (client: string, memberId = '', protocols: Array<[string, string]> = [['range', 'sub']], sessionTimeoutMs = 10_000, rebalanceTimeoutMs = 30_000) =>
    send('joinGroup', client, testJoinGroupBody({ sessionTimeoutMs, rebalanceTimeoutMs, memberId, protocols: protocols.map(([name, metadata]) => ({ name, metadata: bytes(metadata) })), clientId: client }));
  /** MEMBER_ID_REQUIRED, then the join with the id: returns the member id and the second join's request id. */
  const joinFully = (client: string, protocols?: Array<[string, string]>, sessionTimeoutMs?: number, rebalanceTimeoutMs?: number) => {
    const first = join(client, '', protocols, sessionTimeoutMs, rebalanceTimeoutMs);
    const memberId = answer(first)?.memberId as string;
    return { memberId, request: join(client, memberId, protocols, sessionTimeoutMs, rebalanceTimeoutMs) };
  };
  const sync = (client: string, memberId: string, generationId: number, assignments: Array<[string, string]> = []) =>
    send('syncGroup', client, {
      groupId: 'g',
      generationId,
      memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: null,
      assignments: assignments.map(([id, assignment]) => ({ memberId: id, assignment: bytes(assignment) })),
    });
  const heartbeat = (client: string, memberId: string, generationId: number) => send('heartbeat', client, { groupId: 'g', generationId, memberId, groupInstanceId: null });
  const leave = (client: string, memberId: string) => send('leaveGroup', client, { groupId: 'g', members: [{ memberId, groupInstanceId: null, reason: null }] });
  const commit = (client: string, memberId: string, generationId: number, offset: number, metadata = '') =>
    send('offsetCommit', client, {
      groupId: 'g',
      generationIdOrMemberEpoch: generationId,
      memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: metadata }] }],
    });

  const state = () => {
    const value = actor.getSnapshot().value;
    return typeof value === 'string' ? value : Object.entries(value).map(([parent, child]) => `${parent}.${String(child)}`)[0];
  };
  const group = () => actor.getSnapshot().context.group;
  return { clock, actor, answers, appended, appendedTransactional, heldAppends, deletions, answer, errorOf, send, join, joinFully, sync, heartbeat, leave, commit, state, group };
}

export const text = (value: unknown) => new TextDecoder().decode(value as Uint8Array);

/**
 * A GroupCoordinator as broker 1 hosts it, for the coordinator tests: `__consumer_offsets` of one partition, the test
 * limits and Kafka's group.consumer.* defaults, a silent logger and no peers; `options` brings the clock, the ports
 * and whatever a test changes.
 */
export function testGroupCoordinator(options: Pick<GroupCoordinatorOptions, 'clock' | 'responder' | 'ids' | 'partitions' | 'currentImage'> & Partial<GroupCoordinatorOptions>): GroupCoordinator {
  return new GroupCoordinator({
    brokerId: 1,
    topicConfig: { offsetsTopicNumPartitions: 1, offsetsTopicReplicationFactor: 3, offsetsTopicSegmentBytes: 1_048_576, offsetsCommitTimeoutMs: 5_000 },
    limits: testLimits,
    consumerConfig: testConsumerConfig,
    logger: createLogger({ level: 'silent' }),
    peers: { request: () => undefined } as never,
    controllerUrl: () => 'memory://controller',
    onFatalError: (error) => {
      throw error;
    },
    ...options,
  });
}
