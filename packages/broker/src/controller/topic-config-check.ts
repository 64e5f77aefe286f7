/**
 * The controller's check of a new topic's configs (its `topicConfigProblem` port): every name known, every value
 * valid, and nothing kactor would silently ignore. A setting declared but not implemented yet (retention.ms,
 * retention.bytes, cleanup.policy=compact) is refused unless its value is what kactor does anyway, so
 * `CreateTopics` answers `INVALID_CONFIG` naming it instead of creating a topic that does not behave as asked.
 */
import { parseConfig, withQuotedNames } from '@kactor/protocol';

/** The problem with `configs` as one sentence, or undefined when the topic may be created with them. */
export function topicConfigProblem(configs: Record<string, string>): string | undefined {
  try {
    parseConfig('topic', configs);
    return undefined;
  } catch (error) {
    // The parser's message quotes the offending name or value whole; a request's may be 32,767 characters.
    return withQuotedNames(error instanceof Error ? error.message : String(error), Object.entries(configs).flat());
  }
}
