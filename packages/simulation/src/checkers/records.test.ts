import { describe, expect, it } from 'vitest';
import { findDuplicatedRecords, findLostRecords, type RecordId } from './records.js';
import { assertNoViolations, CheckerViolationError } from './violation.js';

const records = (partition: number, ...values: string[]): RecordId[] => values.map((value) => ({ topic: 'orders', partition, value }));

describe('lost and duplicated records', () => {
  it('finds nothing when every acknowledged record was read once', () => {
    const acknowledged = [...records(0, 'a', 'b'), ...records(1, 'c')];
    expect(findLostRecords(acknowledged, [...records(1, 'c'), ...records(0, 'b', 'a')])).toEqual([]);
    expect(findDuplicatedRecords(acknowledged)).toEqual([]);
  });

  it('catches a planted loss: an acknowledged record never read, or read from another partition', () => {
    const acknowledged = [...records(0, 'a', 'b', 'c'), ...records(1, 'd')];
    const lost = findLostRecords(acknowledged, [...records(0, 'a', 'c'), ...records(0, 'd')]);
    expect(lost).toEqual([...records(0, 'b'), ...records(1, 'd')]);
    expect(() => assertNoViolations('lost acknowledged records', lost)).toThrow(CheckerViolationError);
    expect(() => assertNoViolations('lost acknowledged records', lost)).toThrow(/lost acknowledged records: 2 violation/);
  });

  it('catches a planted duplicate and counts how often it was read', () => {
    expect(findDuplicatedRecords([...records(0, 'a', 'b', 'a', 'a'), ...records(1, 'a')])).toEqual([{ topic: 'orders', partition: 0, value: 'a', count: 3 }]);
  });
});
