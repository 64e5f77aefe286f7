import { describe, expect, it } from 'vitest';
import { errorOnOneLine, errorPrettifiers } from './log-errors.js';

describe("the CLI logs' errors", () => {
  it('show as one line, without the stack, below debug', () => {
    const serialized = { type: 'FencedInstanceIdError', message: 'committing t1-0 failed: FENCED_INSTANCE_ID', stack: 'FencedInstanceIdError: ...\n    at commitOutcome (group-offsets.ts:82:74)' };
    expect(errorPrettifiers('warn').err?.(serialized)).toBe('FencedInstanceIdError: committing t1-0 failed: FENCED_INSTANCE_ID');
    expect(errorOnOneLine({ message: 'first\nsecond' })).toBe('first');
    expect(errorOnOneLine('plain')).toBe('plain');
  });

  it('keep the full error at debug and trace', () => {
    expect(errorPrettifiers('debug')).toEqual({});
    expect(errorPrettifiers('trace')).toEqual({});
  });
});
