import { describe, expect, it } from 'vitest';
import { parsePartitionDirName, parseSegmentFileName, partitionDirName, segmentFileName } from './file-names.js';

describe('partition folder names', () => {
  it('split on the last dash, so topic names may contain dashes and dots', () => {
    expect(parsePartitionDirName('orders-3')).toEqual({ topic: 'orders', partition: 3 });
    expect(parsePartitionDirName('my-topic.v2-12')).toEqual({ topic: 'my-topic.v2', partition: 12 });
    expect(parsePartitionDirName('__cluster_metadata-0')).toEqual({ topic: '__cluster_metadata', partition: 0 });
    expect(parsePartitionDirName(partitionDirName('a-b-c', 7))).toEqual({ topic: 'a-b-c', partition: 7 });
    expect(parsePartitionDirName('orders--1')).toEqual({ topic: 'orders-', partition: 1 });
  });

  it('are refused when they do not end in a partition number', () => {
    for (const name of ['orders', '-3', 'orders-', 'orders-x', 'orders-03', 'orders-99999999999', '.kafka_cleanshutdown']) {
      expect(parsePartitionDirName(name)).toBeNull();
    }
  });
});

describe('segment file names', () => {
  it('are the base offset in 20 digits', () => {
    expect(segmentFileName(0, '.log')).toBe('00000000000000000000.log');
    expect(segmentFileName(2 ** 40, '.index')).toBe('00000001099511627776.index');
    expect(parseSegmentFileName('00000000000000000042.log', '.log')).toBe(42);
  });

  it('are refused when malformed or of another kind', () => {
    expect(parseSegmentFileName('00000000000000000042.index', '.log')).toBeNull();
    expect(parseSegmentFileName('42.log', '.log')).toBeNull();
    expect(parseSegmentFileName('0000000000000000004x.log', '.log')).toBeNull();
  });
});
