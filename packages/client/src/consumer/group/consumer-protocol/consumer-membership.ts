/**
 * KIP-848's side of the membership seam (group-membership.ts): runs the consumer membership statechart
 * (consumer-membership.machine.ts) and turns what it emits into the seam's events, and what the consumer
 * does into the machine's events. Chosen by group.protocol=consumer.
 * KIP-848: https://cwiki.apache.org/confluence/display/KAFKA/KIP-848%3A+The+Next+Generation+of+the+Consumer+Rebalance+Protocol
 *
 * The member id is generated here once, from the runtime's ids (KIP-1082: the client names itself), and
 * kept for the consumer's life, through fencing and rejoins.
 */
import { memberEpochs, type RequestBody } from '@kactor/protocol';
import { actorIds, type RpcResult } from '@kactor/runtime';
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import type { TopicPartition } from '../../../topic-partition.js';
import type { MembershipHostOptions } from '../classic-membership.js';
import type { CommitGeneration } from '../group-offsets.js';
import type {
  CommitPermission,
  ConsumerMemberStateName,
  GroupMembership,
  MembershipEvent,
  MembershipEventHandler,
  MembershipView,
  ReleaseKind,
} from '../group-membership.js';
import type { CoordinatorNode } from '../group-types.js';
import { LastPoll } from '../poll-timer.js';
import { consumerMembershipMachine } from './consumer-membership.machine.js';
import type { ConsumerMembershipEmitted, ConsumerMembershipEvent } from './membership-types.js';

/** What the consumer gives a membership of either protocol (see classic-membership.ts). */
export type ConsumerMembershipOptions = Pick<MembershipHostOptions, 'groupId' | 'config' | 'cluster' | 'runtime' | 'logger' | 'inFlight'>;

type MembershipSnapshot = SnapshotFrom<typeof consumerMembershipMachine>;

/** The top state's name (RECONCILING and STALE have sub-states). */
export function memberStateName(snapshot: MembershipSnapshot): ConsumerMemberStateName {
  const value = snapshot.value;
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as ConsumerMemberStateName;
}

/** The states in which the member holds an epoch the coordinator accepts commits in. */
const inGroupStates: ReadonlySet<ConsumerMemberStateName> = new Set(['RECONCILING', 'ACKNOWLEDGING', 'STABLE', 'PREPARE_LEAVING']);

export class ConsumerMembership implements GroupMembership {
  readonly protocol = 'consumer' as const;
  /** KIP-848 reconciles incrementally: only what moves is revoked, as with COOPERATIVE. */
  readonly rebalanceProtocol = 'COOPERATIVE' as const;
  readonly memberId: string;
  private readonly actor: Actor<typeof consumerMembershipMachine>;
  private onEvent: MembershipEventHandler = () => undefined;
  /** The machine's number of the revocation and assignment the consumer was asked for and has not answered yet. */
  private pendingRevocation: { request: number; partitions: readonly TopicPartition[] } | null = null;
  private pendingAssignment: { request: number; generation: number } | null = null;
  /** The consumer released its partitions itself before leaving (releaseOnLeave): the machine's leave revocation is answered here. */
  private released = false;
  private everJoined = false;
  /** When the application last called poll(), for the machine's poll timer. */
  private readonly lastPoll: LastPoll;
  /** Topic names by id, rebuilt when the metadata changes. */
  private topicNames: { version: number; byId: Map<string, string> } = { version: -1, byId: new Map() };

