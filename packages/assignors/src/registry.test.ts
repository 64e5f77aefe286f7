import { describe, expect, it } from 'vitest';
import { UnknownAssignorError } from './errors.js';
import { rangeAssignor } from './range-assignor.js';
import { ASSIGNOR_NAMES, assignorByName, findAssignor } from './registry.js';
import { roundRobinAssignor } from './roundrobin-assignor.js';
import { cooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { stickyAssignor } from './sticky-assignor.js';

describe('assignor registry', () => {
  it('lists the protocol names of the assignors it holds', () => {
    expect(ASSIGNOR_NAMES).toEqual(['range', 'roundrobin', 'sticky', 'cooperative-sticky']);
  });

  it('finds each assignor by its protocol name', () => {
    expect(assignorByName('range')).toBe(rangeAssignor);
    expect(assignorByName('roundrobin')).toBe(roundRobinAssignor);
    expect(findAssignor('roundrobin')).toBe(roundRobinAssignor);
    expect(assignorByName('sticky')).toBe(stickyAssignor);
    expect(assignorByName('cooperative-sticky')).toBe(cooperativeStickyAssignor);
  });

  it('answers an unknown name with undefined or UnknownAssignorError', () => {
    expect(findAssignor('StickyAssignor')).toBeUndefined();
    expect(findAssignor('RangeAssignor')).toBeUndefined();
    expect(() => assignorByName('cooperative_sticky')).toThrow(UnknownAssignorError);
    expect(() => assignorByName('constructor')).toThrow(UnknownAssignorError);
  });
});
