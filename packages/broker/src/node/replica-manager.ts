/**
 * The replica manager (Kafka's ReplicaManager): the broker's data path over the partitions it hosts.
 * Produce fans out to the partition actors (one `produce.append` per partition, the request answered once
 * every partition has replied; with acks=0 nothing is sent back); fetch and list-offsets are leader reads of
 * the partition actors' snapshots, and a fetch that must wait is parked in the purgatory and re-checked when
 * a partition's high watermark advances.
 *
 * A consumer's read never changes partition state: it only looks at a snapshot. A follower's fetch does change
 * the leader's state (the follower's log end offset, the ISR, the high watermark), so a fetch with
 * `replicaId >= 0` goes to each partition actor as `replica.fetch` first; the actor records the position and gives
 * its verdict, then the records are read up to the log end, and an empty answer waits in the same purgatory until
 * the leader appends. Produces waiting for acks=all wait inside their partition actor (its `awaitingReplication`,
 * with a timer each), because their completion is the partition's own decision.
 */
import type { ErrorName, MetadataImage, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, wireError } from '@kactor/protocol';
import type { RequestRef, Responder } from '@kactor/runtime';
import { readFetch, type FetchReadOutcome, type PartitionLookup } from '../fetch/fetch-reader.js';
import { readFollowerFetch, verdictKey, type FollowerFetchVerdicts } from '../fetch/follower-fetch-reader.js';
import { FetchReadinessCheck } from '../fetch/fetch-readiness.js';
import type { FollowerFetchVerdict } from '../partition/partition-types.js';
import { listOffsetForPartition } from '../partition/partition-reader.js';
import type { ProduceCompleted } from '../partition/partition.machine.js';
import type { DelayedFetches } from './delayed-fetch.js';
import { partitionKey, type PartitionHost } from './partition-host.js';

export interface ReplicaManagerOptions {
  responder: Responder;
  partitions: PartitionHost;
  currentImage(): MetadataImage | null;
  /** Where fetches that must wait are parked. */
  delayedFetches: DelayedFetches;
}

type PartitionProduceResponse = ResponseBody<'produce'>['responses'][number]['partitionResponses'][number];

interface PendingProduce {
  ref: RequestRef;
  acks: number;
  remaining: number;
  results: Map<string, PartitionProduceResponse>;
  order: RequestBody<'produce'>['topicData'];
}

/** A partition named twice in one request would be answered once and wait forever for its second answer. */
function firstDuplicatePartition(body: RequestBody<'produce'>): string | undefined {
  const seen = new Set<string>();
  for (const topic of body.topicData) {
    for (const partition of topic.partitionData) {
      const key = partitionKey(topic.name, partition.index);
      if (seen.has(key)) return key;
      seen.add(key);
    }
  }
  return undefined;
}

export class ReplicaManager {
  private readonly pendingProduces = new Map<string, PendingProduce>();

  constructor(private readonly options: ReplicaManagerOptions) {}

  /** Why this broker cannot serve a partition it has no actor for (unknown, offline here, or led elsewhere). */
  readonly lookup: PartitionLookup = (topic, partition) => this.options.partitions.view(topic, partition) ?? this.topicProblem(topic, partition);

  produce(ref: RequestRef, body: RequestBody<'produce'>): void {
    const duplicate = firstDuplicatePartition(body);
    if (duplicate !== undefined) {
      this.options.responder.respondError(ref, wireError('INVALID_REQUEST', `partition ${duplicate} appears more than once in the produce request`));
      return;
    }
    const produceId = `${ref.connectionId}:${ref.correlationId}`;
    const partitionCount = body.topicData.reduce((sum, topic) => sum + topic.partitionData.length, 0);
    const pending: PendingProduce = { ref, acks: body.acks, remaining: partitionCount, results: new Map(), order: body.topicData };
    this.pendingProduces.set(produceId, pending);
    const validAcks = body.acks === -1 || body.acks === 0 || body.acks === 1;
    for (const topic of body.topicData) {
      for (const partition of topic.partitionData) {
        const actor = validAcks ? this.options.partitions.actorFor(topic.name, partition.index) : undefined;
        if (actor === undefined) {
          const errorName = validAcks ? this.topicProblem(topic.name, partition.index) : 'INVALID_REQUIRED_ACKS';
          this.recordProduceResult(produceId, pending, topic.name, partition.index, errorName, null, -1, -1);
          continue;
        }
        actor.send({ type: 'produce.append', produceId, acks: body.acks as -1 | 0 | 1, timeoutMs: body.timeoutMs, records: partition.records });
      }
    }
    if (partitionCount === 0) this.completeProduce(produceId, pending);
  }

  /** A partition actor's answer to one `produce.append` (after its append, or once acks=all is satisfied). */
  onProduceCompleted(event: ProduceCompleted): void {
    const pending = this.pendingProduces.get(event.produceId);
    if (pending === undefined) return;
    this.recordProduceResult(event.produceId, pending, event.topic, event.partition, event.errorName, event.errorMessage, event.baseOffset, event.logStartOffset);
  }

