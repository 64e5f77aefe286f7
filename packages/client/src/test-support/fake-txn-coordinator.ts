/**
 * A test fixture, not shipped API: the fake cluster's transaction coordinator, as far as a transactional producer
 * sees it (Kafka's TransactionCoordinator, much simplified): InitProducerId with a transactional id gives the id a
 * producer id and bumps its epoch on every call (fencing the older producer, aborting its open transaction);
 * AddPartitionsToTxn / AddOffsetsToTxn add to the open transaction; TxnOffsetCommit keeps offsets pending (checked
 * against the group's generation and members, KIP-447); EndTxn writes COMMIT/ABORT markers to the partitions and
 * applies (or drops) the pending offsets. Old epochs get PRODUCER_FENCED. `inject` makes the next answers of an API
 * carry an error.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { encodeEndTxnMarkerBatch, errorByName } from '@kactor/protocol';

export type FakeTxnApi = 'initProducerId' | 'addPartitionsToTxn' | 'addOffsetsToTxn' | 'endTxn' | 'txnOffsetCommit';

export interface FakeTransaction {
  producerId: number;
  epoch: number;
  state: 'Empty' | 'Ongoing' | 'CompleteCommit' | 'CompleteAbort';
  readonly partitions: Map<string, { topic: string; partition: number }>;
  readonly groups: Set<string>;
  /** Offsets sent with TxnOffsetCommit, applied on commit. */
  readonly pendingOffsets: Array<{ groupId: string; topic: string; partition: number; offset: number }>;
}

export interface FakeTxnPorts {
  nextProducerId(): number;
  now(): number;
  /** Appends a marker batch to a partition (as the partition leader does on WriteTxnMarkers). */
  appendMarker(topic: string, partition: number, bytes: Uint8Array): void;
  /** The group's generation and members, for KIP-447's checks; undefined when the group is unknown. */
  group(groupId: string): { generationId: number; members: ReadonlySet<string> } | undefined;
  commitOffset(groupId: string, topic: string, partition: number, offset: number): void;
}

const code = (name: ErrorName): number => errorByName(name).code;

export class FakeTxnCoordinator {
  readonly transactions = new Map<string, FakeTransaction>();
  private readonly injected = new Map<FakeTxnApi, ErrorName[]>();

  constructor(private readonly ports: FakeTxnPorts) {}

  inject(api: FakeTxnApi, ...errors: ErrorName[]): void {
    this.injected.set(api, [...(this.injected.get(api) ?? []), ...errors]);
  }

  initProducerId(body: RequestBody<'initProducerId'>): ResponseBody<'initProducerId'> {
    const answer = (error: ErrorName | null, producerId = -1, producerEpoch = -1) => ({ throttleTimeMs: 0, errorCode: error === null ? 0 : code(error), errorMessage: null, producerId, producerEpoch });
    const injected = this.next('initProducerId');
    if (injected !== undefined) return answer(injected);
    const id = body.transactionalId as string;
    let txn = this.transactions.get(id);
    if (txn === undefined) {
      txn = { producerId: this.ports.nextProducerId(), epoch: 0, state: 'Empty', partitions: new Map(), groups: new Set(), pendingOffsets: [] };
      this.transactions.set(id, txn);
    } else {
      // A new producer of the id fences the old one; its open transaction is aborted under the new epoch.
      txn.epoch += 1;
      if (txn.state === 'Ongoing') this.complete(txn, false);
    }
    return answer(null, txn.producerId, txn.epoch);
  }

