/**
 * The classic group protocol (JoinGroup/SyncGroup/Heartbeat, EAGER or COOPERATIVE) behind the membership
 * seam: hosts the classic member statechart (consumer-group.machine.ts), passes the consumer's calls to
 * it as events and its emitted events to the consumer. Everything classic the consumer used to read off
 * the machine (its state names, its generation, what a revocation covers) stays here and in the chart.
 */
import { ASSIGNOR_NAMES } from '@kactor/assignors';
import type { ConsumerConfig } from '@kactor/protocol';
import { actorIds, type Logger, type RpcResult } from '@kactor/runtime';
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import type { ClientRuntime } from '../../client-runtime.js';
import { KafkaClientError } from '../../errors.js';
import type { InFlight } from '../../internal/in-flight.js';
import type { ClusterClient } from '../../network/cluster-client.js';
import type { TopicPartition } from '../../topic-partition.js';
import { availableAssignors } from './assignor-adapter.js';
import { consumerGroupMachine } from './consumer-group.machine.js';
import { rebalanceProtocolOf, type RebalanceProtocol } from './cooperative.js';
import type { CommitPermission, GroupMembership, MembershipEventHandler, MembershipView, ReleaseKind } from './group-membership.js';
import type { CommitGeneration } from './group-offsets.js';
import type { ConsumerGroupEvent, ConsumerGroupPorts, ConsumerGroupStateName, CoordinatorNode, GroupApi } from './group-types.js';
import { LastPoll } from './poll-timer.js';

/** What a membership needs from the consumer that hosts it (either protocol). */
export interface MembershipHostOptions {
  readonly groupId: string;
  readonly clientId: string;
  readonly config: ConsumerConfig;
  readonly cluster: ClusterClient;
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  /** Where the requests close() must wait for (the LeaveGroup) are tracked. */
  readonly inFlight: InFlight;
  /** The partitions the consumer holds right now. */
  readonly heldPartitions: () => TopicPartition[];
}

type GroupSnapshot = SnapshotFrom<typeof consumerGroupMachine>;

/** The top-level state of the classic member's machine. */
export function groupStateName(snapshot: GroupSnapshot): ConsumerGroupStateName {
  const value = snapshot.value;
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as ConsumerGroupStateName;
}

const REFUSALS = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS']);

export class ClassicMembership implements GroupMembership {
  readonly protocol = 'classic' as const;
  readonly rebalanceProtocol: RebalanceProtocol;
  private readonly actor: Actor<typeof consumerGroupMachine>;
  /** Renames the inspected actor after its member id; undefined when the actor is not inspected. */
  private readonly renameInspected: ((id: string) => void) | undefined;
  /** The member id the inspected actor is named after ('' while it goes by its client id). */
  private inspectedMemberId = '';
  /** When the application last called poll(), for the machine's poll timer. */
  private readonly lastPoll: LastPoll;

  constructor(private readonly options: MembershipHostOptions) {
    const { config, runtime, cluster, logger } = options;
    this.lastPoll = new LastPoll(runtime.clock);
    const assignors = availableAssignors(config.partitionAssignmentStrategy);
    if (assignors.length === 0) {
      throw new KafkaClientError(`none of partition.assignment.strategy (${config.partitionAssignmentStrategy.join(', ')}) is available: kactor has ${ASSIGNOR_NAMES.join(', ')}`);
    }
    this.rebalanceProtocol = rebalanceProtocolOf(assignors);
    const ports: ConsumerGroupPorts = {
      clock: runtime.clock,
      random: runtime.random,
      logger,
      findCoordinator: (body, onResult) => cluster.send(cluster.anyBrokerUrl(), 'findCoordinator', body, onResult, { timeoutMs: config.requestTimeoutMs }),
      request: (url, api, body, onResult, requestOptions) => this.send(url, api, body, onResult, requestOptions?.timeoutMs),
      partitionCount: (topic) => cluster.partitionCount(topic),
      heldPartitions: options.heldPartitions,
      lastPollMs: () => this.lastPoll.lastPollMs(),
    };
    this.actor = createActor(consumerGroupMachine, {
      id: actorIds.consumer(options.groupId, options.clientId),
      clock: runtime.clock,
      inspect: runtime.inspect,
      input: {
        settings: {
          groupId: options.groupId,
          groupInstanceId: config.groupInstanceId,
          clientId: options.clientId,
          sessionTimeoutMs: config.sessionTimeoutMs,
          heartbeatIntervalMs: config.heartbeatIntervalMs,
          maxPollIntervalMs: config.maxPollIntervalMs,
          retryBackoffMs: config.retryBackoffMs,
          retryBackoffMaxMs: config.retryBackoffMaxMs,
          requestTimeoutMs: config.requestTimeoutMs,
          assignors: assignors.map((assignor) => assignor.name),
          rebalanceProtocol: this.rebalanceProtocol,
        },
        ports,
      },
    });
    const rename = runtime.inspect === undefined ? undefined : runtime.renameInspectedActor;
    this.renameInspected = rename === undefined ? undefined : (id) => rename(this.actor, id);
  }

