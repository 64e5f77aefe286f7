import { describe, expect, it } from 'vitest';
import { ClusterMetadata } from '../network/cluster-metadata.js';
import { matchingTopics } from './pattern-subscription.js';

const metadata = ClusterMetadata.empty().merge(
  {
    throttleTimeMs: 0,
    clusterId: 'c',
    controllerId: 0,
    brokers: [],
    topics: ['orders-eu', 'orders-us', 'xorders-eu', '__consumer_offsets', 'broken'].map((name) => ({
      errorCode: name === 'broken' ? 3 : 0,
      name,
      topicId: null,
      isInternal: name.startsWith('__'),
      partitions: [],
    })),
  },
  null,
  0,
);

describe('pattern subscription', () => {
  it('matches whole topic names only, never internal topics, as Java Matcher.matches()', () => {
    expect(matchingTopics(/orders-.*/, metadata)).toEqual(['orders-eu', 'orders-us']);
    expect(matchingTopics(/.*/, metadata)).toEqual(['orders-eu', 'orders-us', 'xorders-eu']);
    expect(matchingTopics(/orders/g, metadata)).toEqual([]);
  });
});