  addPartitionsToTxn(body: RequestBody<'addPartitionsToTxn'>): ResponseBody<'addPartitionsToTxn'> {
    const error = this.next('addPartitionsToTxn') ?? this.check(body.transactionalId, body.producerId, body.producerEpoch);
    const txn = this.transactions.get(body.transactionalId);
    if (error === null && txn !== undefined) {
      txn.state = 'Ongoing';
      for (const topic of body.topics) for (const partition of topic.partitions) txn.partitions.set(`${topic.name}-${partition}`, { topic: topic.name, partition });
    }
    return {
      throttleTimeMs: 0,
      results: body.topics.map((topic) => ({ name: topic.name, resultsByPartition: topic.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: error === null ? 0 : code(error) })) })),
    };
  }

  addOffsetsToTxn(body: RequestBody<'addOffsetsToTxn'>): ResponseBody<'addOffsetsToTxn'> {
    const error = this.next('addOffsetsToTxn') ?? this.check(body.transactionalId, body.producerId, body.producerEpoch);
    const txn = this.transactions.get(body.transactionalId);
    if (error === null && txn !== undefined) {
      txn.state = 'Ongoing';
      txn.groups.add(body.groupId);
    }
    return { throttleTimeMs: 0, errorCode: error === null ? 0 : code(error) };
  }

  txnOffsetCommit(body: RequestBody<'txnOffsetCommit'>): ResponseBody<'txnOffsetCommit'> {
    const error = this.next('txnOffsetCommit') ?? this.check(body.transactionalId, body.producerId, body.producerEpoch) ?? this.checkMember(body);
    const txn = this.transactions.get(body.transactionalId);
    if (error === null && txn !== undefined) {
      for (const topic of body.topics) {
        for (const partition of topic.partitions) txn.pendingOffsets.push({ groupId: body.groupId, topic: topic.name, partition: partition.partitionIndex, offset: partition.committedOffset });
      }
    }
    return {
      throttleTimeMs: 0,
      topics: body.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((partition) => ({ partitionIndex: partition.partitionIndex, errorCode: error === null ? 0 : code(error) })) })),
    };
  }

  endTxn(body: RequestBody<'endTxn'>): ResponseBody<'endTxn'> {
    const error = this.next('endTxn') ?? this.check(body.transactionalId, body.producerId, body.producerEpoch);
    const txn = this.transactions.get(body.transactionalId);
    if (error !== null || txn === undefined) return { throttleTimeMs: 0, errorCode: code(error ?? 'INVALID_PRODUCER_ID_MAPPING') };
    if (txn.state !== 'Ongoing') return { throttleTimeMs: 0, errorCode: code('INVALID_TXN_STATE') };
    this.complete(txn, body.committed);
    return { throttleTimeMs: 0, errorCode: 0 };
  }

  private complete(txn: FakeTransaction, committed: boolean): void {
    for (const { topic, partition } of txn.partitions.values()) {
      const marker = encodeEndTxnMarkerBatch({ type: committed ? 'COMMIT' : 'ABORT', producerId: txn.producerId, producerEpoch: txn.epoch, coordinatorEpoch: 0, timestampMs: this.ports.now() });
      this.ports.appendMarker(topic, partition, marker);
    }
    if (committed) for (const offset of txn.pendingOffsets) this.ports.commitOffset(offset.groupId, offset.topic, offset.partition, offset.offset);
    txn.partitions.clear();
    txn.groups.clear();
    txn.pendingOffsets.length = 0;
    txn.state = committed ? 'CompleteCommit' : 'CompleteAbort';
  }

  private check(transactionalId: string, producerId: number, epoch: number): ErrorName | null {
    const txn = this.transactions.get(transactionalId);
    if (txn === undefined || txn.producerId !== producerId) return 'INVALID_PRODUCER_ID_MAPPING';
    return epoch < txn.epoch ? 'PRODUCER_FENCED' : null;
  }

  /** KIP-447: a consumer out of the group's generation (a zombie after a rebalance) may not commit. */
  private checkMember(body: RequestBody<'txnOffsetCommit'>): ErrorName | null {
    const group = this.ports.group(body.groupId);
    if (group === undefined) return null;
    if (body.memberId !== '' && !group.members.has(body.memberId)) return 'UNKNOWN_MEMBER_ID';
    if (body.generationId >= 0 && body.generationId !== group.generationId) return 'ILLEGAL_GENERATION';
    return null;
  }

  private next(api: FakeTxnApi): ErrorName | undefined {
    return this.injected.get(api)?.shift();
  }
}
