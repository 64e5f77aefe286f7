/**
 * A replica fetcher (Kafka's ReplicaFetcherThread): the follower side of replication for every partition this broker
 * follows on one leader broker. It sends that leader one Fetch at a time for all of them, with this broker's replica id
 * and broker epoch (KIP-903) and, per partition, the follower's log end offset, its last epoch (for divergence
 * detection, KAFKA-10554) and the leader epoch it follows (KIP-320); it hands each partition's answer to that
 * partition's actor, which appends, truncates or learns the HW, and fetches again at once. A failed request, or an
 * answer in which every partition failed, waits replica.fetch.backoff.ms first; a partition that failed on its own
 * (an error from the leader, or batches this replica could not append) sits out for replica.fetch.backoff.ms while the
 * others go on (Kafka's delayPartitions), so a broken partition never turns the fetcher into a busy loop.
 */
import type { ErrorName, RequestBody } from '@kactor/protocol';
import { errorByCode } from '@kactor/protocol';
import type { Logger, PeerRequester, RpcResult } from '@kactor/runtime';
import { and, assign, enqueueActions, setup } from 'xstate';
import type { FollowerFetchResponse } from '../partition/partition-types.js';

export interface ReplicaFetcherConfig {
  /** replica.fetch.wait.max.ms: how long the leader may hold a fetch that has nothing new. */
  replicaFetchWaitMaxMs: number;
  /** replica.fetch.min.bytes */
  replicaFetchMinBytes: number;
  /** replica.fetch.max.bytes: per partition. */
  replicaFetchMaxBytes: number;
  /** replica.fetch.response.max.bytes: for the whole answer. */
  replicaFetchResponseMaxBytes: number;
  /** replica.fetch.backoff.ms: the pause after a failed fetch. */
  replicaFetchBackoffMs: number;
}

/** Where a followed partition stands, read from its actor when each request is built. */
export interface FollowerFetchState {
  currentLeaderEpoch: number;
  fetchOffset: number;
  lastFetchedEpoch: number;
  logStartOffset: number;
}

export interface FollowedPartition {
  topic: string;
  partition: number;
}

export interface ReplicaFetcherInput {
  brokerId: number;
  leaderId: number;
  leaderUrl: string;
  config: ReplicaFetcherConfig;
  ports: {
    peers: PeerRequester;
    logger: Logger;
    /** This broker's registration epoch, or -1 before it has one. */
    brokerEpoch(): number;
    /** Undefined when the partition no longer follows this leader (the metadata moved on): it is left out. */
    fetchStateOf(partition: FollowedPartition): FollowerFetchState | undefined;
    deliver(partition: FollowedPartition, response: FollowerFetchResponse): void;
  };
}

interface InFlightPartition extends FollowedPartition {
  requestLeaderEpoch: number;
  fetchOffset: number;
}

export interface ReplicaFetcherContext extends ReplicaFetcherInput {
  partitions: FollowedPartition[];
  /** Partitions sitting out replica.fetch.backoff.ms after a failure of their own (keys `topic-partition`). */
  delayed: string[];
  /** The partitions of the request in flight, with where each asked from; empty when none is. */
  inFlight: InFlightPartition[];
  requestSequence: number;
  /** Consecutive failed requests, for logging once per outage rather than per attempt. */
  failures: number;
}

export type ReplicaFetcherEvent =
  | { type: 'fetcher.partitionsChanged'; partitions: FollowedPartition[] }
  | { type: 'fetch.responded'; requestSequence: number; result: RpcResult<'fetch'> }
  /** The partition's actor could not use its share of an answer (a corrupt batch, a gap, a full disk). */
  | { type: 'fetcher.partitionFailed'; partition: FollowedPartition }
  | { type: 'timer.partitionBackoffEnded'; key: string }
  | { type: 'fetcher.stop' };

const key = (partition: FollowedPartition) => `${partition.topic}-${partition.partition}`;

