import type { z } from 'zod';
import { describeValue, type PathSegment, type RawIssue } from './errors.js';
import { KNOWN_KEYS_MARK } from './schema-helpers.js';
import { didYouMean } from './suggest.js';

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'an integer',
  string: 'text',
  boolean: 'true or false',
  object: 'a map',
  record: 'a map',
  array: 'a list',
  tuple: 'a list',
};

/** Zod's issues in the scenario's words: one per unknown key (with its "did you mean"), values quoted as the user wrote them. */
export function toRawIssues(issues: readonly z.core.$ZodIssue[]): RawIssue[] {
  return issues.flatMap((issue): RawIssue[] => {
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    switch (issue.code) {
      case 'unrecognized_keys': {
        const markAt = issue.message.indexOf(KNOWN_KEYS_MARK);
        const known = markAt < 0 ? [] : issue.message.slice(markAt + KNOWN_KEYS_MARK.length).split(', ');
        return issue.keys.map((key) => ({
          path: [...path, key],
          message: `unknown key "${key}"${didYouMean(key, known)}${known.length > 0 ? `; the keys here are ${known.join(', ')}` : ''}`,
        }));
      }
      case 'invalid_type':
        if (issue.input === undefined) return [{ path, message: 'is required' }];
        // A message the schema wrote itself says more than the generic one.
        if (!issue.message.startsWith('Invalid input')) return [{ path, message: withInput(issue.message, issue.input) }];
        return [{ path, message: `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}` }];
      default:
        return [{ path, message: withInput(issue.message, issue.input) }];
    }
  });
}

/** Adds `, got <value>` to a schema's message unless it already says what it got. */
function withInput(message: string, input: unknown): string {
  if (input === undefined || typeof input === 'object' || message.includes(', got ') || message.includes(describeValue(input))) return message;
  return `${message}, got ${describeValue(input)}`;
}
