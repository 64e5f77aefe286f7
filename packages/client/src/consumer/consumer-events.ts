/**
 * What a subscribed consumer tells the application about its group: the rebalance listener (Kafka's
 * `ConsumerRebalanceListener`, called on the application's turn, inside poll(), unsubscribe() and close())
 * and lifecycle events for tooling (`consumer.on('event', handler)`), delivered synchronously as they
 * happen.
 */
import { MAX_EVENT_HANDLERS } from '../constants.js';
import type { TopicPartition } from '../topic-partition.js';
import type { RebalanceProtocol } from './group/cooperative.js';
import type { MembershipStateName } from './group/group-membership.js';
import type { RebalanceRecord } from './group/rebalance-record.js';

/**
 * Kafka's `ConsumerRebalanceListener`. Callbacks may be async; the consumer waits for them before it
 * goes on, so a commit inside onPartitionsRevoked completes before the partitions move. An error thrown
 * by a callback is rethrown by the poll() that ran it, wrapped in a RebalanceListenerError, after the
 * rebalance step finished.
 *
 * With EAGER rebalancing (range, roundrobin): onPartitionsRevoked gets every owned partition at the start
 * of each rebalance (even none); onPartitionsAssigned gets the whole new assignment at its end (even
 * none); onPartitionsLost gets the owned partitions instead of onPartitionsRevoked when the member had
 * already lost its generation (fenced, or left after max.poll.interval.ms): they may belong to another
 * member by now, so committing for them would fail. Without onPartitionsLost, onPartitionsRevoked is
 * called for lost partitions too, as in Kafka.
 *
 * With COOPERATIVE rebalancing (every configured assignor cooperative, e.g. only cooperative-sticky,
 * KIP-429): onPartitionsRevoked gets only the partitions that move to another member (and is not called
 * when none do); onPartitionsAssigned gets only the partitions added (even none); the partitions kept
 * are read on throughout the rebalance.
 */
export interface ConsumerRebalanceListener {
  onPartitionsRevoked?(partitions: TopicPartition[]): void | Promise<void>;
  onPartitionsAssigned?(partitions: TopicPartition[]): void | Promise<void>;
  onPartitionsLost?(partitions: TopicPartition[]): void | Promise<void>;
}

/**
 * A lifecycle event: the membership's state changed (with the member's rebalance protocol), partitions
 * were assigned, revoked or lost, or a rebalance ended (its record, see `consumer.rebalances()`).
 */
export type ConsumerEvent =
  | { readonly type: 'state'; readonly from: MembershipStateName; readonly to: MembershipStateName; readonly generation: number; readonly protocol?: RebalanceProtocol }
  | { readonly type: 'assigned' | 'revoked' | 'lost'; readonly partitions: readonly TopicPartition[]; readonly generation: number }
  | { readonly type: 'rebalance'; readonly record: RebalanceRecord };

export type ConsumerEventHandler = (event: ConsumerEvent) => void;

/** Handlers of `consumer.on('event', ...)`; a handler that throws is logged and does not stop the others. */
export class ConsumerEvents {
  private readonly handlers = new Set<ConsumerEventHandler>();

  constructor(private readonly onHandlerError: (error: unknown) => void) {}

  add(handler: ConsumerEventHandler): () => void {
    if (this.handlers.size >= MAX_EVENT_HANDLERS) throw new RangeError(`a consumer keeps at most ${MAX_EVENT_HANDLERS} event handlers`);
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  remove(handler: ConsumerEventHandler): void {
    this.handlers.delete(handler);
  }

  emit(event: ConsumerEvent): void {
    for (const handler of [...this.handlers]) {
      try {
        handler(event);
      } catch (error) {
        this.onHandlerError(error);
      }
    }
  }
}
