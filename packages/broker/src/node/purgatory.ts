/**
 * The delayed-operation purgatory (Kafka's DelayedOperationPurgatory): requests that cannot be answered yet
 * wait here, watched under the keys (partitions) whose changes may complete them, until a check completes
 * them or their own timer runs out. It holds delayed fetches: consumers' (`fetch.min.bytes` / `fetch.max.wait.ms`,
 * woken when a partition's high watermark moves) and followers' (`replica.fetch.*`, woken when the leader appends).
 * Kafka keeps delayed produces for `acks=all` here too; in kactor they wait inside their partition actor
 * (`awaitingReplication`, with a timer each), because whether one is done is that partition's decision and the chart
 * shows it; the replica manager answers a produce once every partition has.
 *
 * Each operation owns its timeout (a timer on the node's clock, see fetch/delayed-fetch.ts), so the purgatory
 * needs no timer of its own; it only indexes operations and forwards checks and cancellations.
 */

/** One waiting request, as the purgatory sees it. */
export interface DelayedOperation {
  /** Kafka's tryComplete: something under `key` changed (a partition's high watermark moved): check again. */
  check(key: string): void;
  /** The request's connection closed or the broker is stopping: drop it without an answer. */
  cancel(): void;
}

export interface WatchOptions {
  /** The keys whose changes may complete the operation (partition keys, `topic-partition`). */
  keys: readonly string[];
  /** The connection that waits for the answer: its operations are cancelled when it closes. */
  connectionId: string;
}

/** What the owner calls once the operation has completed (answered, timed out or cancelled). */
export type Unwatch = () => void;

/** Thrown when the purgatory's own bookkeeping is inconsistent (a bug, never bad input). */
export class PurgatoryInvariantError extends Error {
  override readonly name = 'PurgatoryInvariantError';
}

export interface PurgatoryOptions {
  /**
   * At most this many operations wait at once. Each waiting operation holds an unanswered request of its
   * connection, so the RPC server's limits (`max.connections` x `queued.max.requests`) already keep the
   * number below this; the bound makes that explicit here, where the memory is held.
   */
  maxWaiting: number;
}

export class DelayedOperationPurgatory<Operation extends DelayedOperation> {
  private readonly byKey = new Map<string, Set<Operation>>();
  private readonly byConnection = new Map<string, Set<Operation>>();
  private readonly watched = new Map<Operation, WatchOptions>();

  constructor(private readonly options: PurgatoryOptions) {}

  /**
   * Parks an operation under its keys and connection. Returns undefined when the purgatory is full: the caller
   * then completes the operation at once instead of letting it wait. Otherwise returns the function the
   * caller must call when the operation completes, so it stops being watched.
   */
  watch(operation: Operation, options: WatchOptions): Unwatch | undefined {
    if (this.watched.has(operation)) throw new PurgatoryInvariantError('an operation is watched twice');
    if (this.watched.size >= this.options.maxWaiting) return undefined;
    this.watched.set(operation, options);
    for (const key of options.keys) index(this.byKey, key).add(operation);
    index(this.byConnection, options.connectionId).add(operation);
    return () => this.unwatch(operation);
  }

  /** Checks every operation watched under `key` (a partition whose high watermark advanced). */
  checkAndComplete(key: string): void {
    const waiting = this.byKey.get(key);
    if (waiting === undefined) return;
    // A copy: an operation that completes during its check unwatches itself from the live set.
    for (const operation of [...waiting]) operation.check(key);
  }

  /** A closed connection's operations are dropped: nobody would read their answers. */
  cancelConnection(connectionId: string): void {
    for (const operation of [...(this.byConnection.get(connectionId) ?? [])]) operation.cancel();
  }

  /** The broker is stopping: every waiting operation is dropped. */
  cancelAll(): void {
    for (const operations of [...this.byConnection.values()]) for (const operation of [...operations]) operation.cancel();
  }

  get waiting(): number {
    return this.watched.size;
  }

  private unwatch(operation: Operation): void {
    const options = this.watched.get(operation);
    if (options === undefined) return;
    this.watched.delete(operation);
    for (const key of options.keys) unindex(this.byKey, key, operation);
    unindex(this.byConnection, options.connectionId, operation);
  }
}

function index<Value>(map: Map<string, Set<Value>>, key: string): Set<Value> {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

function unindex<Value>(map: Map<string, Set<Value>>, key: string, value: Value): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}