  constructor(private readonly options: ConsumerMembershipOptions) {
    const { config, runtime, cluster, logger, groupId } = options;
    this.lastPoll = new LastPoll(runtime.clock);
    this.memberId = runtime.ids.next();
    this.actor = createActor(consumerMembershipMachine, {
      id: actorIds.consumer(groupId, this.memberId),
      clock: runtime.clock,
      inspect: runtime.inspect,
      input: {
        settings: {
          groupId,
          groupInstanceId: config.groupInstanceId,
          rackId: null,
          maxPollIntervalMs: config.maxPollIntervalMs,
          serverAssignor: config.groupRemoteAssignor,
          retryBackoffMs: config.retryBackoffMs,
          retryBackoffMaxMs: config.retryBackoffMaxMs,
          memberId: this.memberId,
        },
        ports: {
          clock: runtime.clock,
          random: runtime.random,
          logger,
          findCoordinator: (body, onResult) => cluster.send(cluster.anyBrokerUrl(), 'findCoordinator', body, onResult, { timeoutMs: config.requestTimeoutMs }),
          heartbeat: (url, body, onResult) => this.sendHeartbeat(url, body, onResult),
          topicName: (topicId) => this.topicNameOf(topicId),
          requestMetadata: () => cluster.requestMetadataUpdate({ immediately: true }),
          lastPollMs: () => this.lastPoll.lastPollMs(),
        },
      },
    });
  }

  start(onEvent: MembershipEventHandler): void {
    this.onEvent = onEvent;
    this.actor.on('*', (event) => this.onEmitted(event));
    this.actor.start();
  }

  subscribe(topics: readonly string[]): void {
    this.released = false;
    this.send({ type: 'app.subscribe', topics });
  }

  /** Kafka's poll() only notes the time for the poll timer; the machine hears of it only where it moves the member on (a STALE member rejoins). */
  poll(): void {
    this.lastPoll.poll(this.actor);
  }

  /**
   * Nothing to ask the machine: a member fenced (or gone stale) during the commit has left RECONCILING
   * and asked for the loss already with a newer request, which replaced the pending one at the consumer,
   * as Kafka's reconciliation stops after its commit when the member is no longer reconciling.
   */
  autoCommitDone(): void {}

  /**
   * The consumer gave partitions up. It answers the revocation it started with, which may be older than
   * the one pending here (the member was fenced meanwhile): only when none of the pending one's partitions
   * is still held is it done; else the consumer runs it on its next poll() and answers again.
   */
  revocationDone(owned: readonly TopicPartition[]): void {
    const pending = this.pendingRevocation;
    if (pending === null) return;
    const held = new Set(owned.map((tp) => `${tp.topic}\u0000${tp.partition}`));
    if (pending.partitions.some((tp) => held.has(`${tp.topic}\u0000${tp.partition}`))) return;
    this.pendingRevocation = null;
    this.send({ type: 'app.revocationDone', request: pending.request });
  }

  assignmentApplied(generation: number): void {
    const pending = this.pendingAssignment;
    if (pending === null || pending.generation !== generation) return;
    this.pendingAssignment = null;
    this.send({ type: 'app.assignmentApplied', request: pending.request });
  }

  metadataUpdated(): void {
    this.send({ type: 'metadata.updated' });
  }

  coordinator(): CoordinatorNode | null {
    return this.actor.getSnapshot().context.coordinator;
  }

  coordinatorDiscovered(coordinator: CoordinatorNode): void {
    this.send({ type: 'coordinator.discovered', coordinator });
  }

  coordinatorLost(url: string, reason: string): void {
    this.send({ type: 'coordinator.lost', url, reason });
  }

  /** KIP-848 commits carry the member epoch (OffsetCommit's generationIdOrMemberEpoch) and the client's member id. */
  commitPermission(): CommitPermission {
    const snapshot = this.actor.getSnapshot();
    const state = memberStateName(snapshot);
    const epoch = snapshot.context.memberEpoch;
    if (inGroupStates.has(state) && epoch > 0) return { kind: 'member', generation: { generationId: epoch, memberId: this.memberId } };
    if (state === 'JOINING') return { kind: 'rebalancing' };
    return { kind: 'outside' };
  }

  /**
   * A refused commit changes nothing here: STALE_MEMBER_EPOCH means the next heartbeat brings the new
   * epoch, and FENCED_MEMBER_EPOCH / UNKNOWN_MEMBER_ID reach the member through its own heartbeat.
   */
  commitRefused(errorName: string, sent: CommitGeneration): void {
    this.options.logger.debug({ group: this.options.groupId, error: errorName, memberEpoch: sent.generationId }, 'an offset commit was refused');
  }

