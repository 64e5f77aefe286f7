import { describe, expect, it } from 'vitest';
import { DelayedOperationPurgatory, PurgatoryInvariantError, type DelayedOperation } from './purgatory.js';

/** An operation that completes when its check finds `ready` true, and records what happened to it. */
class Probe implements DelayedOperation {
  checks: string[] = [];
  cancelled = false;
  ready = false;
  unwatch: (() => void) | undefined;

  check(key: string): void {
    this.checks.push(key);
    if (this.ready) this.unwatch?.();
  }

  cancel(): void {
    this.cancelled = true;
    this.unwatch?.();
  }
}

function watch(purgatory: DelayedOperationPurgatory<Probe>, keys: string[], connectionId = 'c1'): Probe {
  const probe = new Probe();
  probe.unwatch = purgatory.watch(probe, { keys, connectionId });
  return probe;
}

describe('delayed-operation purgatory', () => {
  it('checks only the operations watched under the key that moved', () => {
    const purgatory = new DelayedOperationPurgatory<Probe>({ maxWaiting: 10 });
    const orders = watch(purgatory, ['orders-0', 'orders-1']);
    const payments = watch(purgatory, ['payments-0']);
    purgatory.checkAndComplete('orders-1');
    expect(orders.checks).toEqual(['orders-1']);
    expect(payments.checks).toEqual([]);
    expect(purgatory.waiting).toBe(2);
  });

  it('forgets an operation under every key once it completes on a check', () => {
    const purgatory = new DelayedOperationPurgatory<Probe>({ maxWaiting: 10 });
    const operation = watch(purgatory, ['orders-0', 'orders-1']);
    operation.ready = true;
    purgatory.checkAndComplete('orders-0');
    expect(purgatory.waiting).toBe(0);
    purgatory.checkAndComplete('orders-1');
    expect(operation.checks).toEqual(['orders-0']);
  });

  it('cancels the operations of a closed connection only', () => {
    const purgatory = new DelayedOperationPurgatory<Probe>({ maxWaiting: 10 });
    const closed = watch(purgatory, ['orders-0'], 'c1');
    const open = watch(purgatory, ['orders-0'], 'c2');
    purgatory.cancelConnection('c1');
    expect([closed.cancelled, open.cancelled]).toEqual([true, false]);
    expect(purgatory.waiting).toBe(1);
    purgatory.cancelAll();
    expect(open.cancelled).toBe(true);
    expect(purgatory.waiting).toBe(0);
  });

  it('refuses an operation past maxWaiting, and takes one again after another completes', () => {
    const purgatory = new DelayedOperationPurgatory<Probe>({ maxWaiting: 2 });
    const first = watch(purgatory, ['orders-0']);
    watch(purgatory, ['orders-0']);
    expect(watch(purgatory, ['orders-0']).unwatch).toBeUndefined();
    expect(purgatory.waiting).toBe(2);
    first.unwatch?.();
    expect(watch(purgatory, ['orders-0']).unwatch).toBeDefined();
    expect(purgatory.waiting).toBe(2);
  });

  it('throws PurgatoryInvariantError when one operation is watched twice', () => {
    const purgatory = new DelayedOperationPurgatory<Probe>({ maxWaiting: 10 });
    const operation = watch(purgatory, ['orders-0']);
    expect(() => purgatory.watch(operation, { keys: ['orders-1'], connectionId: 'c1' })).toThrow(PurgatoryInvariantError);
  });
});
