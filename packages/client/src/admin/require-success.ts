import type { TopicResult } from './admin-types.js';

/**
 * Returns `results` when every topic succeeded, else throws the first topic's error (Java's
 * `all().get()`). The error's message names the topic.
 */
export function requireSuccess<R extends TopicResult>(results: readonly R[]): readonly R[] {
  const failed = results.find((result) => result.error !== null);
  if (failed?.error) throw failed.error;
  return results;
}
