/**
 * The dashboard's ClusterSource for a replayed simulated run (`kactor experiment replay --dashboard`): the
 * simulated brokers, alive or dead at the simulated time being played, and the groups as the run's trace
 * has them at that time (./simulated-groups.ts). The simulated cluster has no network address an admin
 * client could reach from the page's polls, so what only the admin API would tell (topics with leaders and
 * ISRs, transactions) is not shown: the page lists none rather than invent them. The actors and their
 * statecharts, what a replay is watched for, come through the actor directory.
 */
import type { ClusterJson, ClusterSource, GroupJson, GroupsJson, TransactionsJson } from './cluster-source.js';
import type { RecordedBroker } from './recorded-inspection.js';

export function simulatedClusterSource(brokers: () => readonly RecordedBroker[], nowMs: () => number, groups: () => GroupJson[]): ClusterSource {
  return {
    cluster: async (): Promise<ClusterJson> => {
      const timeMs = nowMs();
      const shown = brokers()
        .filter((broker) => (broker.lives[0]?.startedMs ?? Infinity) <= timeMs)
        .map((broker) => ({
          id: broker.id,
          url: `simulated://broker-${broker.id}`,
          alive: broker.lives.some((life) => life.startedMs <= timeMs && (life.stoppedMs === undefined || life.stoppedMs > timeMs)),
          controller: false,
        }));
      return { clusterId: null, controllerId: -1, brokers: shown, topics: [], topicsOmitted: 0, events: [], quorum: null };
    },
    groups: async (): Promise<GroupsJson> => ({ groups: groups(), groupsOmitted: 0 }),
    transactions: async (): Promise<TransactionsJson> => ({ transactions: [], transactionsOmitted: 0 }),
    group: async (groupId): Promise<GroupJson | null> => groups().find((group) => group.group === groupId) ?? null,
  };
}
