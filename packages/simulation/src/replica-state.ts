/**
 * What a SimulatedCluster's replicas of a partition look like right now, for replication experiments: the
 * controller's record of the partition (the truth: leader, leader epoch, ISR), each running broker's replica
 * (role, leader epoch, high watermark, log end), whether the replicas have converged, and a sampler that feeds
 * every leader epoch it sees into an EpochWatch so an epoch going back anywhere is caught.
 */
import type { Clock, TimerHandle } from '@kactor/runtime';
import type { EpochWatch } from './checkers/epochs.js';
import type { SimulatedCluster } from './simulated-cluster.js';

export interface ControllerPartitionRecord {
  /** -1 when the partition is offline. */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
}

export interface ReplicaView {
  brokerId: number;
  /** The partition actor's state: `Leader`, `Follower`, `Offline`, ... */
  state: string;
  leaderEpoch: number;
  highWatermark: number;
  logEndOffset: number;
}

/** The partition as the controller's metadata image records it; undefined before it exists there. */
export function controllerRecord(cluster: SimulatedCluster, topic: string, partition: number): ControllerPartitionRecord | undefined {
  // In KRaft mode the active controller's own broker has applied everything committed that the others may not have yet.
  const controllerId = cluster.activeControllerId();
  if (controllerId === undefined) return undefined;
  const image = cluster.node(controllerId).broker.getSnapshot().context.image;
  const found = image?.topics.find((candidate) => candidate.name === topic)?.partitions[partition];
  return found === undefined ? undefined : { leader: found.leader, leaderEpoch: found.leaderEpoch, replicas: [...found.replicas], isr: [...found.isr] };
}

/** Each running broker's replica of the partition (brokers not hosting it are left out). */
export function replicaViews(cluster: SimulatedCluster, topic: string, partition: number): ReplicaView[] {
  return cluster.brokerIds.flatMap((brokerId) => {
    if (!cluster.isRunning(brokerId)) return [];
    const view = cluster.node(brokerId).partitions.view(topic, partition);
    if (view === undefined) return [];
    const { leaderEpoch, highWatermark, ports } = view.context;
    return [{ brokerId, state: view.state, leaderEpoch, highWatermark, logEndOffset: ports.log.logEndOffset }];
  });
}

/**
 * Converged: the partition has a leader that leads in the controller's current epoch, every replica is in the ISR,
 * running and in that epoch, and every replica holds the leader's whole log and knows its high watermark.
 */
export function replicasConverged(cluster: SimulatedCluster, topic: string, partition: number): boolean {
  const record = controllerRecord(cluster, topic, partition);
  if (record === undefined || record.leader === -1 || record.isr.length !== record.replicas.length) return false;
  const views = replicaViews(cluster, topic, partition);
  const leader = views.find((view) => view.brokerId === record.leader);
  if (leader === undefined || leader.state !== 'Leader' || views.length !== record.replicas.length) return false;
  return views.every(
    (view) =>
      view.leaderEpoch === record.leaderEpoch &&
      view.logEndOffset === leader.logEndOffset &&
      view.highWatermark === leader.logEndOffset &&
      (view.brokerId === leader.brokerId || view.state === 'Follower'),
  );
}

/**
 * Feeds `watch` the leader epoch of each partition as the controller and every running replica see it, every
 * `intervalMs` of virtual time until `stop()`. A broker is one observer across its restarts: it learns its epochs
 * from the controller, whose epochs only rise, so even a restarted broker must never see an older one.
 */
export function sampleLeaderEpochs(
  cluster: SimulatedCluster,
  topic: string,
  partitions: number,
  watch: EpochWatch,
  intervalMs = 100,
  clock: Clock = cluster.clock,
): { sampleNow(): void; stop(): void } {
  let timer: TimerHandle | undefined;
  let stopped = false;
  const sampleNow = (): void => {
    for (let partition = 0; partition < partitions; partition += 1) {
      const key = `${topic}-${partition}`;
      const record = controllerRecord(cluster, topic, partition);
      if (record !== undefined) watch.observe(key, record.leaderEpoch, 'controller');
      for (const view of replicaViews(cluster, topic, partition)) watch.observe(key, view.leaderEpoch, `broker-${view.brokerId}`);
    }
  };
  const tick = (): void => {
    if (stopped) return;
    sampleNow();
    timer = clock.setTimeout(tick, intervalMs);
  };
  tick();
  return {
    sampleNow,
    stop: () => {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
  };
}

/** One line per partition: the controller's record and each running replica's view, for a failing run's report. */
export function describeReplicas(cluster: SimulatedCluster, topic: string, partitions: number): string {
  return Array.from({ length: partitions }, (_, partition) => {
    const record = controllerRecord(cluster, topic, partition);
    const views = replicaViews(cluster, topic, partition).map((view) => `${view.brokerId}:${view.state}@${view.leaderEpoch} hw=${view.highWatermark} leo=${view.logEndOffset}`);
    return `${topic}-${partition}: controller ${JSON.stringify(record)}; replicas ${views.join(', ')}`;
  }).join('\n');
}
