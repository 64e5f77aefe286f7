/**
 * The broker's producer ids (Kafka's RPCProducerIdManager, KIP-730): InitProducerId answers, and the transaction
 * coordinator, take ids one by one from a block of ids the active controller gave this broker (AllocateProducerIds).
 *
 * - The next block is asked for once 90% of the current one is handed out (Kafka's prefetch), so a busy broker
 *   rarely waits. One request is in flight at a time.
 * - The request goes to the active controller known at the moment it is sent (KRaft: the metadata quorum's leader),
 *   the channel the broker's heartbeats and AlterPartition use. No answer (the controller is gone, or timed out),
 *   NOT_CONTROLLER, or a refusal (STALE_BROKER_EPOCH before this broker is registered and unfenced) is retried after
 *   retry.backoff.ms doubling up to retry.backoff.max.ms, as Kafka's channel re-sends to the new controller.
 * - A caller that finds no id left waits for the block (Kafka answers at once instead; here the wait is short and
 *   bounded): at most MAX_PRODUCER_ID_WAITERS callers wait, each at most PRODUCER_ID_BLOCK_WAIT_MS; past either
 *   bound it gets COORDINATOR_LOAD_IN_PROGRESS, the retriable error Kafka answers while the block is not there
 *   (not REQUEST_TIMED_OUT, which older clients treat as fatal). Waiters are answered in arrival order.
 *
 * Callback style on the injected clock, like the node's other senders: results are plain calls, never promises.
 */
import type { ErrorName } from '@kactor/protocol';
import { errorForCode } from '@kactor/protocol';
import type { Clock, Logger, PeerRequester, TimerHandle } from '@kactor/runtime';
import { blockProblem, claimNextId, EMPTY_PRODUCER_IDS_BLOCK, producerIdsBlock, reachedPrefetchPoint, remainingIds, type ProducerIdsBlock } from './producer-ids-block.js';
import { retryBackoffMs } from '../broker/controller-calls.js';

export type ProducerIdResult = { ok: true; producerId: number } | { ok: false; errorName: ErrorName };

/** What the InitProducerId handler and the transaction coordinator use: a fresh producer id, answered by callback. */
export interface ProducerIdGenerator {
  generateProducerId(onDone: (result: ProducerIdResult) => void): void;
}

/** The most callers waiting for the next block at once; more get COORDINATOR_LOAD_IN_PROGRESS at once. */
export const MAX_PRODUCER_ID_WAITERS = 1_000;
/** How long a caller waits for the next block before it gets COORDINATOR_LOAD_IN_PROGRESS (and retries). */
export const PRODUCER_ID_BLOCK_WAIT_MS = 5_000;

export interface ProducerIdManagerOptions {
  brokerId: number;
  clock: Clock;
  logger: Logger;
  peers: PeerRequester;
  /** The active controller's URL now, or undefined while none is known. */
  controllerUrl(): string | undefined;
  /** This broker's epoch now (-1 before it registered). */
  brokerEpoch(): number;
  /** retry.backoff.ms: the first wait before asking again. */
  retryBackoffMs: number;
  /** retry.backoff.max.ms: the longest wait between attempts. */
  retryBackoffMaxMs: number;
  /** request.timeout.ms of one AllocateProducerIds. */
  requestTimeoutMs: number;
  maxWaiters?: number;
  blockWaitMs?: number;
}

interface Waiter {
  readonly onDone: (result: ProducerIdResult) => void;
  readonly timer: TimerHandle;
}

export class ProducerIdManager implements ProducerIdGenerator {
  private current: ProducerIdsBlock = EMPTY_PRODUCER_IDS_BLOCK;
  private next: ProducerIdsBlock | undefined;
  private requestInFlight = false;
  private retryTimer: TimerHandle | undefined;
  private failures = 0;
  private readonly waiters: Waiter[] = [];
  private closed = false;
  /** Incremented by close(): an answer to a request sent before is ignored. */
  private generation = 0;

  constructor(private readonly options: ProducerIdManagerOptions) {}

  generateProducerId(onDone: (result: ProducerIdResult) => void): void {
    if (this.closed) return onDone({ ok: false, errorName: 'NOT_COORDINATOR' });
    if (this.waiters.length === 0) {
      const producerId = this.claim();
      if (producerId !== undefined) return onDone({ ok: true, producerId });
    }
    this.requestNextBlock();
    if (this.waiters.length >= (this.options.maxWaiters ?? MAX_PRODUCER_ID_WAITERS)) {
      this.options.logger.debug({ waiters: this.waiters.length }, 'producer id block not there yet and too many callers waiting: COORDINATOR_LOAD_IN_PROGRESS');
      return onDone({ ok: false, errorName: 'COORDINATOR_LOAD_IN_PROGRESS' });
    }
    const timer = this.options.clock.setTimeout(() => this.expire(waiter), this.options.blockWaitMs ?? PRODUCER_ID_BLOCK_WAIT_MS);
    const waiter: Waiter = { onDone, timer };
    this.waiters.push(waiter);
  }

