/**
 * Every statechart kactor has, by the name its exported files get. A new machine is one line here; a test
 * fails when a `*.machine.ts` file in the repository exports a machine this list lacks. `source` is the
 * file that defines it (for that test and for readers); `summary` introduces it in docs/STATECHARTS.md
 * when the machine's root has no `description` of its own.
 */
import {
  brokerMachine,
  consumerGroupMachine as consumerGroupCoordinatorMachine,
  controllerMachine,
  groupMachine,
  partitionMachine,
  raft,
  replicaFetcherMachine,
  transactionMachine,
} from '@kactor/broker';
import { consumerGroupMachine, consumerMembershipMachine, producerMachine, transactionManagerMachine } from '@kactor/client';
import type { AnyStateMachine } from 'xstate';

export interface StatechartEntry {
  machine: AnyStateMachine;
  source: string;
  summary: string;
}

export const STATECHARTS: Readonly<Record<string, StatechartEntry>> = {
  consumer: {
    machine: consumerGroupMachine,
    source: 'packages/client/src/consumer/group/consumer-group.machine.ts',
    summary:
      "A consumer's membership in its group (Kafka's classic protocol seen from the member): find the coordinator, join, sync, heartbeat, " +
      'and rejoin when the group rebalances, eagerly or cooperatively (KIP-429), as a dynamic or static member (KIP-345).',
  },
  'consumer-membership': {
    machine: consumerMembershipMachine,
    source: 'packages/client/src/consumer/group/consumer-protocol/consumer-membership.machine.ts',
    summary:
      "A consumer's membership with KIP-848's consumer protocol (group.protocol=consumer), in Kafka's MemberState names: UNSUBSCRIBED, JOINING, RECONCILING, " +
      'ACKNOWLEDGING, STABLE, FENCED, PREPARE_LEAVING, LEAVING and STALE; it heartbeats its subscription and reconciles towards the assignment the coordinator computed.',
  },
  producer: {
    machine: producerMachine,
    source: 'packages/client/src/producer/producer.machine.ts',
    summary: 'A producer: send() admitted at once or waiting (max.block.ms) for metadata or buffer.memory, records idle, sending or flushing, then closing and closed.',
  },
  'transaction-manager': {
    machine: transactionManagerMachine,
    source: 'packages/client/src/producer/transaction-manager.machine.ts',
    summary:
      "A producer's id, epoch and transactions (Kafka's TransactionManager states): UNINITIALIZED, INITIALIZING (InitProducerId), READY, IN_TRANSACTION, " +
      'COMMITTING_TRANSACTION, ABORTING_TRANSACTION, ABORTABLE_ERROR and FATAL_ERROR; an idempotent producer bumps its epoch in READY (KIP-360).',
  },
  'group-coordinator': {
    machine: groupMachine,
    source: 'packages/broker/src/coordinator/group.machine.ts',
    summary:
      "One consumer group on its coordinator, in Kafka's group states: Empty, PreparingRebalance (the first rebalance of an empty group waits " +
      'group.initial.rebalance.delay.ms), CompletingRebalance (the leader assigns), Stable, and Dead once deleted or moved.',
  },
  'consumer-group-coordinator': {
    machine: consumerGroupCoordinatorMachine,
    source: 'packages/broker/src/coordinator/consumer/consumer-group.machine.ts',
    summary:
      "One consumer group (KIP-848) on its coordinator, in Kafka's consumer group states: Empty, Assigning (the target assignment is behind the group epoch), " +
      'Reconciling (members move towards the target, revoking before anything is given), Stable, and Dead once deleted or moved.',
  },
  'transaction-coordinator': {
    machine: transactionMachine,
    source: 'packages/broker/src/transaction/transaction.machine.ts',
    summary:
      "One transactional id on its transaction coordinator, in Kafka's transaction states: Empty, Ongoing (partitions added), PrepareCommit or " +
      "PrepareAbort (markers to every partition), CompleteCommit or CompleteAbort, PrepareEpochFence while an open transaction's producer is fenced, " +
      'and Dead once the id expires. A state changes only when its __transaction_state record is written, so a new coordinator finishes what the old one began.',
  },
  broker: {
    machine: brokerMachine,
    source: 'packages/broker/src/broker/broker.machine.ts',
    summary: "A broker's lifecycle in Kafka's broker states (STARTING, RECOVERY, RUNNING, PENDING_CONTROLLED_SHUTDOWN, SHUTTING_DOWN, NOT_RUNNING), beside its heartbeat to the controller.",
  },
  controller: {
    machine: controllerMachine,
    source: 'packages/broker/src/controller/controller.machine.ts',
    summary:
      'The controller: registers and fences brokers, places partitions, elects leaders and publishes the metadata image, all by appending records to __cluster_metadata. ' +
      'In KRaft mode it runs on every voter of the controller quorum: Inactive (standby, replaying committed records) or Active while its node leads the Raft quorum.',
  },
  raft: {
    machine: raft.raftReplicaMachine,
    source: 'packages/broker/src/raft/raft-replica.machine.ts',
    summary:
      "One node's replica of the KRaft metadata log __cluster_metadata-0 (Kafka's QuorumState, KIP-595 and KIP-996's pre-vote): Unattached, " +
      'Prospective, Candidate, Leader, Follower or Resigned. Voters elect the leader, whose node runs the active controller; brokers observe.',
  },
  partition: {
    machine: partitionMachine,
    source: 'packages/broker/src/partition/partition.machine.ts',
    summary: 'One replica of a partition on a broker: as Leader it appends produced batches, tracks its followers, changes the ISR through the controller and advances the high watermark; as Follower it appends what the leader has and truncates a divergent tail.',
  },
  'replica-fetcher': {
    machine: replicaFetcherMachine,
    source: 'packages/broker/src/fetcher/replica-fetcher.machine.ts',
    summary: 'The follower side of replication: one Fetch at a time to a leader broker for every partition this broker follows there.',
  },
};

/** The introduction of a machine: its root's own description when it has one, else the summary above. */
export function introductionOf(entry: StatechartEntry): string {
  return entry.machine.root.description ?? entry.summary;
}
