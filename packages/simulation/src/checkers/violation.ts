/**
 * What a checker found. Checkers return their violations as data (a test may count allowed ones, such as
 * duplicates without idempotence); `assertNoViolations` turns them into a named error whose message lists
 * them, so a simulation run that fails says what broke (and the test prints its seed).
 */
export class CheckerViolationError extends Error {
  override readonly name = 'CheckerViolationError';

  constructor(
    readonly checker: string,
    readonly violations: readonly unknown[],
  ) {
    const shown = violations.slice(0, 10).map((violation) => JSON.stringify(violation));
    const more = violations.length > shown.length ? `, and ${violations.length - shown.length} more` : '';
    super(`${checker}: ${violations.length} violation(s): ${shown.join('; ')}${more}`);
  }
}

export function assertNoViolations(checker: string, violations: readonly unknown[]): void {
  if (violations.length > 0) throw new CheckerViolationError(checker, violations);
}
