import { describe, expect, it } from 'vitest';
import { clusterTransactionStateOverrides, singleNodeTransactionStateOverrides } from './transaction-state-replication.js';

describe('__transaction_state replication on local clusters', () => {
  it('cluster up lowers the factor to the broker count and the min ISR to at most it, below Kafka’s 3 and 2', () => {
    expect(clusterTransactionStateOverrides([], 1)).toEqual(['transaction.state.log.replication.factor=1', 'transaction.state.log.min.isr=1']);
    expect(clusterTransactionStateOverrides(['log.segment.bytes=1024'], 2)).toEqual(['transaction.state.log.replication.factor=2', 'transaction.state.log.min.isr=2', 'log.segment.bytes=1024']);
    expect(clusterTransactionStateOverrides([], 5)).toEqual(['transaction.state.log.replication.factor=3', 'transaction.state.log.min.isr=2']);
  });

  it('a value given with --override wins', () => {
    expect(clusterTransactionStateOverrides(['transaction.state.log.min.isr=1'], 3)).toEqual(['transaction.state.log.replication.factor=3', 'transaction.state.log.min.isr=1']);
    expect(singleNodeTransactionStateOverrides([' transaction.state.log.replication.factor =2'], true)).toEqual({ 'transaction.state.log.min.isr': '1' });
  });

  it('a lone broker running its own controller gets 1 and 1; a broker joining a controller keeps Kafka’s defaults', () => {
    expect(singleNodeTransactionStateOverrides([], true)).toEqual({ 'transaction.state.log.replication.factor': '1', 'transaction.state.log.min.isr': '1' });
    expect(singleNodeTransactionStateOverrides([], false)).toEqual({});
  });
});
