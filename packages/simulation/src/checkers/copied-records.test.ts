import { describe, expect, it } from 'vitest';
import { checkCopy, findValuesReadTwice } from './copied-records.js';

describe('the copy checker (transactions_test.py: input set equals output set)', () => {
  it('finds nothing when every input value is in the output once, in any order', () => {
    expect(checkCopy(['0/0', '0/1', '1/0'], ['1/0', '0/1', '0/0'])).toEqual({ lost: [], duplicated: [], unexpected: [] });
  });

  it('catches a planted loss, a planted duplicate and a value that was never input', () => {
    expect(checkCopy(['0/0', '0/1', '1/0'], ['0/0', '1/0', '1/0', '1/0', 'made-up'])).toEqual({ lost: ['0/1'], duplicated: [{ value: '1/0', count: 3 }], unexpected: ['made-up'] });
  });

  it('a reader that saw a value twice is caught', () => {
    expect(findValuesReadTwice(['a', 'b', 'a'])).toEqual([{ value: 'a', count: 2 }]);
    expect(findValuesReadTwice(['a', 'b'])).toEqual([]);
  });
});
