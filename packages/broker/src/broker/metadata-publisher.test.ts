import type { MetadataImage } from '@kactor/protocol';
import { createLogger } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import type { MetadataRecord } from '../controller/metadata-records.js';
import { toMetadataImage } from '../controller/metadata-state.js';
import { registerRecords, stateFrom } from '../controller/test-fixtures.js';
import { MetadataPublisher, MetadataPublisherInvariantError } from './metadata-publisher.js';

const records: MetadataRecord[] = [
  ...registerRecords([0, 1, 2]),
  { type: 'UnfenceBroker', brokerId: 0, brokerEpoch: 0 },
  { type: 'UnfenceBroker', brokerId: 1, brokerEpoch: 1 },
  { type: 'Topic', name: 'orders', topicId: 'topic-orders' },
  { type: 'Config', resourceType: 'topic', resourceName: 'orders', name: 'retention.bytes', value: '1000' },
  { type: 'Partition', topicId: 'topic-orders', partitionId: 0, replicas: [0, 1], isr: [0, 1], leader: 0, leaderEpoch: 0, partitionEpoch: 0 },
  { type: 'PartitionChange', topicId: 'topic-orders', partitionId: 0, isr: [0] },
];
const withOffsets = records.map((record, offset) => ({ offset, record }));

function publisher() {
  const published: MetadataImage[] = [];
  const instance = new MetadataPublisher({ clusterId: 'cluster-1', logger: createLogger({ level: 'silent' }) });
  instance.onImage((image) => void published.push(image));
  return { instance, published };
}

describe('MetadataPublisher', () => {
  it('applying the same committed records as the controller yields the image the controller would push', () => {
    const { instance, published } = publisher();
    instance.setController(2);
    instance.apply(withOffsets.slice(0, 4), 4);
    instance.apply(withOffsets.slice(4), withOffsets.length);
    expect(instance.image()).toEqual(toMetadataImage(stateFrom(records), 2));
    expect(published.map((image) => [image.metadataOffset, image.controllerId])).toEqual([
      [3, 2],
      [records.length - 1, 2],
    ]);
  });

  it('the image is at highWatermark - 1 even when the last committed entries are control records (skipped by the observer)', () => {
    const { instance } = publisher();
    instance.apply(withOffsets, records.length + 2);
    expect(instance.image()?.metadataOffset).toBe(records.length + 1);
    // Only the high watermark moved (a LeaderChangeMessage committed): a newer image all the same.
    instance.apply([], records.length + 3);
    expect(instance.image()?.metadataOffset).toBe(records.length + 2);
  });

  it('a controller change republishes the image naming the new leader, or -1 while none is known', () => {
    const { instance, published } = publisher();
    instance.setController(0);
    expect(instance.image()).toBeNull();
    expect(published).toEqual([]);
    instance.apply(withOffsets, records.length);
    instance.setController(undefined);
    instance.setController(1);
    expect(published.map((image) => [image.metadataOffset, image.controllerId])).toEqual([
      [records.length - 1, 0],
      [records.length - 1, -1],
      [records.length - 1, 1],
    ]);
  });

  it('publishes only when the offset or the controller changed', () => {
    const { instance, published } = publisher();
    instance.setController(0);
    instance.apply(withOffsets, records.length);
    instance.apply([], records.length);
    instance.setController(0);
    expect(published).toHaveLength(1);
  });

  it('records at or below what was applied are ignored, so a batch delivered twice is applied once (exactly-once defence)', () => {
    const { instance, published } = publisher();
    instance.apply(withOffsets.slice(0, 6), 6);
    // Applied twice, RegisterBroker would give broker 0 a new epoch and Topic would throw: both are skipped.
    instance.apply(withOffsets, records.length);
    expect(instance.image()).toEqual(toMetadataImage(stateFrom(records), -1));
    expect(published.map((image) => image.metadataOffset)).toEqual([5, records.length - 1]);
  });

  it('invariant: offsets only go up; a lower high watermark or an uncommitted record throws', () => {
    const { instance } = publisher();
    instance.apply(withOffsets.slice(0, 4), 4);
    expect(() => instance.apply([], 3)).toThrow(MetadataPublisherInvariantError);
    expect(() => instance.apply(withOffsets.slice(4, 6), 5)).toThrow(/offset 5 is not committed/);
    expect(instance.image()?.metadataOffset).toBe(3);
  });

  it('a listener can stop listening', () => {
    const { instance } = publisher();
    const seen: number[] = [];
    const stop = instance.onImage((image) => void seen.push(image.metadataOffset));
    instance.apply(withOffsets.slice(0, 2), 2);
    stop();
    instance.apply(withOffsets.slice(2), records.length);
    expect(seen).toEqual([1]);
  });
});
