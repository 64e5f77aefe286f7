import { errorByName, errorForCode, type ErrorName, type FailureErrorName, type KafkaErrorInfo, type WireError } from './errors.js';

/**
 * What the public API throws for a Kafka error: it carries Kafka's `code`, `errorName` and `retriable`
 * flag, so callers match on `errorName` (a typed union) rather than on a class per error.
 *
 * One class plus one subclass, by design: `RetriableProtocolError` exists because the single question
 * callers ask by type is Kafka's own (`e instanceof RetriableException`): "may I retry this?". Every
 * other distinction is a comparison on `errorName`. `KafkaProtocolError.from` picks the class from the
 * table, so `instanceof RetriableProtocolError` and `error.retriable` always agree.
 */
export class KafkaProtocolError extends Error {
  override name = 'KafkaProtocolError';
  readonly code: number;
  readonly errorName: ErrorName;
  readonly retriable: boolean;

  /** Prefer `KafkaProtocolError.from`, which also picks the retriable subclass. */
  constructor(info: KafkaErrorInfo, message?: string, options?: ErrorOptions) {
    super(message ?? info.message, options);
    if (info.code === 0) throw new TypeError('NONE is not an error: refusing to build a KafkaProtocolError for it');
    this.code = info.code;
    this.errorName = info.name;
    this.retriable = info.retriable;
  }

  /**
   * The error for a Kafka code or name, with `message` (default: the table's description). A code the
   * table does not know becomes `UNKNOWN_SERVER_ERROR` (as in Kafka's `Errors.forCode`) and the message
   * keeps the original code.
   */
  static from(codeOrName: number | FailureErrorName, message?: string, options?: ErrorOptions): KafkaProtocolError {
    let info: KafkaErrorInfo;
    let text = message;
    if (typeof codeOrName === 'number') {
      info = errorForCode(codeOrName);
      if (info.code !== codeOrName) text = `unexpected error code ${codeOrName}${message === undefined ? '' : `: ${message}`}`;
    } else {
      info = errorByName(codeOrName);
    }
    return info.retriable ? new RetriableProtocolError(info, text, options) : new KafkaProtocolError(info, text, options);
  }

  /** The error for a body received in an error-response frame. */
  static fromWire(error: WireError): KafkaProtocolError {
    return KafkaProtocolError.from(error.code, error.message);
  }

  /** The data form to send to a peer. */
  toWire(): WireError {
    return { code: this.code, name: this.errorName, retriable: this.retriable, message: this.message };
  }
}

/** A `KafkaProtocolError` whose Kafka exception is a `RetriableException`: retrying may succeed. */
export class RetriableProtocolError extends KafkaProtocolError {
  override name = 'RetriableProtocolError';

  constructor(info: KafkaErrorInfo, message?: string, options?: ErrorOptions) {
    super(info, message, options);
    if (!info.retriable) throw new TypeError(`${info.name} is not retriable: use KafkaProtocolError`);
  }
}

/** Whether a thrown value is a Kafka error with this name: `if (isKafkaError(e, 'NOT_LEADER_OR_FOLLOWER'))`. */
export function isKafkaError(value: unknown, name?: FailureErrorName): value is KafkaProtocolError {
  return value instanceof KafkaProtocolError && (name === undefined || value.errorName === name);
}