  start(onEvent: MembershipEventHandler): void {
    this.actor.on('*', onEvent);
    if (this.renameInspected !== undefined) this.actor.subscribe((snapshot) => this.followMemberId(snapshot.context.memberId, groupStateName(snapshot)));
    this.actor.start();
  }

  subscribe(topics: readonly string[]): void {
    this.sendToMachine({ type: 'app.subscribe', topics });
  }

  /**
   * Kafka's poll() only notes the time for the poll timer (KIP-62); the machine hears of it only where
   * the application's turn moves the member on (a rejoin), not on every poll of a stable member.
   */
  poll(): void {
    this.lastPoll.poll(this.actor);
  }

  /** The machine looks at its generation again (losingAll when it went during the commit). */
  autoCommitDone(): void {
    this.sendToMachine({ type: 'app.autoCommitDone' });
  }

  revocationDone(owned: readonly TopicPartition[]): void {
    this.sendToMachine({ type: 'app.revocationDone', owned });
  }

  assignmentApplied(generation: number): void {
    this.sendToMachine({ type: 'app.assignmentApplied', generation });
  }

  metadataUpdated(): void {
    this.sendToMachine({ type: 'metadata.updated' });
  }

  coordinator(): CoordinatorNode | null {
    return this.actor.getSnapshot().context.coordinator;
  }

  coordinatorDiscovered(coordinator: CoordinatorNode): void {
    this.sendToMachine({ type: 'coordinator.discovered', coordinator });
  }

  coordinatorLost(url: string, reason: string): void {
    this.sendToMachine({ type: 'coordinator.lost', url, reason });
  }

  /** Kafka's `generationIfStable`: the member's generation while it has one, RebalanceInProgress while it joins or syncs. */
  commitPermission(): CommitPermission {
    const snapshot = this.actor.getSnapshot();
    const state = groupStateName(snapshot);
    const { generationId, memberId } = snapshot.context;
    if ((state === 'stable' || state === 'rebalancing') && generationId >= 0 && memberId !== '') return { kind: 'member', generation: { generationId, memberId } };
    if (state === 'joining' || state === 'syncing') return { kind: 'rebalancing' };
    return { kind: 'outside' };
  }

  commitRefused(errorName: string, sent: CommitGeneration): void {
    if (!REFUSALS.has(errorName)) return;
    this.sendToMachine({ type: 'commit.refused', errorName: errorName as 'ILLEGAL_GENERATION' | 'UNKNOWN_MEMBER_ID' | 'REBALANCE_IN_PROGRESS', sent });
  }

  /** Kafka's onLeavePrepare: lost when the member has no generation or is in the middle of a rebalance, else revoked. */
  releaseOnLeave(): ReleaseKind {
    const snapshot = this.actor.getSnapshot();
    const state = groupStateName(snapshot);
    const lost = snapshot.context.generationId < 0 || snapshot.context.memberId === '' || state === 'joining' || state === 'syncing';
    return lost ? 'lose' : 'revoke';
  }

  unsubscribe(): void {
    this.sendToMachine({ type: 'app.unsubscribe' });
  }

  close(): void {
    this.sendToMachine({ type: 'app.close' });
  }

  stop(): void {
    this.actor.stop();
  }

  membership(): MembershipView {
    const snapshot = this.actor.getSnapshot();
    return { protocol: 'classic', state: groupStateName(snapshot), generationId: snapshot.context.generationId, memberId: snapshot.context.memberId };
  }

  /**
   * Names the inspected actor after its member id, which is unique in the group where client ids often are
   * not (console consumers all default to `console-consumer`); back to the client id when the member id is
   * reset, unless the member is `dead` (closed or fenced for good): it ends under the last name it had.
   * Only on a change, so a member that keeps its id costs one string comparison per snapshot.
   */
  private followMemberId(memberId: string, state: ConsumerGroupStateName): void {
    if (this.renameInspected === undefined || memberId === this.inspectedMemberId) return;
    if (memberId === '' && state === 'dead') return;
    this.inspectedMemberId = memberId;
    this.renameInspected(actorIds.consumer(this.options.groupId, memberId === '' ? this.options.clientId : memberId));
  }

  private sendToMachine(event: ConsumerGroupEvent): void {
    if (this.actor.getSnapshot().status === 'active') this.actor.send(event);
  }

  private send<A extends GroupApi>(url: string, api: A, body: Parameters<ConsumerGroupPorts['request']>[2], onResult: (result: RpcResult<A>) => void, timeoutMs: number | undefined): void {
    // LeaveGroup is tracked so that close() can wait for it to leave the process before the connections close.
    let settle: () => void = () => undefined;
    if (api === 'leaveGroup') this.options.inFlight.add(new Promise<void>((resolve) => (settle = resolve)));
    this.options.cluster.send(url, api, body as never, (result: RpcResult<A>) => {
      settle();
      onResult(result);
    }, timeoutMs === undefined ? undefined : { timeoutMs });
  }
}
