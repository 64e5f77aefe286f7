/**
 * Kafka's ReplicaFetcherManager: keeps one replica fetcher per leader broker, and moves a partition to the fetcher of
 * its leader whenever the partition's actor says it follows a new one (its `partition.roleChanged`), or off every
 * fetcher when it leads, has no leader or stops. Fetchers are root actors on the node's clock, like partitions.
 */
import type { MetadataImage } from '@kactor/protocol';
import { actorIds, type Clock, type Logger, type PeerRequester } from '@kactor/runtime';
import { createActor, type ActorRefFrom, type InspectionEvent } from 'xstate';
import { replicaFetcherMachine, type FollowedPartition, type FollowerFetchState, type ReplicaFetcherConfig } from '../fetcher/replica-fetcher.machine.js';
import type { FollowerFetchResponse, PartitionEmitted } from '../partition/partition-types.js';
import { partitionKey, type PartitionHost } from './partition-host.js';

type FetcherActor = ActorRefFrom<typeof replicaFetcherMachine>;

export interface ReplicaFetcherManagerOptions {
  brokerId: number;
  clock: Clock;
  logger: Logger;
  peers: PeerRequester;
  config: ReplicaFetcherConfig;
  partitions: PartitionHost;
  currentImage(): MetadataImage | null;
  brokerEpoch(): number;
  onFatalError(error: unknown): void;
  inspect?: ((event: InspectionEvent) => void) | undefined;
}

interface Fetcher {
  actor: FetcherActor;
  leaderUrl: string;
  partitions: Map<string, FollowedPartition>;
}

export class ReplicaFetcherManager {
  private readonly fetchers = new Map<number, Fetcher>();

  constructor(private readonly options: ReplicaFetcherManagerOptions) {}

  /** Follows the partition actors' role changes (wired to PartitionHost's `onRoleChanged`). */
  onRoleChanged(event: Extract<PartitionEmitted, { type: 'partition.roleChanged' }>): void {
    const followed = { topic: event.topic, partition: event.partition };
    const keyOf = partitionKey(event.topic, event.partition);
    for (const [leaderId, fetcher] of this.fetchers) {
      if (event.role === 'Follower' && leaderId === event.leader) continue;
      if (fetcher.partitions.delete(keyOf)) this.publish(fetcher);
    }
    if (event.role !== 'Follower') return;
    const fetcher = this.fetcherFor(event.leader);
    if (fetcher === undefined) return;
    if (!fetcher.partitions.has(keyOf)) {
      fetcher.partitions.set(keyOf, followed);
      this.publish(fetcher);
    }
  }

  /** A followed partition could not use its share of an answer: its fetcher leaves it out for a while. */
  onFollowerFetchFailed(event: Extract<PartitionEmitted, { type: 'replica.fetchFailed' }>): void {
    const keyOf = partitionKey(event.topic, event.partition);
    for (const fetcher of this.fetchers.values()) {
      if (fetcher.partitions.has(keyOf)) fetcher.actor.send({ type: 'fetcher.partitionFailed', partition: { topic: event.topic, partition: event.partition } });
    }
  }

  /** Partitions followed per leader, for describing the broker. */
  followedPartitions(): Record<number, FollowedPartition[]> {
    return Object.fromEntries([...this.fetchers].map(([leaderId, fetcher]) => [leaderId, [...fetcher.partitions.values()]]));
  }

  stopAll(): void {
    for (const fetcher of this.fetchers.values()) {
      fetcher.actor.send({ type: 'fetcher.stop' });
      fetcher.actor.stop();
    }
    this.fetchers.clear();
  }

  private publish(fetcher: Fetcher): void {
    fetcher.actor.send({ type: 'fetcher.partitionsChanged', partitions: [...fetcher.partitions.values()] });
  }

  /** The fetcher for a leader, created on first use; a leader that re-registered at another address gets a new one. */
  private fetcherFor(leaderId: number): Fetcher | undefined {
    const leaderUrl = this.options.currentImage()?.brokers.find((broker) => broker.brokerId === leaderId)?.url;
    if (leaderUrl === undefined) {
      this.options.logger.warn({ leaderId }, 'the leader is not in the metadata image: cannot follow it yet');
      return undefined;
    }
    const existing = this.fetchers.get(leaderId);
    if (existing !== undefined && existing.leaderUrl === leaderUrl) return existing;
    const partitions = existing?.partitions ?? new Map<string, FollowedPartition>();
    if (existing !== undefined) {
      existing.actor.send({ type: 'fetcher.stop' });
      existing.actor.stop();
    }
    const { options } = this;
    const actor = createActor(replicaFetcherMachine, {
      id: actorIds.replicaFetcher(options.brokerId, leaderId),
      clock: options.clock,
      inspect: options.inspect,
      input: {
        brokerId: options.brokerId,
        leaderId,
        leaderUrl,
        config: options.config,
        ports: {
          peers: options.peers,
          logger: options.logger.child({ actor: actorIds.replicaFetcher(options.brokerId, leaderId) }),
          brokerEpoch: options.brokerEpoch,
          fetchStateOf: (partition) => this.fetchStateOf(leaderId, partition),
          deliver: (partition, response: FollowerFetchResponse) => options.partitions.deliverFollowerFetchResponse(partition.topic, partition.partition, response),
        },
      },
    });
    actor.subscribe({ error: (error) => options.onFatalError(error) });
    const fetcher: Fetcher = { actor, leaderUrl, partitions };
    this.fetchers.set(leaderId, fetcher);
    actor.start();
    if (partitions.size > 0) this.publish(fetcher);
    return fetcher;
  }

  private fetchStateOf(leaderId: number, followed: FollowedPartition): FollowerFetchState | undefined {
    const view = this.options.partitions.view(followed.topic, followed.partition);
    if (view === undefined || view.state !== 'Follower' || view.context.leader !== leaderId) return undefined;
    const { log } = view.context.ports;
    return {
      currentLeaderEpoch: view.context.leaderEpoch,
      fetchOffset: log.logEndOffset,
      lastFetchedEpoch: log.leaderEpochCache.latestEpoch ?? -1,
      logStartOffset: log.logStartOffset,
    };
  }
}
