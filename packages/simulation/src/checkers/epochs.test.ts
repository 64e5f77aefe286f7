import { describe, expect, it } from 'vitest';
import { EpochWatch, findEpochRegressions } from './epochs.js';

describe('epochs going back', () => {
  it('accepts epochs that rise or repeat, per key and observer', () => {
    expect(
      findEpochRegressions([
        { key: 'orders-0', epoch: 0 },
        { key: 'orders-0', epoch: 0 },
        { key: 'orders-1', epoch: 3 },
        { key: 'orders-0', epoch: 2 },
        { key: 'orders-0', epoch: 1, observer: 'another client' },
      ]),
    ).toEqual([]);
  });

  it('catches a planted regression and keeps the highest epoch seen', () => {
    const watch = new EpochWatch();
    watch.observe('orders-0', 4, 'producer');
    watch.observe('orders-0', 3, 'producer');
    watch.observe('orders-0', 3, 'producer');
    watch.observe('orders-0', 5, 'producer');
    expect(watch.regressions).toEqual([
      { key: 'orders-0', observer: 'producer', previousEpoch: 4, epoch: 3 },
      { key: 'orders-0', observer: 'producer', previousEpoch: 4, epoch: 3 },
    ]);
  });
});