  /**
   * A leader read: answered now when it has an error, enough bytes or may not wait; else parked in the purgatory.
   * A fetch with no record to read anywhere (the usual long poll of an idle consumer or follower) is parked without
   * reading: the read would find nothing, and the fetch reads once, when it is answered.
   */
  fetch(ref: RequestRef, body: RequestBody<'fetch'>): void {
    const verdicts = body.replicaId >= 0 ? this.followerVerdicts(body) : undefined;
    if (body.maxWaitMs <= 0) {
      this.answerFetch(ref, body, verdicts);
      return;
    }
    const readiness = new FetchReadinessCheck(body, this.lookup, verdicts);
    if (readiness.check() !== 'nothing') {
      // Decided by what the read returns, as Kafka does on arrival.
      const outcome = this.readFetch(body, verdicts);
      if (outcome.hasError || outcome.totalBytes >= body.minBytes) {
        this.respond<'fetch'>(ref, outcome.response);
        return;
      }
    }
    this.options.delayedFetches.park({ connectionId: ref.connectionId, maxWaitMs: body.maxWaitMs, readiness, answer: () => this.answerFetch(ref, body, verdicts) });
  }

  private answerFetch(ref: RequestRef, body: RequestBody<'fetch'>, verdicts: FollowerFetchVerdicts | undefined): void {
    this.respond<'fetch'>(ref, this.readFetch(body, verdicts).response);
  }

  /** A consumer's fetch reads up to the high watermark (or LSO); a follower's, with its partitions' verdicts, to the log end. */
  private readFetch(body: RequestBody<'fetch'>, verdicts: FollowerFetchVerdicts | undefined): FetchReadOutcome {
    return verdicts === undefined ? readFetch(body, this.lookup) : readFollowerFetch(body, verdicts, this.lookup);
  }

  /**
   * A follower's fetch: each partition actor checks it and records the follower's position once, on arrival
   * (Kafka's Partition.fetchRecords for a replica); reading the records afterwards changes nothing, so a parked
   * fetch reads them when it is answered.
   */
  private followerVerdicts(body: RequestBody<'fetch'>): FollowerFetchVerdicts {
    const verdicts = new Map<string, FollowerFetchVerdict | ErrorName>();
    for (const topic of body.topics) {
      for (const partition of topic.partitions) {
        const verdict = this.options.partitions.checkFollowerFetch(topic.topic, partition.partition, {
          replicaId: body.replicaId,
          brokerEpoch: body.replicaEpoch === undefined || body.replicaEpoch < 0 ? undefined : body.replicaEpoch,
          currentLeaderEpoch: partition.currentLeaderEpoch,
          fetchOffset: partition.fetchOffset,
          lastFetchedEpoch: partition.lastFetchedEpoch ?? -1,
          logStartOffset: partition.logStartOffset,
        });
        verdicts.set(verdictKey(topic.topic, partition.partition), verdict ?? this.topicProblem(topic.topic, partition.partition));
      }
    }
    return verdicts;
  }

  listOffsets(body: RequestBody<'listOffsets'>): ResponseBody<'listOffsets'> {
    return {
      throttleTimeMs: 0,
      topics: body.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partition) => {
          const view = this.lookup(topic.name, partition.partitionIndex);
          const result =
            typeof view === 'string'
              ? { errorName: view, timestamp: -1, offset: -1, leaderEpoch: -1 }
              : listOffsetForPartition(view, partition.timestamp, partition.currentLeaderEpoch, body.isolationLevel);
          return { partitionIndex: partition.partitionIndex, errorCode: errorByName(result.errorName).code, timestamp: result.timestamp, offset: result.offset, leaderEpoch: result.leaderEpoch };
        }),
      })),
    };
  }

  private respond<A extends 'fetch' | 'produce'>(ref: RequestRef, body: ResponseBody<A>): void {
    this.options.responder.respond(ref as RequestRef & { api: A }, body);
  }

  private topicProblem(topic: string, partition: number): ErrorName {
    const image = this.options.currentImage();
    const known = image?.topics.find((candidate) => candidate.name === topic);
    if (known === undefined || partition < 0 || partition >= known.partitions.length) return 'UNKNOWN_TOPIC_OR_PARTITION';
    if (this.options.partitions.isOffline(topic, partition)) return 'KAFKA_STORAGE_ERROR';
    return 'NOT_LEADER_OR_FOLLOWER';
  }

  private recordProduceResult(
    produceId: string,
    pending: PendingProduce,
    topic: string,
    partition: number,
    errorName: ErrorName,
    errorMessage: string | null,
    baseOffset: number,
    logStartOffset: number,
  ): void {
    const key = partitionKey(topic, partition);
    if (pending.results.has(key)) return;
    pending.results.set(key, { index: partition, errorCode: errorByName(errorName).code, errorMessage, baseOffset, logAppendTimeMs: -1, logStartOffset });
    pending.remaining -= 1;
    if (pending.remaining === 0) this.completeProduce(produceId, pending);
  }

  private completeProduce(produceId: string, pending: PendingProduce): void {
    this.pendingProduces.delete(produceId);
    if (pending.acks === 0) {
      this.options.responder.finish(pending.ref);
      return;
    }
    const responses = pending.order.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((partition) => {
        const result = pending.results.get(partitionKey(topic.name, partition.index));
        if (result === undefined) throw new Error(`produce ${produceId} completed without a result for ${topic.name}-${partition.index}`);
        return result;
      }),
    }));
    this.respond<'produce'>(pending.ref, { responses, throttleTimeMs: 0 });
  }
}
