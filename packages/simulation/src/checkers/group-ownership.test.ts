import type { Consumer, ConsumerEvent } from '@kactor/client';
import { describe, expect, it } from 'vitest';
import { findDoubleOwners, Ownership } from './group-ownership.js';

describe('two owners of a partition in a group generation', () => {
  it('finds none when each generation splits the partitions', () => {
    const byGeneration = new Map([
      [1, new Map([['a', ['orders-0', 'orders-1']]])],
      [2, new Map([['a', ['orders-0']], ['b', ['orders-1']]])],
    ]);
    expect(findDoubleOwners(byGeneration)).toEqual([]);
  });

  it('catches a planted double assignment in one generation', () => {
    const byGeneration = new Map([
      [1, new Map([['a', ['orders-0', 'orders-1']]])],
      [2, new Map([['a', ['orders-0', 'orders-1']], ['b', ['orders-1']]])],
    ]);
    expect(findDoubleOwners(byGeneration)).toEqual([{ generation: 2, partition: 'orders-1', owners: 2 }]);
  });

  it('catches a member assigned a partition another still holds (no revoke in between)', () => {
    const ownership = new Ownership();
    const [a, b] = [{} as Consumer, {} as Consumer];
    const event = (type: 'assigned' | 'revoked', partition: number) => ({ type, generation: 1, partitions: [{ topic: 'orders', partition }] }) as unknown as ConsumerEvent;
    ownership.record(a, event('assigned', 0));
    ownership.record(a, event('assigned', 1));
    ownership.record(a, event('revoked', 1));
    ownership.record(b, event('assigned', 1));
    expect(ownership.doubleOwned).toEqual([]);
    ownership.record(b, event('assigned', 0));
    expect(ownership.doubleOwned).toEqual(['orders-0']);
  });
});
