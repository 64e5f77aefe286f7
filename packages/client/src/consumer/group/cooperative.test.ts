import { describe, expect, it } from 'vitest';
import {
  assignmentChange,
  cooperativeViolations,
  fromTopicPartitions,
  NoCommonRebalanceProtocolError,
  partitionsOfUnsubscribedTopics,
  rebalanceProtocolOf,
  toTopicPartitions,
} from './cooperative.js';

const tp = (topic: string, partition: number) => ({ topic, partition });
const eager = { name: 'range', supportedProtocols: ['EAGER'] as const };
const cooperative = { name: 'cooperative-sticky', supportedProtocols: ['COOPERATIVE', 'EAGER'] as const };
const cooperativeOnly = { name: 'future', supportedProtocols: ['COOPERATIVE'] as const };

describe('rebalance protocol choice', () => {
  it('is COOPERATIVE only when every configured assignor supports it', () => {
    expect(rebalanceProtocolOf([cooperative])).toBe('COOPERATIVE');
    expect(rebalanceProtocolOf([eager, cooperative])).toBe('EAGER');
    expect(rebalanceProtocolOf([cooperative, eager])).toBe('EAGER');
    expect(rebalanceProtocolOf([eager])).toBe('EAGER');
  });

  it('refuses assignors without a protocol in common, and an empty list', () => {
    expect(() => rebalanceProtocolOf([cooperativeOnly, eager])).toThrow(NoCommonRebalanceProtocolError);
    expect(() => rebalanceProtocolOf([])).toThrow(NoCommonRebalanceProtocolError);
  });
});

describe('assignment change', () => {
  it('splits owned and assigned into added, revoked and kept', () => {
    expect(assignmentChange([tp('a', 0), tp('a', 1)], [tp('a', 1), tp('a', 2)])).toEqual({ added: [tp('a', 2)], revoked: [tp('a', 0)], kept: [tp('a', 1)] });
    expect(assignmentChange([], [tp('a', 0)])).toEqual({ added: [tp('a', 0)], revoked: [], kept: [] });
  });

  it('revokes before a cooperative rejoin only partitions of topics no longer subscribed', () => {
    expect(partitionsOfUnsubscribedTopics([tp('a', 0), tp('b', 1)], ['a'])).toEqual([tp('b', 1)]);
  });

  it('converts to and from the consumer protocol shape, sorted', () => {
    const flat = [tp('b', 2), tp('a', 1), tp('b', 0)];
    expect(toTopicPartitions(flat)).toEqual([
      { topic: 'a', partitions: [1] },
      { topic: 'b', partitions: [0, 2] },
    ]);
    expect(fromTopicPartitions(toTopicPartitions(flat))).toEqual([tp('a', 1), tp('b', 0), tp('b', 2)]);
  });
});

describe('cooperative assignment validation', () => {
  it('accepts an assignment that only takes partitions away, or gives out free ones', () => {
    expect(cooperativeViolations([{ owned: [tp('a', 0), tp('a', 1)], assigned: [tp('a', 0)] }, { owned: [], assigned: [tp('a', 2)] }])).toEqual([]);
  });

  it('flags a partition given to a new owner in the round it is revoked', () => {
    expect(cooperativeViolations([{ owned: [tp('a', 0), tp('a', 1)], assigned: [tp('a', 0)] }, { owned: [], assigned: [tp('a', 1)] }])).toEqual([tp('a', 1)]);
  });
});
