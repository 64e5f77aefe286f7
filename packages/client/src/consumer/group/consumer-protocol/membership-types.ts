/**
 * The KIP-848 member's data: its settings, the ports it talks through, what it remembers (the machine's
 * context), the events that drive it and the events it emits to its host. The machine itself is in
 * consumer-membership.machine.ts.
 * KIP-848: https://cwiki.apache.org/confluence/display/KAFKA/KIP-848%3A+The+Next+Generation+of+the+Consumer+Rebalance+Protocol
 */
import type { RequestBody } from '@kactor/protocol';
import type { Clock, Logger, Random, RpcResult } from '@kactor/runtime';
import type { TopicPartition } from '../../../topic-partition.js';
import type { ConsumerMemberStateName, ReleaseKind } from '../group-membership.js';
import type { CoordinatorNode, GroupOutcome } from '../group-types.js';
import type { RebalanceTrigger } from '../rebalance-record.js';
import type { HeartbeatFields } from './heartbeat-request.js';
import type { OwnedPartition } from './reconciliation.js';

/** The member's settings, by their Kafka names (camelCase). */
export interface ConsumerMembershipSettings {
  /** group.id */
  readonly groupId: string;
  /** group.instance.id: a static member; null for a dynamic one. */
  readonly groupInstanceId: string | null;
  /** client.rack; null when not set. */
  readonly rackId: string | null;
  /** max.poll.interval.ms: sent as the member's rebalance timeout, and the poll timer. */
  readonly maxPollIntervalMs: number;
  /** group.remote.assignor: null lets the coordinator pick. */
  readonly serverAssignor: string | null;
  /** retry.backoff.ms */
  readonly retryBackoffMs: number;
  /** retry.backoff.max.ms */
  readonly retryBackoffMaxMs: number;
  /**
   * The member id, generated once by the client (KIP-1082) and kept for the consumer's life, across
   * fencing and rejoins.
   */
  readonly memberId: string;
}

/** How the member reaches the cluster and its metadata. Results come back through callbacks, turned into events. */
export interface ConsumerMembershipPorts {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** FindCoordinator to any broker. */
  findCoordinator(body: RequestBody<'findCoordinator'>, onResult: (result: RpcResult<'findCoordinator'>) => void): void;
  /** A ConsumerGroupHeartbeat to the coordinator at `url`. */
  heartbeat(url: string, body: RequestBody<'consumerGroupHeartbeat'>, onResult: (result: RpcResult<'consumerGroupHeartbeat'>) => void): void;
  /** The name of the topic with this id in the member's metadata, or undefined when unknown. */
  topicName(topicId: string): string | undefined;
  /** Asks for fresh metadata (a topic id of the assignment is unknown); `metadata.updated` follows. */
  requestMetadata(topicIds: readonly string[]): void;
  /** When the application last called poll() (null: never); the poll timer reads it when it fires (poll-timer.ts). */
  lastPollMs(): number | null;
}

export interface ConsumerMembershipInput {
  readonly settings: ConsumerMembershipSettings;
  readonly ports: ConsumerMembershipPorts;
}

/** A reconciliation under way: what the consumer gives up, then what it adds, to own `assignment`. */
export interface Reconciliation {
  readonly revoked: readonly OwnedPartition[];
  readonly added: readonly OwnedPartition[];
  /** What the member owns once it is done (the resolvable part of the target). */
  readonly assignment: readonly OwnedPartition[];
  /** The member epoch of the target, for the lifecycle events. */
  readonly memberEpoch: number;
}

/** A heartbeat in flight: its number, and the fields it carried (they become the acknowledged ones on success). */
export interface PendingHeartbeat {
  readonly sequence: number;
  readonly fields: HeartbeatFields;
  readonly memberEpoch: number;
}

/** Why the member leaves: the host closes the consumer, or the application unsubscribed. */
export type LeaveReason = 'unsubscribe' | 'close';

