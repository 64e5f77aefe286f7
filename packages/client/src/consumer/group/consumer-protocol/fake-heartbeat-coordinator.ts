/**
 * A test fixture, not shipped API: a KIP-848 coordinator kept in memory that answers FindCoordinator and
 * ConsumerGroupHeartbeat as scripted by each test. Each member's target is set by the test
 * (`setTarget`); the fake bumps the member's epoch to the target's, and sends the assignment on a join
 * (epoch 0) and whenever the target changed since it last sent one, as Kafka's coordinator does. It does
 * not reconcile (no revocation before assignment across members): the tests script that.
 *
 * Faults: `inject(...)` makes the next heartbeat answers carry an error (or fail as a whole), and
 * `requests` records every heartbeat asked.
 */
import type { FailureErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, memberEpochs } from '@kactor/protocol';
import type { Clock, RpcResult } from '@kactor/runtime';
import type { TopicIdPartitions } from './reconciliation.js';

export type InjectedHeartbeatAnswer = FailureErrorName | { readonly failRequest: FailureErrorName };

interface FakeConsumerMember {
  epoch: number;
  target: TopicIdPartitions;
  targetEpoch: number;
  /** The target epoch last sent to the member (-1: none since it joined). */
  sentTargetEpoch: number;
}

export interface FakeHeartbeatCoordinatorOptions {
  readonly clock: Clock;
  readonly url?: string;
  readonly heartbeatIntervalMs?: number;
  readonly latencyMs?: number;
}

export class FakeHeartbeatCoordinator {
  readonly url: string;
  readonly requests: Array<RequestBody<'consumerGroupHeartbeat'>> = [];
  readonly findCoordinatorRequests: Array<RequestBody<'findCoordinator'>> = [];
  heartbeatIntervalMs: number;
  private readonly clock: Clock;
  private readonly latencyMs: number;
  private readonly members = new Map<string, FakeConsumerMember>();
  private readonly injected: InjectedHeartbeatAnswer[] = [];
  /** The target a joining member gets when the test set none for it. */
  defaultTarget: { epoch: number; partitions: TopicIdPartitions } = { epoch: 1, partitions: [] };

  constructor(options: FakeHeartbeatCoordinatorOptions) {
    this.clock = options.clock;
    this.url = options.url ?? 'memory://coordinator';
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 5_000;
    this.latencyMs = options.latencyMs ?? 1;
  }

  /** The member's next assignment, at `epoch`: sent with its next heartbeat answer. */
  setTarget(memberId: string, epoch: number, partitions: TopicIdPartitions): void {
    const member = this.members.get(memberId);
    if (member === undefined) {
      this.defaultTarget = { epoch, partitions };
      return;
    }
    member.target = partitions;
    member.targetEpoch = epoch;
  }

  inject(...answers: InjectedHeartbeatAnswer[]): void {
    this.injected.push(...answers);
  }

  /** The member epoch the fake holds for `memberId`, or undefined when it is not a member. */
  epochOf(memberId: string): number | undefined {
    return this.members.get(memberId)?.epoch;
  }

  findCoordinator(body: RequestBody<'findCoordinator'>, onResult: (result: RpcResult<'findCoordinator'>) => void): void {
    this.findCoordinatorRequests.push(body);
    const answer: ResponseBody<'findCoordinator'> = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 0, host: 'coordinator', port: 9092, url: this.url };
    this.clock.setTimeout(() => onResult({ ok: true, body: answer }), this.latencyMs);
  }

  heartbeat(body: RequestBody<'consumerGroupHeartbeat'>, onResult: (result: RpcResult<'consumerGroupHeartbeat'>) => void): void {
    this.requests.push(structuredClone(body));
    const injected = this.injected.shift();
    if (injected !== undefined && typeof injected === 'object') {
      const info = errorByName(injected.failRequest);
      this.clock.setTimeout(() => onResult({ ok: false, error: { code: info.code, name: info.name, retriable: info.retriable, message: 'injected' } }), this.latencyMs);
      return;
    }
    const answer = injected === undefined ? this.answer(body) : this.errorAnswer(body, injected);
    this.clock.setTimeout(() => onResult({ ok: true, body: answer }), this.latencyMs);
  }

  private answer(body: RequestBody<'consumerGroupHeartbeat'>): ResponseBody<'consumerGroupHeartbeat'> {
    if (body.memberEpoch === memberEpochs.leave || body.memberEpoch === memberEpochs.leaveStatic) {
      this.members.delete(body.memberId);
      return this.response(body.memberId, body.memberEpoch, null);
    }
    let member = this.members.get(body.memberId);
    if (body.memberEpoch === memberEpochs.join) {
      member = { epoch: 0, target: this.defaultTarget.partitions, targetEpoch: this.defaultTarget.epoch, sentTargetEpoch: -1 };
      this.members.set(body.memberId, member);
    }
    if (member === undefined) return this.errorAnswer(body, 'UNKNOWN_MEMBER_ID');
    if (body.memberEpoch !== 0 && body.memberEpoch !== member.epoch) return this.errorAnswer(body, 'FENCED_MEMBER_EPOCH');
    member.epoch = member.targetEpoch;
    const sendAssignment = member.sentTargetEpoch !== member.targetEpoch;
    member.sentTargetEpoch = member.targetEpoch;
    return this.response(body.memberId, member.epoch, sendAssignment ? { topicPartitions: structuredClone(member.target) } : null);
  }

  private response(memberId: string, memberEpoch: number, assignment: ResponseBody<'consumerGroupHeartbeat'>['assignment']): ResponseBody<'consumerGroupHeartbeat'> {
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, memberId, memberEpoch, heartbeatIntervalMs: this.heartbeatIntervalMs, assignment };
  }

  private errorAnswer(body: RequestBody<'consumerGroupHeartbeat'>, errorName: FailureErrorName): ResponseBody<'consumerGroupHeartbeat'> {
    const { code } = errorByName(errorName);
    return { throttleTimeMs: 0, errorCode: code, errorMessage: `injected ${errorName}`, memberId: body.memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
  }
}
