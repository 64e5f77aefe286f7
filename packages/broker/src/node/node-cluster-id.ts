/**
 * Which cluster a node belongs to, decided once at start-up from its data directory (meta.properties) and what it
 * was told. With a single controller the controller makes the id up and brokers learn it when they register. A KRaft
 * node must know it before it can speak to the quorum (every Raft request carries it: INCONSISTENT_CLUSTER_ID), so
 * every node of the cluster is given the same one, as Kafka's `kafka-storage format --cluster-id` writes it.
 */
import type { QuorumVoter } from '@kactor/protocol';

export class BrokerStartupError extends Error {
  override readonly name = 'BrokerStartupError';
}

export interface ClusterIdChoice {
  /** The id in the node's meta.properties, if its data directory has one. */
  readonly stored: string | null;
  /** The id the node was started with (`--cluster-id`), if any. */
  readonly given: string | undefined;
  readonly kraft: boolean;
  readonly isController: boolean;
  newId(): string;
}

/** The cluster id to run with; null: a single-controller cluster's broker that learns it when it registers. */
export function chooseClusterId(choice: ClusterIdChoice): string | null {
  if (choice.kraft) {
    if (choice.stored !== null && choice.given !== undefined && choice.stored !== choice.given) {
      throw new BrokerStartupError(`the data directory belongs to cluster ${choice.stored}, not ${choice.given}`);
    }
    const clusterId = choice.stored ?? choice.given;
    if (clusterId === undefined) throw new BrokerStartupError('a KRaft node (controller.quorum.voters) needs a cluster id shared by every node (--cluster-id)');
    return clusterId;
  }
  if (choice.stored !== null) return choice.stored;
  return choice.isController ? (choice.given ?? choice.newId()) : (choice.given ?? null);
}

/** A KRaft node runs the controller exactly when it is one of the voters (a static quorum: KIP-595). */
export function checkKraftRoles(nodeId: number, voters: readonly QuorumVoter[], isController: boolean): void {
  const isVoter = voters.some((voter) => voter.id === nodeId);
  if (isVoter && !isController) throw new BrokerStartupError(`node ${nodeId} is one of controller.quorum.voters, so process.roles must include controller`);
  if (!isVoter && isController) throw new BrokerStartupError(`node ${nodeId} has the controller role but is not one of controller.quorum.voters (${voters.map((voter) => voter.id).join(',')})`);
}
