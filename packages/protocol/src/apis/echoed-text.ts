/**
 * Strings a node builds from a request's strings. A request's string may be as long as a wire string
 * (32,767 characters), so a string made of it and anything else (a member id `clientId-uuid`, an error
 * message naming a topic) would not fit in a response unless the copied part is bounded where it enters.
 * Every such copy goes through these functions, which cut it at `wireLimits.maxEchoedNameChars`.
 */
import { wireLimits } from './wire-limits.js';

/**
 * The prefix of a member id built from `client.id` or `group.instance.id` (Kafka's `generateMemberId`):
 * the value itself up to 249 characters, else its first 249. The UUID after it keeps the id unique, and a
 * member id is opaque to clients, so a cut prefix changes nothing but its length.
 */
export function memberIdPrefix(value: string): string {
  return value.length <= wireLimits.maxEchoedNameChars ? value : value.slice(0, wireLimits.maxEchoedNameChars);
}

/**
 * A request's string as an error message quotes it: itself up to 249 characters, else its first 249 and
 * how long it was, so a message stays readable and fits in a wire string.
 */
export function quotedName(value: string): string {
  if (value.length <= wireLimits.maxEchoedNameChars) return value;
  return `${value.slice(0, wireLimits.maxEchoedNameChars)}... (${value.length} characters)`;
}

/**
 * A message built elsewhere (a config parser's) that may quote the request's `values` whole: each value
 * longer than 249 characters is quoted by `quotedName` instead, so the message fits in a wire string.
 */
export function withQuotedNames(message: string, values: Iterable<string>): string {
  let bounded = message;
  for (const value of values) if (value.length > wireLimits.maxEchoedNameChars) bounded = bounded.replaceAll(value, quotedName(value));
  return bounded;
}