  /** Ids left in the current and the prefetched block (for tests and inspection). */
  get availableIds(): number {
    return remainingIds(this.current) + (this.next === undefined ? 0 : remainingIds(this.next));
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** The node stops: pending timers are cancelled and waiting callers told NOT_COORDINATOR (the node is going away). */
  close(): void {
    this.closed = true;
    this.generation += 1;
    if (this.retryTimer !== undefined) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const waiter of this.waiters.splice(0)) {
      this.options.clock.clearTimeout(waiter.timer);
      waiter.onDone({ ok: false, errorName: 'NOT_COORDINATOR' });
    }
  }

  /** The next id, moving to the prefetched block when the current one is used up; asks for a block at the prefetch point. */
  private claim(): number | undefined {
    let claimed = claimNextId(this.current);
    if (claimed === undefined && this.next !== undefined) {
      this.current = this.next;
      this.next = undefined;
      claimed = claimNextId(this.current);
    }
    if (claimed === undefined) return undefined;
    this.current = claimed.block;
    if (reachedPrefetchPoint(this.current, claimed.producerId)) this.requestNextBlock();
    return claimed.producerId;
  }

  /** Asks the controller for a block unless one is prefetched already, a request is in flight or a retry is scheduled. */
  private requestNextBlock(): void {
    if (this.closed || this.next !== undefined || this.requestInFlight || this.retryTimer !== undefined) return;
    const url = this.options.controllerUrl();
    const brokerEpoch = this.options.brokerEpoch();
    if (url === undefined || brokerEpoch < 0) {
      this.retryLater(url === undefined ? 'no controller appears to be active' : 'this broker is not registered yet', 'NOT_CONTROLLER');
      return;
    }
    this.requestInFlight = true;
    const generation = this.generation;
    this.options.logger.debug({ url, brokerEpoch }, 'requesting the next producer id block');
    this.options.peers.request(
      url,
      'allocateProducerIds',
      { brokerId: this.options.brokerId, brokerEpoch },
      (result) => {
        if (generation !== this.generation) return;
        this.requestInFlight = false;
        if (!result.ok) return this.retryLater(result.error.message, result.error.name as ErrorName);
        const { errorCode, errorMessage, producerIdStart, producerIdLen } = result.body;
        if (errorCode !== 0) return this.retryLater(errorMessage ?? '', errorForCode(errorCode).name);
        const problem = blockProblem(this.next ?? this.current, producerIdStart, producerIdLen);
        if (problem !== undefined) {
          this.options.logger.error({ producerIdStart, producerIdLen }, problem);
          return this.retryLater(problem, 'UNKNOWN_SERVER_ERROR');
        }
        this.failures = 0;
        this.options.logger.debug({ producerIdStart, producerIdLen }, 'got the next producer id block');
        this.next = producerIdsBlock(producerIdStart, producerIdLen);
        this.answerWaiters();
      },
      { timeoutMs: this.options.requestTimeoutMs },
    );
  }

  /** Waiting callers get ids in arrival order while there are any; the claims may ask for the next block again. */
  private answerWaiters(): void {
    while (this.waiters.length > 0) {
      const producerId = this.claim();
      if (producerId === undefined) return;
      const waiter = this.waiters.shift() as Waiter;
      this.options.clock.clearTimeout(waiter.timer);
      waiter.onDone({ ok: true, producerId });
    }
  }

  private retryLater(reason: string, errorName: ErrorName): void {
    if (this.closed) return;
    this.failures += 1;
    const delayMs = retryBackoffMs(this.options, this.failures);
    const level = errorName === 'NOT_CONTROLLER' || errorName === 'STALE_BROKER_EPOCH' || this.failures < 5 ? 'debug' : 'warn';
    this.options.logger[level]({ errorName, reason, retryInMs: delayMs, failures: this.failures }, 'no producer id block from the controller: asking again');
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.requestNextBlock();
    }, delayMs);
  }

  private expire(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    waiter.onDone({ ok: false, errorName: 'COORDINATOR_LOAD_IN_PROGRESS' });
  }
}
