import { describe, expect, it } from 'vitest';
import { MAX_EVENT_HANDLERS } from '../constants.js';
import { ConsumerEvents, type ConsumerEvent } from './consumer-events.js';

const assigned: ConsumerEvent = { type: 'assigned', partitions: [{ topic: 'orders', partition: 0 }], generation: 1 };

describe('consumer events', () => {
  it('delivers every event to every handler, and a handler that throws does not stop the others', () => {
    const errors: unknown[] = [];
    const events = new ConsumerEvents((error) => errors.push(error));
    const seen: string[] = [];
    events.add(() => {
      throw new Error('broken handler');
    });
    events.add((event) => seen.push(event.type));
    events.emit(assigned);
    expect(seen).toEqual(['assigned']);
    expect(errors).toHaveLength(1);
  });

  it(`keeps at most MAX_EVENT_HANDLERS (${MAX_EVENT_HANDLERS}) handlers, and a removed one frees its place`, () => {
    const events = new ConsumerEvents(() => undefined);
    const removers = Array.from({ length: MAX_EVENT_HANDLERS }, () => events.add(() => undefined));
    expect(() => events.add(() => undefined)).toThrow(RangeError);
    removers[0]?.();
    let called = 0;
    events.add(() => (called += 1));
    events.emit(assigned);
    expect(called).toBe(1);
    expect(() => events.add(() => undefined)).toThrow(RangeError);
  });
});
