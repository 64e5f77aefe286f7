import type { ConsumerRecord } from '@kactor/client';
import { describe, expect, it } from 'vitest';
import { nextOffsets } from './transactional-copier.js';

const record = (topic: string, partition: number, offset: number): ConsumerRecord => ({ topic, partition, offset }) as ConsumerRecord;

describe('the copier\'s offsets to commit with its transaction', () => {
  it('are the next offset to read after the highest record of each partition, as commitSync() commits them', () => {
    const polled = [record('input', 0, 7), record('input', 1, 3), record('input', 0, 9), record('input', 0, 8), record('other', 0, 1)];
    expect(nextOffsets(polled)).toEqual([
      { topic: 'input', partition: 0, offset: 10 },
      { topic: 'input', partition: 1, offset: 4 },
      { topic: 'other', partition: 0, offset: 2 },
    ]);
    expect(nextOffsets([])).toEqual([]);
  });
});
