/**
 * Guards as text. XState's higher-order guards (`not`, `and`, `or`, `stateIn`) are functions in the
 * machine config; they carry their operands (`.guards`, `.stateValue`), so they can be written out
 * exactly instead of being dropped. Anything else that is a function is an inline guard: no name to
 * write, so it is refused (`null` here; callers report it).
 */

/** `code`: `!a`, `a && b`, `a || b` (the JSON export); `words`: `not a`, `a and b` (diagram labels, safe in Mermaid and DOT). */
export type GuardSyntax = 'code' | 'words';

interface HigherOrderGuard {
  (...args: never[]): unknown;
  guards?: unknown[];
  stateValue?: unknown;
}

const operators = {
  code: { not: '!', and: ' && ', or: ' || ' },
  words: { not: 'not ', and: ' and ', or: ' or ' },
} as const;

/** The guard as text, or `null` when it is (or contains) an inline function that has no name. */
export function guardText(guard: unknown, syntax: GuardSyntax): string | null {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && typeof (guard as { type?: unknown }).type === 'string') {
    // A parameterized guard `{ type, params }`: the name is what a reader needs; params go to the JSON as they are.
    return (guard as { type: string }).type;
  }
  if (typeof guard !== 'function') return null;
  const fn = guard as HigherOrderGuard;
  if (fn.name === 'stateIn' && fn.stateValue !== undefined) return `in ${typeof fn.stateValue === 'string' ? fn.stateValue : JSON.stringify(fn.stateValue)}`;
  if (!Array.isArray(fn.guards) || !['not', 'and', 'or'].includes(fn.name)) return null;
  const parts: string[] = [];
  for (const operand of fn.guards) {
    const text = guardText(operand, syntax);
    if (text === null) return null;
    // Parenthesize composite operands so `and([not(a), b])` and `not(and([a, b]))` read differently.
    parts.push(typeof operand === 'function' && (operand as HigherOrderGuard).name !== 'not' ? `(${text})` : text);
  }
  const op = operators[syntax];
  if (fn.name === 'not') return `${op.not}${parts[0] ?? ''}`;
  return parts.join(fn.name === 'and' ? op.and : op.or);
}