export interface ConsumerMembershipContext extends ConsumerMembershipInput {
  /** Subscribed topics, sorted. */
  readonly subscription: readonly string[];
  readonly coordinator: CoordinatorNode | null;
  /** The member epoch from the coordinator's last answer (0 to join). */
  readonly memberEpoch: number;
  /** The heartbeat interval the coordinator asked for (group.consumer.heartbeat.interval.ms); 0 before its first answer. */
  readonly heartbeatIntervalMs: number;
  /** The last assignment the coordinator sent, by topic id (null: none yet since joining). */
  readonly target: RequestBody<'consumerGroupHeartbeat'>['topicPartitions'];
  /** The member epoch the target came with. */
  readonly targetEpoch: number;
  /** The partitions the member owns, as the consumer applied them. */
  readonly owned: readonly OwnedPartition[];
  readonly reconciliation: Reconciliation | null;
  /** Topic ids of the target the metadata does not name yet (Kafka waits for metadata to resolve them). */
  readonly unresolvedTopicIds: readonly string[];
  /** The fields the coordinator last acknowledged (Kafka's sentFields); null: send every field next time. */
  readonly sentFields: HeartbeatFields | null;
  readonly requestSequence: number;
  readonly pendingFind: number | null;
  readonly pendingHeartbeat: PendingHeartbeat | null;
  /** The leave heartbeat LEAVING waits for (any answer, or its failure, ends the leave). */
  readonly pendingLeave: number | null;
  /**
   * Numbers the revocation and assignment requests emitted to the host, so that the answer to one
   * abandoned meanwhile (the member was fenced while the consumer revoked) is not taken for the next.
   */
  readonly hostRequest: number;
  /** The last state announced to the host (a state event per state entered, even one left in the same step). */
  readonly announcedState: ConsumerMemberStateName;
  /** Whether the member is between rebalance.started and rebalance.ended. */
  readonly inRebalance: boolean;
  /** When the last heartbeat went out: the next is due heartbeatIntervalMs after it. */
  readonly lastHeartbeatMs: number;
  /** When the member last (re)joined: max.poll.interval.ms counts from it or the last poll(), whichever is later. */
  readonly pollTimerStartMs: number;
  /** Consecutive failures (lookup or heartbeat), for the exponential backoff. */
  readonly failures: number;
  readonly leaving: LeaveReason | null;
  /** Why the member is out for good (FATAL): thrown by poll(). */
  readonly fatalError: unknown;
}

/** A response as data, as the classic member reads it. */
export type HeartbeatOutcome = GroupOutcome<'consumerGroupHeartbeat'>;

export type ConsumerMembershipEvent =
  /** The application subscribed to these topics (a pattern's current matches); empty means none. */
  | { type: 'app.subscribe'; topics: readonly string[] }
  /** The application unsubscribed (or the consumer closes): revoke, then leave. */
  | { type: 'app.unsubscribe' }
  | { type: 'app.close' }
  /**
   * The application called poll() while the member waits for it (states tagged MOVED_BY_POLL_TAG): a STALE
   * member rejoins. The host notes every poll()'s time for the poll timer (ports.lastPollMs) and sends this only then.
   */
  | { type: 'app.poll' }
  /** The consumer ran the revocation (or loss) the member asked for with revocation.requested. */
  | { type: 'app.revocationDone'; request: number }
  /** The consumer applied the assignment the member offered with assignment.ready. */
  | { type: 'app.assignmentApplied'; request: number }
  /** The member's metadata changed: topic ids of the target may resolve now. */
  | { type: 'metadata.updated' }
  /** The offsets path found the coordinator on its own. */
  | { type: 'coordinator.discovered'; coordinator: CoordinatorNode }
  /** The offsets path was told NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE, or lost the connection. */
  | { type: 'coordinator.lost'; url: string; reason: string }
  | { type: 'response.findCoordinator'; sequence: number; outcome: GroupOutcome<'findCoordinator'> }
  | { type: 'response.heartbeat'; sequence: number; outcome: HeartbeatOutcome }
  /** The heartbeat interval (or a retry backoff) passed. */
  | { type: 'timer.heartbeatDue' }
  /** The poll timer fired: the member goes STALE if max.poll.interval.ms passed without poll(). */
  | { type: 'timer.pollExpired' };

/**
 * What the member tells its host (emitted), in the shape of the membership seam's events
 * (group-membership.ts) plus the number of each request: the consumer does the revocation and the
 * assignment on the application's turn (poll) and the membership answers app.revocationDone /
 * app.assignmentApplied with that number. `kind: 'lose'`: the member lost its epoch (fenced, stale): the
 * partitions may already be someone else's, so onPartitionsLost runs and nothing is committed for them.
 */
export type ConsumerMembershipEmitted =
  | {
      type: 'revocation.requested';
      request: number;
      kind: ReleaseKind;
      partitions: readonly TopicPartition[];
      autoCommitFirst: boolean;
      notifyWhenEmpty: false;
      thenAssign: null;
      reason: string;
    }
  | { type: 'assignment.ready'; request: number; partitions: readonly TopicPartition[]; added: readonly TopicPartition[]; generation: number; watchTopics: readonly string[] }
  | { type: 'state'; from: ConsumerMemberStateName; to: ConsumerMemberStateName; generation: number }
  | { type: 'rebalance.started'; trigger: RebalanceTrigger; reason: string }
  | { type: 'rebalance.joined'; generation: number }
  | { type: 'rebalance.ended'; completed: boolean }
  | { type: 'error'; error: unknown; fatal: boolean };