  releaseOnLeave(): ReleaseKind {
    const snapshot = this.actor.getSnapshot();
    return inGroupStates.has(memberStateName(snapshot)) && snapshot.context.memberEpoch > 0 ? 'revoke' : 'lose';
  }

  unsubscribe(): void {
    this.released = true;
    this.send({ type: 'app.unsubscribe' });
  }

  close(): void {
    this.released = true;
    this.send({ type: 'app.close' });
  }

  stop(): void {
    this.onEvent = () => undefined;
    this.actor.stop();
  }

  membership(): MembershipView {
    const snapshot = this.actor.getSnapshot();
    const state = memberStateName(snapshot);
    const left = state === 'UNSUBSCRIBED' && this.everJoined;
    return { protocol: 'consumer', state, generationId: left ? -1 : snapshot.context.memberEpoch, memberId: this.memberId };
  }

  /** The fatal error the member ended with, if any. */
  fatalError(): unknown {
    return this.actor.getSnapshot().context.fatalError;
  }

  /** A leave heartbeat is tracked so that close() can wait for it to leave the process before the connections close. */
  private sendHeartbeat(url: string, body: RequestBody<'consumerGroupHeartbeat'>, onResult: (result: RpcResult<'consumerGroupHeartbeat'>) => void): void {
    let settle: () => void = () => undefined;
    if (body.memberEpoch === memberEpochs.leave || body.memberEpoch === memberEpochs.leaveStatic) this.options.inFlight.add(new Promise<void>((resolve) => (settle = resolve)));
    this.options.cluster.send(
      url,
      'consumerGroupHeartbeat',
      body,
      (result) => {
        settle();
        onResult(result);
      },
      { timeoutMs: this.options.config.requestTimeoutMs },
    );
  }

  private send(event: ConsumerMembershipEvent): void {
    if (this.actor.getSnapshot().status === 'active') this.actor.send(event);
  }

  private onEmitted(event: ConsumerMembershipEmitted): void {
    switch (event.type) {
      case 'state':
        if (event.to === 'JOINING') this.everJoined = true;
        this.emit({ type: 'state', from: event.from, to: event.to, generation: event.generation });
        return;
      case 'revocation.requested': {
        this.pendingAssignment = null;
        // Leaving: the consumer gave its partitions up already (releaseOnLeave), so the machine's revocation is done.
        if (this.released) {
          this.send({ type: 'app.revocationDone', request: event.request });
          return;
        }
        this.pendingRevocation = { request: event.request, partitions: event.partitions };
        const { kind, partitions, autoCommitFirst, notifyWhenEmpty, thenAssign } = event;
        this.emit({ type: 'revocation.requested', kind, partitions, autoCommitFirst, notifyWhenEmpty, thenAssign });
        return;
      }
      case 'assignment.ready':
        this.pendingAssignment = { request: event.request, generation: event.generation };
        this.emit({ type: 'assignment.ready', partitions: event.partitions, generation: event.generation, watchTopics: event.watchTopics });
        return;
      case 'rebalance.started':
        this.emit({ type: 'rebalance.started', trigger: event.trigger, reason: event.reason });
        return;
      case 'rebalance.joined':
        this.emit({ type: 'rebalance.joined', generation: event.generation });
        return;
      case 'rebalance.ended':
        this.emit({ type: 'rebalance.ended', completed: event.completed });
        return;
      case 'error':
        this.emit({ type: 'error', error: event.error, fatal: event.fatal });
        return;
    }
  }

  private emit(event: MembershipEvent): void {
    this.onEvent(event);
  }

  private topicNameOf(topicId: string): string | undefined {
    const { cluster } = this.options;
    if (this.topicNames.version !== cluster.metadataVersion) {
      const byId = new Map<string, string>();
      for (const topic of cluster.metadata.topics.values()) if (topic.topicId !== null) byId.set(topic.topicId, topic.name);
      this.topicNames = { version: cluster.metadataVersion, byId };
    }
    return this.topicNames.byId.get(topicId);
  }
}
