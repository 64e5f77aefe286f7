/**
 * The named errors a KIP-848 member ends with (Kafka's `ConsumerHeartbeatRequestManager` makes these
 * fatal: the member goes to FATAL and poll() throws them). Each keeps Kafka's code and error name, so a
 * caller matches with instanceof or on `errorName`.
 */
import { errorByName, KafkaProtocolError, type FailureErrorName } from '@kactor/protocol';
import { FencedInstanceIdError } from '../group-errors.js';

/** group.remote.assignor names an assignor the coordinator does not have (UNSUPPORTED_ASSIGNOR, code 112). */
export class UnsupportedAssignorError extends KafkaProtocolError {
  override name = 'UnsupportedAssignorError';
  constructor(message?: string, options?: ErrorOptions) {
    super(errorByName('UNSUPPORTED_ASSIGNOR'), message, options);
  }
}

/** The group has group.consumer.max.size members already (GROUP_MAX_SIZE_REACHED, code 81). */
export class GroupMaxSizeReachedError extends KafkaProtocolError {
  override name = 'GroupMaxSizeReachedError';
  constructor(message?: string, options?: ErrorOptions) {
    super(errorByName('GROUP_MAX_SIZE_REACHED'), message, options);
  }
}

/**
 * Another member still holds this group.instance.id: its previous process did not leave with epoch -2
 * (UNRELEASED_INSTANCE_ID, code 111). Fatal, as in Kafka: two processes must never share an instance id.
 */
export class UnreleasedInstanceIdError extends KafkaProtocolError {
  override name = 'UnreleasedInstanceIdError';
  constructor(message?: string, options?: ErrorOptions) {
    super(errorByName('UNRELEASED_INSTANCE_ID'), message, options);
  }
}

/** The error a fatal heartbeat answer becomes: a named class where Kafka has a named exception, else the protocol error. */
export function fatalHeartbeatError(errorName: FailureErrorName, message: string): KafkaProtocolError {
  switch (errorName) {
    case 'UNSUPPORTED_ASSIGNOR':
      return new UnsupportedAssignorError(message);
    case 'GROUP_MAX_SIZE_REACHED':
      return new GroupMaxSizeReachedError(message);
    case 'UNRELEASED_INSTANCE_ID':
      return new UnreleasedInstanceIdError(message);
    case 'FENCED_INSTANCE_ID':
      return new FencedInstanceIdError(message);
    default:
      return KafkaProtocolError.from(errorName, message);
  }
}
