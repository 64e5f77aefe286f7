/**
 * The named errors of group membership that have no place in the client-wide errors.ts: the ones
 * cooperative rebalancing (KIP-429) and static membership (KIP-345) add. The public API throws these;
 * callers match them with instanceof, or on `errorName` for the Kafka ones.
 */
import { errorByName, KafkaProtocolError } from '@kactor/protocol';
import { KafkaClientError } from '../../errors.js';

/**
 * The configured assignors share no rebalance protocol. Kafka's `ConsumerCoordinator` constructor throws
 * an IllegalArgumentException here; every assignor kactor has supports EAGER, so only a future
 * COOPERATIVE-only assignor listed with an EAGER-only one could get here.
 */
export class NoCommonRebalanceProtocolError extends KafkaClientError {
  override name = 'NoCommonRebalanceProtocolError';
}

/**
 * The leader's assignor gave a partition to a new owner in the same round it is revoked from the old one
 * (Kafka's `validateCooperativeAssignment` throws an IllegalStateException): both would read it until
 * the old owner's second round, so the assignment is refused and never sent.
 */
export class CooperativeAssignmentViolationError extends KafkaClientError {
  override name = 'CooperativeAssignmentViolationError';
}

/**
 * Another consumer joined with this consumer's group.instance.id, so the coordinator fenced this one
 * (Kafka's FENCED_INSTANCE_ID, code 82, and `FencedInstanceIdException`). Fatal, as in Kafka: the
 * member is `dead` and every poll() throws it; two processes must never share an instance id.
 */
export class FencedInstanceIdError extends KafkaProtocolError {
  override name = 'FencedInstanceIdError';
  constructor(message?: string, options?: ErrorOptions) {
    super(errorByName('FENCED_INSTANCE_ID'), message, options);
  }
}
