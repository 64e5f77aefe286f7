import { describe, expect, it } from 'vitest';
import { errorByName } from './errors.js';
import { isKafkaError, KafkaProtocolError, RetriableProtocolError } from './protocol-error.js';

describe('KafkaProtocolError', () => {
  it('builds a retriable error as RetriableProtocolError from a name', () => {
    const error = KafkaProtocolError.from('NOT_LEADER_OR_FOLLOWER', 'orders-0 moved to broker 2');
    expect(error).toBeInstanceOf(RetriableProtocolError);
    expect(error).toBeInstanceOf(KafkaProtocolError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 6, errorName: 'NOT_LEADER_OR_FOLLOWER', retriable: true, message: 'orders-0 moved to broker 2' });
    expect(error.name).toBe('RetriableProtocolError');
  });

  it('builds a non-retriable error from a code with the table message by default', () => {
    const error = KafkaProtocolError.from(36);
    expect(error).not.toBeInstanceOf(RetriableProtocolError);
    expect(error).toMatchObject({ code: 36, errorName: 'TOPIC_ALREADY_EXISTS', retriable: false });
    expect(error.message).toBe(errorByName('TOPIC_ALREADY_EXISTS').message);
    expect(error.name).toBe('KafkaProtocolError');
  });

  it('maps an unknown code to UNKNOWN_SERVER_ERROR, keeping the code in the message', () => {
    const error = KafkaProtocolError.from(777, 'from the future');
    expect(error).toMatchObject({ code: -1, errorName: 'UNKNOWN_SERVER_ERROR', retriable: false });
    expect(error.message).toBe('unexpected error code 777: from the future');
  });

  it('refuses to build an error for NONE', () => {
    expect(() => KafkaProtocolError.from(0)).toThrow(TypeError);
    expect(() => KafkaProtocolError.from('NONE' as never)).toThrow(TypeError);
  });

  it('refuses a RetriableProtocolError for an error Kafka does not retry', () => {
    expect(() => new RetriableProtocolError(errorByName('INVALID_REQUEST'))).toThrow(TypeError);
  });

  it('round-trips through the wire form', () => {
    const original = KafkaProtocolError.from('COORDINATOR_NOT_AVAILABLE', 'loading');
    const wire = original.toWire();
    expect(wire).toEqual({ code: 15, name: 'COORDINATOR_NOT_AVAILABLE', retriable: true, message: 'loading' });
    const back = KafkaProtocolError.fromWire(wire);
    expect(back).toBeInstanceOf(RetriableProtocolError);
    expect(back.toWire()).toEqual(wire);
  });

  it('keeps the cause', () => {
    const cause = new Error('disk full');
    expect(KafkaProtocolError.from('KAFKA_STORAGE_ERROR', undefined, { cause }).cause).toBe(cause);
  });

  it('matches by name with isKafkaError', () => {
    const error: unknown = KafkaProtocolError.from('UNKNOWN_TOPIC_OR_PARTITION');
    expect(isKafkaError(error)).toBe(true);
    expect(isKafkaError(error, 'UNKNOWN_TOPIC_OR_PARTITION')).toBe(true);
    expect(isKafkaError(error, 'NOT_LEADER_OR_FOLLOWER')).toBe(false);
    expect(isKafkaError(new Error('plain'))).toBe(false);
  });
});
