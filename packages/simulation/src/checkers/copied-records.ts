/**
 * The checks of Kafka's transactions system test (transactions_test.py) over a copy: the values read from the output
 * must be the input's values, each exactly once. A copy may put a value in any output partition, so values alone are
 * compared (the input's values must be unique).
 */

export interface CopyViolations {
  /** Input values never read from the output, in input order. */
  lost: string[];
  /** Output values read more than once, with how many times, in first-read order. */
  duplicated: Array<{ value: string; count: number }>;
  /** Output values that are no input value (a copier that made something up, or a garbled record). */
  unexpected: string[];
}

export function checkCopy(input: Iterable<string>, output: Iterable<string>): CopyViolations {
  const counts = new Map<string, number>();
  for (const value of output) counts.set(value, (counts.get(value) ?? 0) + 1);
  const inputValues = new Set<string>();
  const lost: string[] = [];
  for (const value of input) {
    inputValues.add(value);
    if (!counts.has(value)) lost.push(value);
  }
  const duplicated = [...counts].filter(([, count]) => count > 1).map(([value, count]) => ({ value, count }));
  const unexpected = [...counts.keys()].filter((value) => !inputValues.has(value));
  return { lost, duplicated, unexpected };
}

/** Values read more than once by one reader (a read_committed consumer must never see a copy twice). */
export function findValuesReadTwice(values: Iterable<string>): Array<{ value: string; count: number }> {
  return checkCopy([], values).duplicated;
}
