/**
 * Subscribing by pattern (Kafka's `subscribe(Pattern)`): the topics are those in the cluster's metadata
 * whose whole name matches, internal topics excluded (exclude.internal.topics, true by default), checked
 * again at every metadata.max.age.ms refresh so that new topics join the subscription.
 */
import type { ClusterMetadata } from '../network/cluster-metadata.js';

/** A pattern that must match a whole topic name, as Java's `Matcher.matches()` (not just a part, as `RegExp.test`). */
export function wholeNamePattern(pattern: RegExp): RegExp {
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
}

/** The non-internal topics of `metadata` that `pattern` matches entirely, sorted. */
export function matchingTopics(pattern: RegExp, metadata: ClusterMetadata): string[] {
  const whole = wholeNamePattern(pattern);
  return [...metadata.topics.values()]
    .filter((topic) => topic.errorCode === 0 && !topic.isInternal && whole.test(topic.name))
    .map((topic) => topic.name)
    .sort();
}