function buildRequest(context: ReplicaFetcherContext): { body: RequestBody<'fetch'>; inFlight: InFlightPartition[] } {
  const inFlight: InFlightPartition[] = [];
  const byTopic = new Map<string, RequestBody<'fetch'>['topics'][number]['partitions']>();
  for (const followed of context.partitions) {
    if (context.delayed.includes(key(followed))) continue;
    const state = context.ports.fetchStateOf(followed);
    if (state === undefined) continue;
    inFlight.push({ ...followed, requestLeaderEpoch: state.currentLeaderEpoch, fetchOffset: state.fetchOffset });
    const partitions = byTopic.get(followed.topic) ?? [];
    partitions.push({
      partition: followed.partition,
      currentLeaderEpoch: state.currentLeaderEpoch,
      fetchOffset: state.fetchOffset,
      lastFetchedEpoch: state.lastFetchedEpoch,
      logStartOffset: state.logStartOffset,
      partitionMaxBytes: context.config.replicaFetchMaxBytes,
    });
    byTopic.set(followed.topic, partitions);
  }
  const body: RequestBody<'fetch'> = {
    replicaId: context.brokerId,
    replicaEpoch: context.ports.brokerEpoch(),
    maxWaitMs: context.config.replicaFetchWaitMaxMs,
    minBytes: context.config.replicaFetchMinBytes,
    maxBytes: context.config.replicaFetchResponseMaxBytes,
    isolationLevel: 0,
    topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
  };
  return { body, inFlight };
}

export const replicaFetcherMachine = setup({
  types: {
    context: {} as ReplicaFetcherContext,
    events: {} as ReplicaFetcherEvent,
    input: {} as ReplicaFetcherInput,
  },
  delays: {
    replicaFetchBackoffMs: ({ context }) => context.config.replicaFetchBackoffMs,
  },
  actions: {
    setPartitions: assign(({ event }) => (event.type === 'fetcher.partitionsChanged' ? { partitions: event.partitions } : {})),
    sendFetch: enqueueActions(({ context, enqueue }) => {
      const { body, inFlight } = buildRequest(context);
      const requestSequence = context.requestSequence + 1;
      enqueue.assign({ inFlight, requestSequence });
      enqueue(({ self }) =>
        context.ports.peers.request(
          context.leaderUrl,
          'fetch',
          body,
          // A fetcher stopped meanwhile (the broker stopped following that leader) has nobody to tell.
          (result) => {
            if (self.getSnapshot().status === 'active') self.send({ type: 'fetch.responded', requestSequence, result });
          },
          {
          // The leader may hold the request for replica.fetch.wait.max.ms; anything well past that is a dead peer.
            timeoutMs: Math.max(context.config.replicaFetchWaitMaxMs * 2, 5_000),
          },
        ),
      );
    }),
    /**
     * Hands each partition's answer to its actor; the actor decides (stale answers included) what it means. A
     * partition answered with an error sits out replica.fetch.backoff.ms: the leader answers errors at once, so
     * asking again right away would spin until the metadata catches up.
     */
    deliverResponse: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'fetch.responded' || !event.result.ok) return;
      const failed: string[] = [];
      const asked = new Map(context.inFlight.map((partition) => [key(partition), partition]));
      for (const topic of event.result.body.responses) {
        for (const answer of topic.partitions) {
          const request = asked.get(key({ topic: topic.topic, partition: answer.partitionIndex }));
          if (request === undefined) continue;
          const diverging = answer.divergingEpoch !== undefined && answer.divergingEpoch.epoch >= 0 ? answer.divergingEpoch : undefined;
          const response: FollowerFetchResponse = {
            requestLeaderEpoch: request.requestLeaderEpoch,
            fetchOffset: request.fetchOffset,
            errorName: (errorByCode(answer.errorCode)?.name ?? 'UNKNOWN_SERVER_ERROR') as ErrorName,
            highWatermark: answer.highWatermark,
            logStartOffset: answer.logStartOffset,
            divergingEpoch: diverging,
            records: answer.records,
          };
          context.ports.deliver(request, response);
          if (answer.errorCode !== 0) failed.push(key(request));
        }
      }
      for (const failedKey of failed) {
        enqueue.cancel(`backoff-${failedKey}`);
        enqueue.raise({ type: 'timer.partitionBackoffEnded', key: failedKey }, { delay: 'replicaFetchBackoffMs', id: `backoff-${failedKey}` });
      }
      if (failed.length > 0) enqueue.assign({ delayed: [...new Set([...context.delayed, ...failed])] });
      if (context.failures > 0) context.ports.logger.info({ leaderId: context.leaderId }, 'fetching from the leader again');
      enqueue.assign({ inFlight: [], failures: 0 });
    }),
    delayFailedPartition: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'fetcher.partitionFailed') return;
      const failedKey = key(event.partition);
      enqueue.assign({ delayed: [...new Set([...context.delayed, failedKey])] });
      enqueue.cancel(`backoff-${failedKey}`);
      enqueue.raise({ type: 'timer.partitionBackoffEnded', key: failedKey }, { delay: 'replicaFetchBackoffMs', id: `backoff-${failedKey}` });
    }),
    endPartitionBackoff: assign(({ context, event }) => (event.type === 'timer.partitionBackoffEnded' ? { delayed: context.delayed.filter((delayedKey) => delayedKey !== event.key) } : {})),
    recordFailure: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'fetch.responded') return;
      const reason = event.result.ok ? 'every partition failed' : `${event.result.error.name}: ${event.result.error.message}`;
      const log = context.failures === 0 ? context.ports.logger.warn.bind(context.ports.logger) : context.ports.logger.debug.bind(context.ports.logger);
      log({ leaderId: context.leaderId, leaderUrl: context.leaderUrl, reason, backoffMs: context.config.replicaFetchBackoffMs }, 'fetch from the leader failed');
      enqueue.assign({ inFlight: [], failures: context.failures + 1 });
    }),
  },
  guards: {
    hasPartitions: ({ context }) => context.partitions.length > 0,
    isCurrentResponse: ({ context, event }) => event.type === 'fetch.responded' && event.requestSequence === context.requestSequence,
    /** Nothing came back usable: the request failed, or every partition in it answered with an error. */
    fetchFailed: ({ event }) => {
      if (event.type !== 'fetch.responded') return false;
      if (!event.result.ok) return true;
      const answers = event.result.body.responses.flatMap((topic) => topic.partitions);
      return answers.length > 0 && answers.every((answer) => answer.errorCode !== 0);
    },
  },
}).createMachine({
  id: 'replicaFetcher',
  context: ({ input }) => ({ ...input, partitions: [], delayed: [], inFlight: [], requestSequence: 0, failures: 0 }),
  initial: 'Idle',
  states: {
    Idle: {
      description: 'Follows no partition on this leader: nothing to fetch.',
      always: { guard: 'hasPartitions', target: 'Fetching' },
      on: { 'fetcher.partitionsChanged': { actions: 'setPartitions' } },
    },
    Fetching: {
      description:
        'One Fetch in flight to the leader for every followed partition (replica id, broker epoch, each log end offset, last fetched epoch ' +
        'and leader epoch); the leader answers at once with data or holds it up to replica.fetch.wait.max.ms. Each answer goes to its ' +
        'partition, and the next Fetch follows at once.',
      entry: 'sendFetch',
      on: {
        'fetcher.partitionsChanged': { actions: 'setPartitions' },
        'fetch.responded': [
          { guard: and(['isCurrentResponse', 'fetchFailed']), target: 'BackingOff', actions: ['deliverResponse', 'recordFailure'] },
          { guard: 'isCurrentResponse', target: 'Next', actions: 'deliverResponse' },
        ],
      },
    },
    Next: {
      description: 'Between two fetches: fetch again while any partition is followed here.',
      always: [{ guard: 'hasPartitions', target: 'Fetching' }, { target: 'Idle' }],
    },
    BackingOff: {
      description: 'The last Fetch failed (the leader unreachable, or every partition answered an error): waits replica.fetch.backoff.ms.',
      on: { 'fetcher.partitionsChanged': { actions: 'setPartitions' } },
      after: { replicaFetchBackoffMs: 'Next' },
    },
    Stopped: {
      description: 'The broker stopped following this leader, or is shutting down.',
      type: 'final',
    },
  },
  on: {
    'fetcher.partitionFailed': { actions: 'delayFailedPartition' },
    'timer.partitionBackoffEnded': { actions: 'endPartitionBackoff' },
    'fetcher.stop': '.Stopped',
  },
});
